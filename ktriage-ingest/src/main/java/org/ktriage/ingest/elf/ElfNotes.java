package org.ktriage.ingest.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.ReadLimits;

/** Parses a blob of concatenated ELF notes (the PT_NOTE contents, or kdump's note area). */
public final class ElfNotes {
  private ElfNotes() {}

  /**
   * The notes of {@code blob} in order; stops at a zero header or where a note would run past the
   * blob, adding a sentence to {@code problems} in the latter case.
   */
  public static List<ElfNote> parse(
      byte[] blob, long blobFileOffset, String file, List<String> problems) {
    List<ElfNote> notes = new ArrayList<>();
    int off = 0;
    while (off + 12 <= blob.length) {
      long namesz = Bytes.readU32Le(blob, off);
      long descsz = Bytes.readU32Le(blob, off + 4);
      int type = Bytes.readI32Le(blob, off + 8);
      if (namesz == 0 && descsz == 0 && type == 0) {
        break;
      }
      if (notes.size() >= ReadLimits.NOTES) {
        problems.add(
            file
                + ": more than "
                + ReadLimits.NOTES
                + " ELF notes from offset "
                + (blobFileOffset + off)
                + "; the rest are not read (ReadLimits.NOTES)");
        break;
      }
      long nameEnd = off + 12L + pad4(namesz);
      long descEnd = nameEnd + pad4(descsz);
      if (nameEnd > blob.length || nameEnd + descsz > blob.length) {
        problems.add(
            file
                + ": ELF note at offset "
                + (blobFileOffset + off)
                + " runs past its segment (namesz "
                + namesz
                + ", descsz "
                + descsz
                + "); later notes ignored");
        break;
      }
      int nlen = (int) namesz;
      while (nlen > 0 && blob[off + 12 + nlen - 1] == 0) {
        nlen--;
      }
      String name = new String(blob, off + 12, nlen, StandardCharsets.ISO_8859_1);
      byte[] desc = new byte[(int) descsz];
      System.arraycopy(blob, (int) nameEnd, desc, 0, (int) descsz);
      notes.add(new ElfNote(name, type, desc, blobFileOffset + off));
      off = (int) Math.min(descEnd, blob.length);
    }
    return notes;
  }

  private static long pad4(long n) {
    return (n + 3) & ~3L;
  }
}
