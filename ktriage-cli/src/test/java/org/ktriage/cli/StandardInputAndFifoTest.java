package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * {@code journalctl -k | ktriage analyze -} and {@code … | ktriage triage -}: the real lab log as
   * {@code journalctl -k} (short output) prints the kernel's records, "Mon DD HH:MM:SS host kernel:
   * message" (the printk time stamp replaced by the journal's wall clock), piped into a real
   * process: the same crash, title and bucket as the dmesg-dressed file.
   */
  @Test
  void aJournalctlStyleLogPipedInReadsAsTheLog() throws Exception {
    Path log = Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt");
    StringBuilder journal = new StringBuilder();
    for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
      Matcher m = Pattern.compile("^\\[\\s*(\\d+)\\.\\d+\\] ?(.*)").matcher(line);
      if (m.matches()) {
        long s = Long.parseLong(m.group(1));
        journal.append(
            String.format(
                Locale.ROOT,
                "Dec 07 21:%02d:%02d debian kernel: %s%n",
                (s / 60) % 60,
                s % 60,
                m.group(2)));
      }
    }
    Path journalLog = tmp.resolve("journal.txt");
    Files.writeString(journalLog, journal, StandardCharsets.ISO_8859_1);
    assertThat(journal.length()).isGreaterThan(10_000);

    JavaRun piped = JavaRun.of(256, 60_000, journalLog, "analyze", "--format", "json", "-");
    assertThat(piped.exitCode()).as(piped.err()).isEqualTo(ExitCode.ANALYSED);
    Run file = Run.of("analyze", "--format", "json", log.toString());
    ObjectMapper json = new ObjectMapper();
    JsonNode fromJournal = json.readTree(piped.out());
    JsonNode fromFile = json.readTree(file.out());
    assertThat(fromJournal.get("title").asText()).isEqualTo(fromFile.get("title").asText());
    assertThat(fromJournal.get("signature").asText()).isEqualTo(fromFile.get("signature").asText());
    assertThat(fromJournal.get("class").asText()).isEqualTo("page-fault");

    JavaRun triage = JavaRun.of(256, 60_000, journalLog, "triage", "--format", "jsonl", "-");
    assertThat(triage.exitCode()).as(triage.err()).isEqualTo(ExitCode.ANALYSED);
    assertThat(triage.out()).contains("\"path\":\"-\"").contains("__run_timers");
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
