package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.testkit.Shared;

/**
 * A FIFO (made with mkfifo) or a device given by name is refused by every command in one line and
 * never blocks; {@code -} reads a real log or dump piped into a real ktriage process.
 */
class StandardInputAndFifoTest {
  @TempDir Path tmp;

  @Test
  void aFifoOrADeviceIsRefusedByEveryCommandWithoutBlocking() throws Exception {
    Path fifo = tmp.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mk.exitValue()).isZero();
    for (String device : List.of(fifo.toString(), "/dev/zero")) {
      for (List<String> args :
          List.of(
              List.of("analyze", device),
              List.of("triage", device),
              List.of("dmesg", device),
              List.of("dump", device, "mod"))) {
        Run r =
            assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> Run.of(args.toArray(new String[0])));
        assertThat(r.exitCode()).as("%s", args).isEqualTo(ExitCode.UNREADABLE);
        String said = args.get(0).equals("triage") ? r.out() : r.err();
        assertThat(said).as("%s", args).contains("not a regular file");
        if (!args.get(0).equals("triage")) {
          assertThat(r.errLines()).as("%s", args).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void analyzeReadsAPipedLogAsItReadsTheFile() throws Exception {
    Path log = Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt");
    JavaRun piped = JavaRun.of(256, 60_000, log, "analyze", "--format", "json", "-");
    Run file = Run.of("analyze", "--format", "json", log.toString());
    assertThat(piped.err()).isEmpty();
    assertThat(piped.exitCode()).isEqualTo(ExitCode.ANALYSED);
    assertThat(piped.out().replace("standard input", "INPUT"))
        .isEqualTo(file.out().replace(log.toString(), "INPUT"));
    assertThat(piped.out()).contains("BUG: unable to handle page fault");
  }

  @Test
  void triageReadsAPipedLog() throws Exception {
    Path log = Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt");
    JavaRun piped = JavaRun.of(256, 60_000, log, "triage", "--format", "jsonl", "-");
    assertThat(piped.exitCode()).as(piped.err()).isEqualTo(ExitCode.ANALYSED);
    assertThat(piped.out()).contains("\"path\":\"-\"").contains("__run_timers");
  }

  @Test
  void aDumpOnStandardInputIsSpooledAndRead() throws Exception {
    Path dump = Shared.path("lab/fixtures/timer-after-unload-kdump.vmcore");
    String expected =
        Files.readString(Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt"));
    JavaRun piped = JavaRun.of(256, 60_000, dump, "dmesg", "-");
    assertThat(piped.err()).isEmpty();
    assertThat(piped.out()).isEqualTo(expected);
  }

  @Test
  void aCompressedDumpIsUnwrappedByEveryDumpCommand() throws IOException {
    Path xz = Shared.path("lab/fixtures/timer-after-unload-kdump.elf.xz");
    Run dmesg = Run.of("dmesg", xz.toString());
    assertThat(dmesg.err()).isEmpty();
    assertThat(dmesg.out()).contains("CR2: ffffffffc04243c8");
    Run bt = Run.of("dump", xz.toString(), "bt", "-a");
    assertThat(bt.err()).isEmpty();
    assertThat(bt.out()).contains("PID: ").contains("CPU: 1");
  }
}
