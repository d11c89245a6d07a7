package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.classify.FailureClassifier;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;

/**
 * Every lab scenario: each {@code crash} backtrace form ({@code bt}, {@code bt -a}, from both crash
 * versions, and {@code sys} followed by {@code bt}) read through the real ingest gives the class,
 * primary function and signature of the scenario's console log. A backtrace alone cannot show what
 * only the log prints: a #UD is a BUG() only by its {@code kernel BUG at} line, a #PF is a NULL
 * dereference only by CR2; there the backtrace's class is the exception's own (and crash's {@code
 * PANIC:} string, when it names the class, must restore the console's).
 */
class LabCrashFormsTest {

  private static final List<String> BT_FORMS =
      List.of("crash-bt.txt", "crash-bt-a.txt", "crash-trixie-bt.txt", "crash-trixie-bt-a.txt");

  /** Console class → the class a backtrace without the log can prove. */
  private static final Map<FailureClass, FailureClass> WITHOUT_LOG =
      Map.of(
          FailureClass.BUG, FailureClass.INVALID_OPCODE,
          FailureClass.NULL_DEREF, FailureClass.PAGE_FAULT);

  private static String fn(Diagnosis d) {
    return FrameNames.base(
        Objects.requireNonNull(Objects.requireNonNull(d.primary(), "primary").function(), "fn"));
  }

  @Test
  void everyBacktraceFormAgreesWithTheConsole() throws Exception {
    Path lab = Shared.file("lab/out");
    List<Path> dirs;
    try (Stream<Path> s = Files.list(lab)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(dirs).as("lab scenarios").hasSizeGreaterThanOrEqualTo(9);
    StringBuilder table = new StringBuilder();
    List<String> wrong = new ArrayList<>();
    int compared = 0;
    for (Path dir : dirs) {
      Path console = dir.resolve("console.log");
      assertThat(console).as("console log of %s", dir).isRegularFile();
      Diagnosis text = new Analyzer().analyze(Reports.ingest(console));
      String scenario = dir.getFileName().toString();
      table.append(
          String.format(
              "%s console: %s %s %s%n",
              scenario, text.failureClass().id(), fn(text), text.signature()));
      List<String[]> forms = new ArrayList<>();
      for (String f : BT_FORMS) {
        if (Files.exists(dir.resolve(f))) {
          forms.add(new String[] {f, read(dir.resolve(f))});
        }
      }
      if (forms.isEmpty() && !Files.exists(dir.resolve("crash-sys.txt"))) {
        // A capture of another kernel (name@5.10) kept the console only: crash was not run on it.
        table.append(String.format("  (console only: no crash session in this capture)%n"));
        continue;
      }
      assertThat(forms).as("crash bt outputs of %s", scenario).isNotEmpty();
      String sys = read(dir.resolve("crash-sys.txt"));
      forms.add(new String[] {"sys+bt", sys + "crash> bt\n" + read(dir.resolve("crash-bt.txt"))});
      for (String[] form : forms) {
        CrashReport r = Reports.ingest(scenario + "-" + form[0], form[1]);
        Diagnosis dump = new Analyzer().analyze(r);
        compared++;
        table.append(
            String.format(
                "  %-22s %s %s %s%n",
                form[0], dump.failureClass().id(), fn(dump), dump.signature()));
        FailureClass expected = text.failureClass();
        boolean panicNamesIt =
            form[0].equals("sys+bt")
                && r.panic() != null
                && FailureClassifier.classifyText(FailureClassifier.panicText(r.panic().message()))
                    == expected;
        boolean classOk =
            dump.failureClass() == expected
                || (!panicNamesIt && dump.failureClass() == WITHOUT_LOG.get(expected));
        if (!classOk
            || !fn(dump).equals(fn(text))
            || !Objects.equals(dump.signature(), text.signature())
            || !dump.ruleFailures().isEmpty()) {
          wrong.add(scenario + "/" + form[0] + ": " + DebugPrint.of(dump));
        }
      }
    }
    System.out.print(table);
    assertThat(wrong).as("%s", table).isEmpty();
    assertThat(compared).isGreaterThanOrEqualTo(9 * 5);
  }

  private static String read(Path p) throws Exception {
    assertThat(p).as("lab file").isRegularFile();
    return Files.readString(p, StandardCharsets.ISO_8859_1);
  }
}
