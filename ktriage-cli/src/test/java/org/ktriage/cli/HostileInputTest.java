package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ktriage.testkit.Shared;

/**
 * Every hostile reproducer in {@code ../shared/crashers} (the small ones as kept there, the large
 * sparse ones written into {@code target/hostile} by the crashers' own script) ends, in a JVM
 * limited to 256 MB of heap, within 10 s of CPU time in a one-line error (exit 3) or a PARTIAL
 * report; nothing but ktriage's own one-line messages reaches stderr (no internal error, no stack
 * trace). A run still going after two minutes of wall time (a hang) fails too.
 */
class HostileInputTest {
  private static final int HEAP_MIB = 256;
  private static final long CPU_LIMIT_MILLIS = 10_000;
  private static final long HANG_MILLIS = 120_000;
  private static final Path GENERATED = Path.of("target", "hostile");

  @BeforeAll
  static void makeTheLargeOnes() throws IOException, InterruptedException {
    Path script = Shared.path("crashers/make-hostile-dumps.py");
    if (Files.isRegularFile(GENERATED.resolve("elf-xnum-4g-phdrs.vmcore"))) {
      return;
    }
    Process p =
        new ProcessBuilder(
                "python3", script.toString(), GENERATED.toString(), Shared.root().toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("make-hostile-dumps.py finishes").isTrue();
    assertThat(p.exitValue())
        .as("make-hostile-dumps.py (needs python3 and zstd): %s", output)
        .isZero();
  }

  static List<Path> reproducers() throws IOException {
    List<Path> all = new ArrayList<>();
    for (Path dir : List.of(Shared.path("crashers"), GENERATED)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(f -> f.toString().endsWith(".vmcore") || f.toString().endsWith(".txt"))
            .sorted()
            .forEach(all::add);
      }
    }
    return all;
  }

  @Test
  void everyReproducerEndsInOneLineOrAPartialReportInTimeAndHeap() throws Exception {
    List<Path> files = reproducers();
    assertThat(files).hasSizeGreaterThan(20);
    List<String> failures = new ArrayList<>();
    for (Path f : files) {
      List<String> commands =
          f.toString().endsWith(".vmcore") ? List.of("analyze", "dmesg") : List.of("analyze");
      for (String command : commands) {
        JavaRun r = JavaRun.of(HEAP_MIB, HANG_MILLIS, null, command, f.toString());
        String problem = judge(command, f.toString().endsWith(".vmcore"), r);
        if (problem != null) {
          failures.add(command + " " + f.getFileName() + ": " + problem);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  private static @org.jspecify.annotations.Nullable String judge(
      String command, boolean dump, JavaRun r) {
    if (r.timedOut()) {
      return "still running after " + r.millis() + " ms";
    }
    if (r.cpuMillis() > CPU_LIMIT_MILLIS) {
      return "took " + r.cpuMillis() + " ms of CPU time";
    }
    if (r.err().contains("internal error") || r.err().contains("\tat ")) {
      return "internal error: " + r.err();
    }
    if (r.exitCode() == ExitCode.UNREADABLE) {
      return r.errLines() == 1 && r.err().startsWith("ktriage: ")
          ? null
          : "exit 3 without exactly one line: " + r.err();
    }
    if (command.equals("dmesg")) {
      return r.exitCode() == ExitCode.ANALYSED ? null : "dmesg exit " + r.exitCode();
    }
    if (r.exitCode() != ExitCode.ANALYSED) {
      return "exit " + r.exitCode() + " (a dump or crash session is a crash): " + r.err();
    }
    if (r.out().isBlank()) {
      return "empty report";
    }
    // a hostile value the readers had no use for (e.g. PAGESIZE in a kdump, whose block size
    // rules) leaves a whole report; any other says what it could not read
    if (dump && !r.out().contains("PARTIAL") && !r.out().contains("first failure")) {
      return "a report of a hostile dump that neither says PARTIAL nor names a failure";
    }
    return null;
  }
}
