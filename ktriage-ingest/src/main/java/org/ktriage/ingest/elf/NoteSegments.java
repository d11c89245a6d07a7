package org.ktriage.ingest.elf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.bin.ReadLimits;

/** PT_NOTE segments read once each, within {@link ReadLimits#NOTE_BYTES} and NOTES. */
final class NoteSegments {
  private final DumpSource src;
  private final String file;
  private final Set<String> notesSeen = new HashSet<>();
  private long noteBytes;
  final List<ElfNote> notes = new ArrayList<>();

  NoteSegments(DumpSource src) {
    this.src = src;
    this.file = src.name();
  }

  /** The PT_NOTE (program header at file offset {@code at}) of {@code filesz} bytes at off. */
  void read(long at, long off, long filesz, List<String> problems) throws IOException {
    if (off < 0 || off > src.size() || src.size() - off < filesz) {
      problems.add(
          file
              + ": PT_NOTE at offset "
              + at
              + " points at "
              + filesz
              + " bytes at "
              + off
              + " outside the file; its notes are missing");
      return;
    }
    if (!notesSeen.add(off + "+" + filesz)) {
      return; // another PT_NOTE for the same bytes adds nothing
    }
    if (noteBytes + filesz > ReadLimits.NOTE_BYTES || notes.size() >= ReadLimits.NOTES) {
      problems.add(
          file
              + ": PT_NOTE at offset "
              + at
              + " and later ones not read: the notes exceed the cap of "
              + ReadLimits.NOTE_BYTES
              + " bytes or "
              + ReadLimits.NOTES
              + " notes (ReadLimits.NOTE_BYTES, NOTES)");
      noteBytes = Long.MAX_VALUE / 2;
      return;
    }
    noteBytes += filesz;
    byte[] blob = src.readFully(off, (int) filesz, "PT_NOTE segment");
    notes.addAll(ElfNotes.parse(blob, off, file, problems));
  }
}
