package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ktriage.model.FailureClass;

/**
 * Boots and links: an earlier report is a cause of the crash only inside the crashing boot and when
 * something links them. Real logs (the lab's NULL dereference, a radeon WARN from ABRT's examples),
 * joined and re-timed as a log holding both would show them.
 */
class CauseLinksTest {

  private static final Pattern STAMP = Pattern.compile("^\\[ *(\\d+)\\.(\\d{6})\\]");

  /** The radeon WARN (CPU 0, kworker/0:1), up to its end-of-trace line. */
  private static List<String> radeonWarn() throws Exception {
    List<String> out = new ArrayList<>();
    for (String l : Inputs.text("corpus/abrt/examples/1_oops.test").split("\n", -1)) {
      out.add(l);
      if (l.contains("---[ end trace")) {
        break;
      }
    }
    return out;
  }

  private static List<String> labNullDeref() throws Exception {
    return new ArrayList<>(List.of(Inputs.text("lab/out/null-deref/console.log").split("\n", -1)));
  }

  /** A line with its printk time moved to {@code seconds} + its microseconds. */
  private static String retimed(String line, long seconds) {
    Matcher m = STAMP.matcher(line);
    if (!m.find()) {
      return line;
    }
    return String.format("[%5d.%s]", seconds, m.group(2)) + line.substring(m.end());
  }

  /** The null-deref log with the WARN printed during boot (second 0) and the oops at {@code t}. */
  private static String warnAtBootOopsAt(long oopsSeconds) throws Exception {
    List<String> lab = labNullDeref();
    int oops = 0;
    while (!lab.get(oops).contains("BUG: kernel NULL pointer dereference")) {
      oops++;
    }
    List<String> out = new ArrayList<>(lab.subList(0, 200));
    for (String l : radeonWarn()) {
      out.add(retimed(l, 0));
    }
    out.addAll(lab.subList(200, oops));
    for (String l : lab.subList(oops, lab.size())) {
      out.add(retimed(l, oopsSeconds + 2));
    }
    return String.join("\n", out);
  }

  @Test
  void aWarnAtBootIsNotTheCauseOfAnOopsAnHourLater() throws Exception {
    CrashFacts f = Inputs.factsOfText(warnAtBootOopsAt(3600));
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
    CrashFacts f = Inputs.factsOfText(warnAtBootOopsAt(0));
    ReportView warn = f.reports().get(0);
    ReportView oops = f.reports().get(f.reports().size() - 1);
    assertThat(CauseLinks.between(warn, oops)).contains(CauseLink.NEAR_IN_TIME);
    assertThat(Objects.requireNonNull(f.primary()).failureClass()).isEqualTo(FailureClass.WARNING);
  }

  @Test
  void onlyTheBootThatCrashedCounts() throws Exception {
    // a previous boot's WARN (its log tail) before the lab kernel's own boot and crash
    String log = String.join("\n", radeonWarn()) + "\n" + String.join("\n", labNullDeref());
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
