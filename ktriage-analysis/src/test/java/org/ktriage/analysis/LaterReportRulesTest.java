package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Finding;

/**
 * Rules read every report of the incident: a failure that follows the first one (a WARN, then the
 * oops of the state it warned about) gets its own findings after the first failure's, while the
 * primary stays the first failure; reports printed after panic() began stopping CPUs do not.
 */
class LaterReportRulesTest {

  private static Path tune(String name) {
    Path p = Path.of("../corpus/wild/tune").resolve(name);
    assertThat(Files.exists(p)).as("corpus file missing: %s", p).isTrue();
    return p;
  }

  private static List<String> rules(Diagnosis d) {
    return d.findings().stream().map(Finding::rule).toList();
  }

  @Test
  void aNullDereferenceAfterARefcountWarningGetsItsRuleAfterTheWarning() throws Exception {
    // refcount_warn_saturate() WARN, then "BUG: kernel NULL pointer dereference" in the same task
    Diagnosis d =
        new Analyzer()
            .analyze(
                Reports.ingest(
                    tune(
                        "6.x-x86_64-aacraid-reset-adapter-stop-finished-thread-refcount-warn-then-null.txt")));
    assertThat(d.failureClass()).isEqualTo(FailureClass.WARNING);
    assertThat(rules(d)).containsSubsequence("warning", "null-pointer-dereference");
    assertThat(rules(d).get(0)).isEqualTo("warning");
    Finding npd =
        d.findings().stream()
            .filter(f -> f.rule().equals("null-pointer-dereference"))
            .findFirst()
            .orElseThrow();
    assertThat(npd.evidence()).anyMatch(e -> e.text().contains("NULL pointer dereference"));
  }

  @Test
  void aGeneralProtectionFaultAfterAnUbsanReportIsDescribed() throws Exception {
    Diagnosis d =
        new Analyzer()
            .analyze(
                Reports.ingest(tune("5.x-x86_64-brcmfmac-fweh-bsscfgidx-oob-ubsan-then-gpf.txt")));
    assertThat(d.failureClass()).isEqualTo(FailureClass.OUT_OF_BOUNDS);
    assertThat(rules(d)).contains("general-protection-fault");
  }

  @Test
  void aFaultOfACpuStoppedByPanicOnWarnIsNotDescribed() throws Exception {
    // WARN, "Kernel panic - not syncing: panic_on_warn set", then a #GP on the CPU that the
    // stop IPI interrupted (smp_reboot_interrupt): the dying kernel's, not the incident's
    Diagnosis d =
        new Analyzer().analyze(Reports.ingest(Shared.file("corpus/syzkaller/report/142")));
    assertThat(d.failureClass()).isEqualTo(FailureClass.WARNING);
    assertThat(rules(d))
        .contains("panic-on-warn", "warning")
        .doesNotContain("general-protection-fault", "null-pointer-dereference");
  }
}
