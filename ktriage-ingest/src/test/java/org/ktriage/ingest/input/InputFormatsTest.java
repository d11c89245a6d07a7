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
import org.ktriage.model.CrashReport;
import org.ktriage.testkit.Shared;

/**
 * Each registry line reads real data: the lab's kernel log compressed by the real tools (gzip, xz,
 * zstd, bzip2, lz4 — bzip2 and lz4 were added as one line each plus a reader) reads as the plain
 * log does; a compressed dump reads as the dump; no magic means a one-line refusal.
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
      {"gzip", "-c"}, {"xz", "-c"}, {"zstd", "-qc"}, {"bzip2", "-c"}, {"lz4", "-qc"}
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
  void binaryOfNoKnownFormatAndCorruptContainersAreOneLine() throws Exception {
    Path junk = tmp.resolve("junk");
    Files.write(junk, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0});
    assertThatThrownBy(() -> Ingest.read(List.of(junk), Strictness.LENIENT))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessageContaining("binary data");
    Path log = Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt");
    for (String[] tool : new String[][] {{"lz4", "-qc"}, {"bzip2", "-c"}, {"zstd", "-qc"}}) {
      byte[] packed = Files.readAllBytes(compress(log, tool));
      Path cut = tmp.resolve("cut." + tool[0]);
      Files.write(cut, java.util.Arrays.copyOf(packed, packed.length / 2));
      assertThatThrownBy(() -> Ingest.read(List.of(cut), Strictness.LENIENT))
          .as(tool[0])
          .isInstanceOf(UnreadableInputException.class)
          .hasMessageNotContaining("\n");
    }
  }
}
