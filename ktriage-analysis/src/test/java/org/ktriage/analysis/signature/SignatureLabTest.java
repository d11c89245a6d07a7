package org.ktriage.analysis.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;

/**
 * The console log and the {@code crash} {@code bt} of one lab crash get the same signature; two
 * different lab crashes get different ones.
 */
class SignatureLabTest {
  /** Scenarios whose console oops and crash backtrace show the same failing stack. */
  private static final List<String> SCENARIOS =
      List.of(
          "bug-on",
          "null-deref",
          "oom-panic",
          "panic-call",
          "soft-lockup",
          "soft-lockup-kdump",
          "timer-after-unload",
          "timer-after-unload-kdump",
          "use-after-free");

  static Path lab() {
    String shared = System.getProperty("ktriage.shared");
    assertThat(shared).as("system property ktriage.shared").isNotNull();
    Path p = Path.of(shared, "lab", "out");
    assertThat(p).as("lab outputs at %s", p).isDirectory();
    return p;
  }

  static CrashReport read(Path file) throws Exception {
    assertThat(file).as("lab file").isRegularFile();
    return Ingest.read(List.of(file), Strictness.LENIENT);
  }

  @Test
  void textAndDumpFormsAgreeAndScenariosDiffer() throws Exception {
    Map<String, String> byScenario = new HashMap<>();
    StringBuilder report = new StringBuilder();
    for (String s : SCENARIOS) {
      Path dir = lab().resolve(s);
      // The class is the analysis' business; the same one is passed for both forms here.
      FailureClass c = FailureClass.BUG;
      Signature text = Signature.of(c, read(dir.resolve("console.log")), null);
      Signature dump = Signature.of(c, read(dir.resolve("crash-bt.txt")), null);
      report.append(
          String.format(
              "%s: console %s %s / bt %s %s%n",
              s, text.id(), text.frames(), dump.id(), dump.frames()));
      assertThat(text.frames()).as("%s console guilty frame", s).isNotEmpty();
      assertThat(dump.id()).as("%s: %s", s, report).isEqualTo(text.id());
      // A kdump rerun of a scenario is the same crash; other scenarios must differ.
      String base = s.replace("-kdump", "");
      String previous = byScenario.put(text.id(), base);
      assertThat(previous == null || previous.equals(base))
          .as("%s collides with %s", s, previous)
          .isTrue();
    }
    System.out.print(report);
    assertThat(Files.exists(lab().resolve("null-deref/scenario.json"))).isTrue();
  }

  /**
   * Through the real analysis: wherever it puts both forms in one class family, the signatures
   * agree. (A crash {@code bt} alone lacks the panic message, so the analysis may not class it.)
   */
  @Test
  void realPipelineAgreesWhereTheAnalysisClassesBothForms() throws Exception {
    int agreed = 0;
    StringBuilder table = new StringBuilder();
    for (String s : SCENARIOS) {
      Path dir = lab().resolve(s);
      CrashReport textReport = read(dir.resolve("console.log"));
      CrashReport dumpReport = read(dir.resolve("crash-bt.txt"));
      Diagnosis text = new Analyzer().analyze(textReport);
      Diagnosis dump = new Analyzer().analyze(dumpReport);
      String textFamily = Signature.family(text.failureClass());
      String dumpFamily = Signature.family(dump.failureClass());
      Signature a = Signature.of(text.failureClass(), textReport, text.primary());
      Signature b = Signature.of(dump.failureClass(), dumpReport, dump.primary());
      table.append(
          String.format(
              "%s: %s/%s %s %s | %s/%s %s %s%n",
              s,
              text.failureClass().id(),
              textFamily,
              a.id(),
              a.frames(),
              dump.failureClass().id(),
              dumpFamily,
              b.id(),
              b.frames()));
      if (textFamily.equals(dumpFamily)) {
        assertThat(b.id()).as("%s%n%s", s, table).isEqualTo(a.id());
        agreed++;
      }
    }
    System.out.print(table);
    assertThat(agreed)
        .as("scenarios classed alike in both forms%n%s", table)
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void guiltyFrameIsTheFaultingFunction() throws Exception {
    Signature s =
        Signature.of(FailureClass.NULL_DEREF, read(lab().resolve("null-deref/console.log")), null);
    assertThat(s.frames()).containsExactly("lab_null_deref_touch");
    assertThat(s.id()).matches("[0-9a-f]{16}");
  }
}
