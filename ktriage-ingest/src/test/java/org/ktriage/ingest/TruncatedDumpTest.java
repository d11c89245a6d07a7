package org.ktriage.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.model.CrashReport;
import org.ktriage.testkit.Shared;

/**
 * A real dump cut anywhere after its header is still a crash: a PARTIAL report that keeps what was
 * read (the CPUs' registers once the notes are in, the log once the ring's pages are in), never "no
 * crash" and never an exception other than ours.
 */
class TruncatedDumpTest {
  @TempDir Path tmp;

  private Path cut(Path dump, long length) throws IOException {
    Path out = tmp.resolve(dump.getFileName() + "." + length);
    try (InputStream in = Files.newInputStream(dump);
        OutputStream o = Files.newOutputStream(out)) {
      byte[] buf = new byte[1 << 16];
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          break;
        }
        o.write(buf, 0, n);
        left -= n;
      }
    }
    return out;
  }

  @Test
  void aCutKdumpKeepsItsNotesAndSaysPartial() throws Exception {
    Path dump = Shared.path("lab/fixtures/timer-after-unload-kdump.vmcore");
    long size = Files.size(dump);
    // the kdump layout of the fixture: header blocks, notes and VMCOREINFO in blocks 1-2, the
    // bitmaps, page_desc[] and the page data; cut in each, and at fractions of the whole
    long[] cuts = {
      4096 + 464, 3 * 4096, 20_000, 45_056 + 1000, size / 8, size / 3, size / 2, size - 4096
    };
    for (long at : cuts) {
      CrashReport r = Ingest.read(List.of(cut(dump, at)), Strictness.LENIENT);
      assertThat(r.completeness().partial()).as("cut at %d", at).isTrue();
      assertThat(r.hasCrash()).as("cut at %d", at).isTrue();
      if (at >= 3 * 4096) {
        assertThat(r.cpus()).as("registers from the notes, cut at %d", at).isNotEmpty();
        assertThat(r.kernel().release()).as("cut at %d", at).isNotNull();
      }
    }
  }

  @Test
  void aCutFlattenedDumpSaysPartial() throws Exception {
    Path dump = Shared.path("lab/fixtures/timer-after-unload-qemu.vmcore");
    long size = Files.size(dump);
    for (long at : new long[] {8192, size / 4, size / 2, size - 4096}) {
      try {
        CrashReport r = Ingest.read(List.of(cut(dump, at)), Strictness.LENIENT);
        assertThat(r.completeness().partial()).as("cut at %d", at).isTrue();
        assertThat(r.hasCrash()).as("cut at %d", at).isTrue();
      } catch (UnreadableInputException e) {
        // only allowed before anything of the dump could be read
        assertThat(at).as("cut at %d: %s", at, e.getMessage()).isLessThan(size / 4);
      }
    }
  }
}
