package org.ktriage.ingest.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.ReadLimits;
import org.ktriage.model.CrashReport;
import org.ktriage.testkit.Shared;

/**
 * Each registry line reads real data: the lab's kernel log compressed by the real tools (gzip, xz,
 * zstd, bzip2, lz4, lzop — bzip2, lz4 and lzop were added as one line each plus a reader) reads as
 * the plain log does; a compressed dump reads as the dump; no magic means a one-line refusal.
 */
class InputFormatsTest {
  @TempDir Path tmp;

  private Path compress(Path plain, String... tool) throws IOException, InterruptedException {
    Path out = tmp.resolve(plain.getFileName() + "." + tool[0]);
    Process p =
        new ProcessBuilder(tool).redirectInput(plain.toFile()).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s (install it: apt-get install %s)", tool[0], tool[0]).isZero();
    return out;
  }

  @Test
  void everyContainerOfARealLogReadsAsTheLog() throws Exception {
    Path log = Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt");
    CrashReport plain = Ingest.read(List.of(log), Strictness.LENIENT);
    assertThat(plain.oopses()).isNotEmpty();
    String[][] tools = {
      {"gzip", "-c"}, {"xz", "-c"}, {"zstd", "-qc"}, {"bzip2", "-c"}, {"lz4", "-qc"}, {"lzop", "-c"}
    };
    for (String[] tool : tools) {
      Path packed = compress(log, tool);
      try (InputStream in = Files.newInputStream(packed)) {
        byte[] head = in.readNBytes(InputFormats.SNIFF_BYTES);
        assertThat(InputFormats.sniff(head, head.length))
            .extracting(InputFormats::id)
            .isEqualTo(tool[0]);
      }
      CrashReport r = Ingest.read(List.of(packed), Strictness.LENIENT);
      assertThat(r.log()).as(tool[0]).hasSameSizeAs(plain.log());
      assertThat(r.oopses()).as(tool[0]).hasSameSizeAs(plain.oopses());
      assertThat(r.oopses().get(0).headline()).isEqualTo(plain.oopses().get(0).headline());
      try (Inputs.Opened o = Inputs.open(packed, InputStream.nullInputStream())) {
        assertThat(o.containers()).extracting(InputFormats::id).containsExactly(tool[0]);
        assertThat(o.format()).isEqualTo(InputFormats.TEXT);
      }
    }
  }

  @Test
  void aCompressedDumpIsSpooledAndReadAsTheDump() throws Exception {
    Path xz = Shared.path("lab/fixtures/timer-after-unload-kdump.elf.xz");
    try (Inputs.Opened o = Inputs.open(xz, InputStream.nullInputStream())) {
      assertThat(o.format()).isEqualTo(InputFormats.ELF);
      Path spooled = o.file();
      assertThat(spooled).isNotEqualTo(xz).isRegularFile();
      o.close();
      assertThat(spooled).doesNotExist();
    }
    CrashReport r = Ingest.read(List.of(xz), Strictness.LENIENT);
    assertThat(r.sources().get(0).path()).isEqualTo(xz.toString());
    assertThat(r.oopses()).isNotEmpty();
    assertThat(r.cpus()).isNotEmpty();
  }

