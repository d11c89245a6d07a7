package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and error output of the command line, run in process with captured streams. */
class MainTest {
  @TempDir Path tmp;

  private static void assertNoStackTrace(Run run) {
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
  }

  @Test
  void helpListsCommandsAndExitCodes() {
    Run run = Run.of("--help");

    assertThat(run.exitCode()).isEqualTo(ExitCode.ANALYSED);
    assertThat(run.out())
        .contains("analyze", "rules", "Exit codes:", "2   usage error", "KTRIAGE_DEBUG");
  }

  @Test
  void versionNamesTheBuild() {
    Run run = Run.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("ktriage ").doesNotContain("${");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(Run.of().exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(Run.of("frobnicate").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(Run.of("analyze").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(Run.of("analyze", "--no-such-option", "x").exitCode()).isEqualTo(ExitCode.USAGE);
    Run badFormat = Run.of("analyze", "--format", "xml", "x");
    assertThat(badFormat.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badFormat.err()).contains("unknown format 'xml'");
    assertNoStackTrace(badFormat);
  }

  @Test
  void badOptionValuesAreUsageErrors() throws Exception {
    Path input = Files.writeString(tmp.resolve("in.log"), "hello\n");
    assertThat(
            Run.of("analyze", "--rules", tmp.resolve("none").toString(), input.toString())
                .exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThat(
            Run.of("analyze", "-o", tmp.resolve("no/such/dir/r.json").toString(), input.toString())
                .exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void missingInputIsUnreadable() {
    Run run = Run.of("analyze", tmp.resolve("absent.log").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.errLines()).isEqualTo(1);
    assertThat(run.err()).contains("absent.log", "no such file");
  }

  @Test
  void emptyFileIsUnreadableWithOneLine() throws Exception {
    Path empty = Files.createFile(tmp.resolve("empty.txt"));
    Run run = Run.of("analyze", empty.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.errLines()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertNoStackTrace(run);
  }

  @Test
  void binaryGarbageIsUnreadableWithOneLine() throws Exception {
    byte[] bytes = new byte[256 * 1024];
    new Random(42).nextBytes(bytes);
    Path garbage = Files.write(tmp.resolve("garbage.bin"), bytes);
    Run run = Run.of("analyze", "--format", "json", garbage.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.errLines()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertNoStackTrace(run);
  }

  @Test
  void directoryOfUnrelatedFilesIsUnreadableWithOneLine() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("photos"));
    Files.writeString(dir.resolve("notes.md"), "# shopping\n- milk\n- bread\n");
    Files.write(dir.resolve("a.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0});
    Files.writeString(dir.resolve("config.ini"), "[core]\nname = x\n", StandardCharsets.UTF_8);
    Run run = Run.of("analyze", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.errLines()).isEqualTo(1);
    assertNoStackTrace(run);
  }

  @Test
  void internalErrorsAreOneLineUnlessDebugging() {
    RuntimeException bug = new IllegalStateException("index 7 out of\nbounds");
    StringWriter quiet = new StringWriter();
    StringWriter debug = new StringWriter();

    int code = Main.internalError(terminal(quiet, Map.of()), bug);
    Main.internalError(terminal(debug, Map.of("KTRIAGE_DEBUG", "1")), bug);

    assertThat(code).isEqualTo(ExitCode.UNREADABLE);
    assertThat(quiet.toString().lines().count()).isEqualTo(1);
    assertThat(quiet.toString())
        .contains(
            "internal error", "IllegalStateException: index 7 out of bounds", "please report");
    assertThat(debug.toString()).contains("\tat org.ktriage.cli.MainTest");
  }

  private static Terminal terminal(StringWriter err, Map<String, String> env) {
    return new Terminal(
        new PrintWriter(new StringWriter()), new PrintWriter(err, true), env, false, false);
  }
}
