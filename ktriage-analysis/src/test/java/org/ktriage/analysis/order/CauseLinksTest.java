package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.FailureClass;

/**
 * Boots and links: an earlier report is a cause of the crash only inside the crashing boot and when
 * something links them. Real logs joined and re-timed ({@link JoinedLogs}).
 */
class CauseLinksTest {

  @Test
  void aWarnAtBootIsNotTheCauseOfAnOopsAnHourLater() throws Exception {
    CrashFacts f = Inputs.factsOfText(JoinedLogs.warnAtBootOopsAt(3600));
    assertThat(f.reports()).extracting(ReportView::failureClass).contains(FailureClass.WARNING);
    ReportView warn = f.reports().get(0);
    ReportView oops = f.reports().get(f.reports().size() - 1);
    assertThat(CauseLinks.between(warn, oops))
        .doesNotContain(CauseLink.NEAR_IN_TIME, CauseLink.TAINT, CauseLink.SAME_TASK);
    assertThat(Objects.requireNonNull(f.primary()).failureClass())
        .isEqualTo(FailureClass.NULL_DEREF);
    assertThat(CauseOrder.chain(f, null))
        .extracting(e -> e.event())
        .doesNotContain(FailureClass.WARNING.id());
  }

  @Test
  void aWarnSecondsBeforeTheOopsStaysItsFirstFailure() throws Exception {
    // counter-example: the same two reports two seconds apart are one incident
    CrashFacts f = Inputs.factsOfText(JoinedLogs.warnAtBootOopsAt(0));
    ReportView warn = f.reports().get(0);
    ReportView oops = f.reports().get(f.reports().size() - 1);
    assertThat(CauseLinks.between(warn, oops)).contains(CauseLink.NEAR_IN_TIME);
    assertThat(Objects.requireNonNull(f.primary()).failureClass()).isEqualTo(FailureClass.WARNING);
  }

  @Test
  void onlyTheBootThatCrashedCounts() throws Exception {
    // a previous boot's WARN (its log tail) before the lab kernel's own boot and crash
    String log =
        String.join("\n", JoinedLogs.radeonWarn())
            + "\n"
            + String.join("\n", JoinedLogs.labNullDeref());
    CrashFacts f = Inputs.factsOfText(log);
    assertThat(Boots.of(f.report().log()).count()).isEqualTo(2);
    assertThat(Objects.requireNonNull(f.primary()).failureClass())
        .isEqualTo(FailureClass.NULL_DEREF);
    // counter-example: the lab log alone is one boot
    assertThat(Boots.of(Inputs.report("lab/out/null-deref/console.log").log()).count())
        .isEqualTo(1);
  }

  @Test
  void detectorCascadesAndRepeatsAreLinks() throws Exception {
    CrashFacts f = Inputs.facts("corpus/syzkaller/report/523");
    List<ReportView> stalls =
        f.reports().stream().filter(v -> v.failureClass() == FailureClass.RCU_STALL).toList();
    assertThat(stalls).hasSizeGreaterThanOrEqualTo(2);
    // the stall reported again 31,745 jiffies later: far apart, but the same lasting stall
    assertThat(CauseLinks.between(stalls.get(0), stalls.get(1))).contains(CauseLink.KNOWN_CASCADE);
    assertThat(CauseLinks.isCause(java.util.Set.of(CauseLink.SAME_CPU))).isFalse();
  }
}