  @Test
  void binaryOfNoKnownFormatIsOneLine() throws Exception {
    Path junk = tmp.resolve("junk");
    Files.write(junk, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0});
    assertThatThrownBy(() -> Ingest.read(List.of(junk), Strictness.LENIENT))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessageContaining("binary data");
  }

  /**
   * The inflation cap given to {@code Ingest.read} (what the fuzz target passes, far below {@code
   * ReadLimits.INFLATED_BYTES}) is the cap every command has: the real log gzipped and read under a
   * cap of 16 KiB is a PARTIAL report of its first 16 KiB that says the cap was hit, in a log and
   * in a dump (the lab's ELF dump, xz, cut at 1 MiB of its 16 MiB); at the log's own size nothing
   * is said and the report is the plain log's; a cap above the production one is refused.
   */
  @Test
  void theCapGivenToIngestIsHitAndSaid() throws Exception {
    Path log = Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt");
    CrashReport plain = Ingest.read(List.of(log), Strictness.LENIENT);
    Path gz = compress(log, "gzip", "-c");
    CrashReport capped = readCapped(gz, 16 << 10);
    assertThat(capped.completeness().partial()).isTrue();
    assertThat(capped.completeness().problems())
        .contains(
            "standard input: gzip data inflates beyond 16 KiB (the cap): only the first 16 KiB"
                + " were read");
    assertThat(capped.log().size()).isPositive().isLessThan(plain.log().size());
    assertThat(capped.log().get(0).text()).isEqualTo(plain.log().get(0).text());

    // a cap of no whole KiB is said in bytes
    assertThat(readCapped(gz, 20_000).completeness().problems())
        .anyMatch(p -> p.contains("inflates beyond 20000 bytes (the cap)"));
    CrashReport whole = readCapped(gz, Files.size(log));
    assertThat(whole.completeness().partial()).isFalse();
    assertThat(whole.log()).hasSameSizeAs(plain.log());
    assertThat(whole.oopses()).hasSameSizeAs(plain.oopses());

    CrashReport dump =
        readCapped(Shared.path("lab/fixtures/timer-after-unload-kdump.elf.xz"), 1 << 20);
    assertThat(dump.completeness().partial()).isTrue();
    assertThat(dump.completeness().problems())
        .contains(
            "standard input: xz data inflates beyond 1 MiB (the cap): only the first 1 MiB were"
                + " read");

    assertThatThrownBy(() -> readCapped(gz, ReadLimits.INFLATED_BYTES + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CrashReport readCapped(Path packed, long cap) throws Exception {
    try (InputStream in = Files.newInputStream(packed)) {
      return Ingest.read(List.of(Path.of(Inputs.STDIN)), Strictness.LENIENT, in, null, cap);
    }
  }

  /**
   * A compressed log cut anywhere: what was inflated before the cut is read as the log (a prefix of
   * the plain log's records) and the report is PARTIAL, saying where the container stopped; only a
   * cut before the first inflated byte is a one-line refusal. Cut just before its trailer, the
   * whole log and its oops are there.
   */
  @Test
  void aCutCompressedLogIsAPartialReportOfWhatWasInflated() throws Exception {
    // the lab's log eight times over (228 kB): several blocks in every format's default layout,
    // so a cut falls between blocks as it does in a real compressed log
    byte[] one = Files.readAllBytes(Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt"));
    Path log = tmp.resolve("eight.log");
    try (var out = Files.newOutputStream(log)) {
      for (int i = 0; i < 8; i++) {
        out.write(one);
      }
    }
    CrashReport plain = Ingest.read(List.of(log), Strictness.LENIENT);
    String[][] tools = {
      {"gzip", "-c"},
      {"xz", "-c", "--block-size=16384"},
      {"zstd", "-qc"},
      {"bzip2", "-c", "-1"},
      {"lz4", "-qc", "-B4"}
    };
    for (String[] tool : tools) {
      byte[] packed = Files.readAllBytes(compress(log, tool));
      int partials = 0;
      for (int k = 1; k <= 24; k++) {
        int at = k == 24 ? packed.length - 4 : (int) ((long) packed.length * k / 24);
        Path cut = tmp.resolve("cut-" + at + "." + tool[0]);
        Files.write(cut, java.util.Arrays.copyOf(packed, at));
        String what = tool[0] + " cut at " + at + " of " + packed.length;
        CrashReport r;
        try {
          r = Ingest.read(List.of(cut), Strictness.LENIENT);
        } catch (UnreadableInputException e) {
          assertThat(e.getMessage()).as(what).doesNotContain("\n");
          assertThat(e.getMessage())
              .as(what)
              .containsAnyOf("corrupt " + tool[0] + " data", "no kernel log");
          continue;
        }
        partials++;
        assertThat(r.completeness().partial()).as(what).isTrue();
        assertThat(r.completeness().problems())
            .as(what)
            .anyMatch(p -> p.contains(tool[0] + " data is cut or corrupt after"));
        assertThat(r.log().size()).as(what).isLessThanOrEqualTo(plain.log().size());
        assertThat(r.oopses().size()).as(what).isLessThanOrEqualTo(plain.oopses().size());
        for (int i = 0; i < r.oopses().size(); i++) {
          assertThat(r.oopses().get(i).headline()).isEqualTo(plain.oopses().get(i).headline());
        }
        if (k == 24) {
          // only the trailer is missing: the whole log's reports, in order
          assertThat(r.oopses().size()).as(what).isGreaterThanOrEqualTo(plain.oopses().size() - 1);
        }
      }
      // aircompressor's zstd stream gives nothing of a frame whose end is missing (it fails on the
      // first read even with only the checksum cut): a cut zstd log is a one-line refusal
      assertThat(partials).as(tool[0]).isGreaterThan(tool[0].equals("zstd") ? -1 : 2);
    }
  }

  /**
   * lzop writes blocks of 256 KiB (lzop's BLOCK_SIZE) and has no option to change it: a log of
   * three blocks cut anywhere is a PARTIAL report of the whole blocks before the cut, a one-line
   * refusal when the cut falls in the header or the first block, and never anything else.
   */
  @Test
  void aCutLzopLogIsAPartialReportOfTheBlocksBeforeTheCut() throws Exception {
    byte[] one = Files.readAllBytes(Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt"));
    Path log = tmp.resolve("many.log");
    try (var out = Files.newOutputStream(log)) {
      for (int i = 0; i < 24; i++) {
        out.write(one);
      }
    }
    byte[] packed = Files.readAllBytes(compress(log, "lzop", "-c"));
    int partials = 0;
    for (int k = 1; k <= 24; k++) {
      // the last cut drops only the end-of-file block's u32 0
      int at = k == 24 ? packed.length - 4 : (int) ((long) packed.length * k / 24);
      Path cut = tmp.resolve("cut-" + at + ".lzo");
      Files.write(cut, java.util.Arrays.copyOf(packed, at));
      String what = "lzop cut at " + at + " of " + packed.length;
      CrashReport r;
      try {
        r = Ingest.read(List.of(cut), Strictness.LENIENT);
      } catch (UnreadableInputException e) {
        assertThat(e.getMessage()).as(what).doesNotContain("\n");
        assertThat(e.getMessage()).as(what).containsAnyOf("corrupt lzop data", "no kernel log");
        continue;
      }
      partials++;
      assertThat(r.completeness().partial()).as(what).isTrue();
      assertThat(r.completeness().problems())
          .as(what)
          .anyMatch(p -> p.contains("lzop data is cut or corrupt after"));
      assertThat(r.oopses()).as(what).isNotEmpty();
    }
    assertThat(partials).isGreaterThan(8);
  }
}
