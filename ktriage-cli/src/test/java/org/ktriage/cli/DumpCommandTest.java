package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DumpCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    Terminal t =
        new Terminal(new PrintWriter(out), new PrintWriter(err), java.util.Map.of(), false, false);
    return new CommandLine(new DumpCommand(t)).execute(args);
  }

  private static Path fixture() {
    Path p =
        Path.of(
            System.getProperty("ktriage.shared", "../shared"),
            "lab/fixtures/timer-after-unload-kdump.vmcore");
    assertThat(Files.isRegularFile(p))
        .as("missing %s (made by ../shared/lab/make-crashes.sh)", p)
        .isTrue();
    return p;
  }

  @Test
  void modPrintsTheCrashStyledModuleList() throws Exception {
    assertThat(run(fixture().toString(), "mod")).isZero();
    Path crash =
        Path.of(
            System.getProperty("ktriage.shared", "../shared"),
            "lab/out/timer-after-unload-kdump/crash-trixie-mod.txt");
    assertThat(out.toString()).isEqualTo(Files.readString(crash));
  }

  @Test
  void unknownViewIsAUsageError() {
    assertThat(run(fixture().toString(), "bogus")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).startsWith("ktriage dump: unknown view 'bogus'");
  }

  @Test
  void unreadableDumpIsOneLine() throws Exception {
    Path junk = Files.createTempFile("not-a-dump", ".vmcore");
    Files.writeString(junk, "hello, this is not a dump");
    assertThat(run(junk.toString(), "ps")).isEqualTo(ExitCode.UNREADABLE);
    assertThat(err.toString().strip()).doesNotContain("\n").contains("unknown dump signature");
    Files.delete(junk);
  }
}
