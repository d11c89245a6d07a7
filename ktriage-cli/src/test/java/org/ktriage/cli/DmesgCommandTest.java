package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ktriage dmesg} on the lab's real kdump capture and on unreadable input. */
class DmesgCommandTest {
  @TempDir Path tmp;

  private static Path shared(String rel) {
    Path p = Path.of(System.getProperty("ktriage.shared", "../shared")).resolve(rel);
    assertThat(p).as("lab fixture %s (see shared/lab/fixtures/README.md)", p).isReadable();
    return p;
  }

  @Test
  void printsTheMakedumpfileLogOfARealDump() throws IOException {
    Path dump = shared("lab/fixtures/timer-after-unload-kdump.vmcore");
    String expected =
        Files.readString(
            shared("lab/fixtures/timer-after-unload-kdump.dmesg.txt"), StandardCharsets.UTF_8);
    Run r = Run.of("dmesg", dump.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(ExitCode.ANALYSED);
    assertThat(r.out()).isEqualTo(expected);
  }

  @Test
  void unreadableDumpIsExitThreeWithOneLine() throws IOException {
    Path junk = tmp.resolve("vmcore");
    Files.writeString(junk, "KDUMP   but nothing else");
    Run r = Run.of("dmesg", junk.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(r.errLines()).isEqualTo(1);
    assertThat(r.err()).startsWith("ktriage: " + junk).contains("offset");
    Run missing = Run.of("dmesg", tmp.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(missing.err()).contains("no such file");
  }

  @Test
  void analyzeReadsADumpIntoTheSameReportAsText() {
    Path dump = shared("lab/fixtures/timer-after-unload-kdump.vmcore");
    Run r = Run.of("analyze", "--format", "json", dump.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.ANALYSED);
    assertThat(r.out()).contains("vmcore-kdump").contains("__run_timers");
  }
}
