package org.ktriage.ingest.kdump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.CorruptDumpException;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.bin.ReadLimits;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.elf.ElfNote;
import org.ktriage.ingest.elf.ElfNotes;

/**
 * The head of a kdump-compressed file: {@code struct disk_dump_header} (block 0) and {@code
 * kdump_sub_header} (block 1) as makedumpfile's diskdump_mod.h lays them out for a 64-bit producer,
 * each field checked before use, and the ELF notes and VMCOREINFO text the sub-header points at.
 */
final class KdumpHeaders {
  private KdumpHeaders() {}

  /** Reads and checks both headers. */
  static KdumpHeader read(DumpSource src) throws IOException {
    String file = src.name();
    byte[] h = src.readFully(0, 464, "disk_dump_header");
    String sig = new String(h, 0, 8, StandardCharsets.ISO_8859_1);
    if (sig.equals("DISKDUMP")) {
      throw new UnsupportedDumpException(
          file + ": old diskdump format (signature \"DISKDUMP\" at offset 0) is not read");
    }
    if (!sig.equals(KdumpCompressedReader.SIGNATURE)) {
      throw CorruptDumpException.at(
          file, 0, "bad kdump signature: \"KDUMP   \" expected, got " + Bytes.quote(h, 0, 8));
    }
    int version = Bytes.readI32Le(h, 8);
    String release = Bytes.readCString(h, 142, 65);
    String versionString = Bytes.readCString(h, 207, 65);
    String machine = Bytes.readCString(h, 272, 65);
    String nodename = Bytes.readCString(h, 77, 65);
    int status = Bytes.readI32Le(h, 424);
    int blockSize = Bytes.readI32Le(h, 428);
    int subHdrSize = Bytes.readI32Le(h, 432);
    long bitmapBlocks = Bytes.readU32Le(h, 436);
    long maxMapnr = Bytes.readU32Le(h, 440);
    int nrCpus = Bytes.readI32Le(h, 460);
    checkSizes(file, version, blockSize, subHdrSize);
    byte[] sh = src.readFully(blockSize, 104, "kdump_sub_header");
    long physBase = Bytes.readU64Le(sh, 0);
    int dumpLevel = version >= 1 ? Bytes.readI32Le(sh, 8) : 0;
    boolean split = version >= 2 && Bytes.readI32Le(sh, 12) != 0;
    long startPfn = version >= 2 ? Bytes.readU64Le(sh, 16) : 0;
    long endPfn = version >= 2 ? Bytes.readU64Le(sh, 24) : 0;
    long offVi = version >= 3 ? Bytes.readU64Le(sh, 32) : 0;
    long sizeVi = version >= 3 ? Bytes.readU64Le(sh, 40) : 0;
    long offNote = version >= 4 ? Bytes.readU64Le(sh, 48) : 0;
    long sizeNote = version >= 4 ? Bytes.readU64Le(sh, 56) : 0;
    if (version >= 6) {
      startPfn = Bytes.readU64Le(sh, 80);
      endPfn = Bytes.readU64Le(sh, 88);
      maxMapnr = Bytes.readU64Le(sh, 96);
    }
    if (maxMapnr < 0 || maxMapnr > 1L << 40) {
      throw CorruptDumpException.at(
          file,
          version >= 6 ? blockSize + 96 : 440,
          "kdump max_mapnr " + maxMapnr + " is impossible");
    }
    if (!split) {
      startPfn = 0;
      endPfn = maxMapnr;
    } else if (startPfn < 0 || endPfn < startPfn || endPfn > maxMapnr) {
      throw CorruptDumpException.at(
          file,
          blockSize + 80L,
          "split pfn range [" + startPfn + ", " + endPfn + ") is impossible");
    }
    return new KdumpHeader(
        version,
        release,
        versionString,
        machine,
        nodename,
        status,
        blockSize,
        subHdrSize,
        bitmapBlocks,
        maxMapnr,
        nrCpus,
        physBase,
        dumpLevel,
        split,
        startPfn,
        endPfn,
        offVi,
        sizeVi,
        offNote,
        sizeNote);
  }

  /** The header's version and sizes, checked before anything is read with them. */
  private static void checkSizes(String file, int version, int blockSize, int subHdrSize)
      throws CorruptDumpException {
    if (version < 0 || version > 64) {
      throw CorruptDumpException.at(file, 8, "kdump header_version " + version + " is impossible");
    }
    if (blockSize < 1024 || blockSize > (1 << 20) || Integer.bitCount(blockSize) != 1) {
      throw CorruptDumpException.at(
          file,
          428,
          "kdump block_size "
              + blockSize
              + ": a power of two page size expected (a 32-bit producer's header is not read)");
    }
    if (subHdrSize <= 0 || subHdrSize > 1 << 16) {
      throw CorruptDumpException.at(file, 432, "kdump sub_hdr_size " + subHdrSize + " blocks");
    }
  }

  /** The ELF notes (CPU registers, VMCOREINFO, QEMU state); a problem when out of the file. */
  static List<ElfNote> notes(DumpSource src, KdumpHeader h, List<String> problems)
      throws IOException {
    String file = src.name();
    long offNote = h.offsetNote();
    long sizeNote = h.sizeNote();
    List<ElfNote> notes = List.of();
    if (offNote > 0 && sizeNote > 0) {
      if (sizeNote > ReadLimits.NOTE_BYTES) {
        problems.add(
            file
                + ": ELF notes of "
                + sizeNote
                + " bytes at offset "
                + offNote
                + " exceed the cap of "
                + ReadLimits.NOTE_BYTES
                + " bytes (ReadLimits.NOTE_BYTES); not read");
      } else if (offNote > src.size() || src.size() - offNote < sizeNote) {
        problems.add(
            file
                + ": ELF notes ("
                + sizeNote
                + " bytes at offset "
                + offNote
                + ") lie outside the file");
      } else {
        byte[] blob = src.readFully(offNote, (int) sizeNote, "ELF notes");
        notes = ElfNotes.parse(blob, offNote, file, problems);
      }
    }
    return notes;
  }

  /** The VMCOREINFO text the sub-header points at, or null. */
  static @Nullable String vmcoreinfo(DumpSource src, KdumpHeader h, List<String> problems)
      throws IOException {
    String file = src.name();
    long offVi = h.offsetVmcoreinfo();
    long sizeVi = h.sizeVmcoreinfo();
    String vmcoreinfo = null;
    if (offVi > 0 && sizeVi > 0) {
      if (sizeVi > 1 << 20 || offVi > src.size() || src.size() - offVi < sizeVi) {
        problems.add(
            file
                + ": VMCOREINFO ("
                + sizeVi
                + " bytes at offset "
                + offVi
                + ") lies outside the file");
      } else {
        vmcoreinfo =
            new String(
                src.readFully(offVi, (int) sizeVi, "VMCOREINFO"), StandardCharsets.ISO_8859_1);
      }
    }
    return vmcoreinfo;
  }
}
