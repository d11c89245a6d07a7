package org.ktriage.analysis.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.CrashReport;
import org.ktriage.model.FailureClass;

/**
 * The console log and the {@code crash} {@code bt} of one lab crash get the same signature; two
 * different lab crashes get different ones.
 */
class SignatureLabTest {
  /** Scenarios whose console oops and crash backtrace show the same failing stack. */
  private static final List<String> SCENARIOS =
      List.of("bug-on", "null-deref", "panic-call", "soft-lockup", "use-after-free");

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
      assertThat(byScenario.put(text.id(), s)).as("%s collides", s).isNull();
    }
    System.out.print(report);
    assertThat(Files.exists(lab().resolve("null-deref/scenario.json"))).isTrue();
  }

  @Test
  void guiltyFrameIsTheFaultingFunction() throws Exception {
    Signature s =
        Signature.of(FailureClass.NULL_DEREF, read(lab().resolve("null-deref/console.log")), null);
    assertThat(s.frames()).containsExactly("lab_null_deref_touch");
    assertThat(s.id()).matches("[0-9a-f]{16}");
  }
}
