package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.FailureClass;

/** The report showing the first failure, with detector onsets taken back by the stated delay. */
class FirstReportTest {

  @Test
  void aSoftLockupBeganTheStatedSecondsBeforeItWasPrinted() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/soft-lockup/console.log");
    ReportView v = Objects.requireNonNull(FirstReport.of(f.reports()));
    assertThat(v.failureClass()).isEqualTo(FailureClass.SOFT_LOCKUP);
    // [   16.330520] watchdog: BUG: soft lockup - CPU#1 stuck for 13s!
    assertThat(FirstReport.onsetNanos(v)).isEqualTo(16_330_520_000L - 13_000_000_000L);
  }

  @Test
  void anOopsIsItsOwnOnset() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/timer-after-unload/console.log");
    ReportView v = Objects.requireNonNull(FirstReport.of(f.reports()));
    assertThat(v.failureClass()).isEqualTo(FailureClass.PAGE_FAULT);
    assertThat(FirstReport.onsetNanos(v)).isEqualTo(4_493_006_000L);
  }

  @Test
  void aHungTaskBeganItsTimeoutBeforeItsReport() throws Exception {
    // [  369.632194] INFO: task syz-executor1:12659 blocked for more than 120 seconds.
    CrashFacts f = Inputs.facts("corpus/syzkaller/report/138");
    ReportView v = Objects.requireNonNull(FirstReport.of(f.reports()));
    assertThat(v.failureClass()).isEqualTo(FailureClass.HUNG_TASK);
    assertThat(FirstReport.onsetNanos(v)).isEqualTo(369_632_194_000L - 120_000_000_000L);
    assertThat(FirstReport.of(java.util.List.of())).isNull();
  }
}
