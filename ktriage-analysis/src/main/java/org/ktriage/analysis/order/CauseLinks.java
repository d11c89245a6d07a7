package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.FailureClass;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Taint;

/**
 * Links between reports ({@link CauseLink}) and the incident they make: the report the kernel
 * crashed on, in the boot that crashed, and every earlier report linked to it, directly or through
 * another linked report.
 */
final class CauseLinks {

  private CauseLinks() {}

  /** How many of the nearest linked reports an earlier report is compared with. */
  private static final int LINK_REACH = 16;

  /** How soon after an earlier failure a later one must begin to count as near in time. */
  static final long NEAR_NANOS = 30_000_000_000L;

  /**
   * Detector cascades (earlier → later): a CPU stuck with interrupts or preemption off starves the
   * watchdogs of the others, holds up RCU grace periods (kernel/rcu/tree_stall.h) and leaves tasks
   * waiting on it in D state (kernel/hung_task.c); an RCU stall hangs synchronize_rcu() callers; an
   * OOM storm blocks allocators. A detector also reports again while its condition lasts (the RCU
   * stall warning re-arms itself, the soft-lockup watchdog reports the same CPU "stuck for"
   * longer): a repeat is the same incident.
   */
  private static final Map<FailureClass, Set<FailureClass>> CASCADES =
      Map.of(
          FailureClass.HARD_LOCKUP,
          Set.of(
              FailureClass.HARD_LOCKUP,
              FailureClass.SOFT_LOCKUP,
              FailureClass.RCU_STALL,
              FailureClass.HUNG_TASK),
          FailureClass.SOFT_LOCKUP,
          Set.of(
              FailureClass.SOFT_LOCKUP,
              FailureClass.HARD_LOCKUP,
              FailureClass.RCU_STALL,
              FailureClass.HUNG_TASK),
          FailureClass.RCU_STALL,
          Set.of(FailureClass.RCU_STALL, FailureClass.SOFT_LOCKUP, FailureClass.HUNG_TASK),
          FailureClass.HUNG_TASK,
          Set.of(FailureClass.HUNG_TASK),
          FailureClass.OOM,
          Set.of(FailureClass.OOM, FailureClass.HUNG_TASK));

  /** What links {@code earlier} to {@code later}; empty when they are independent. */
  static Set<CauseLink> between(ReportView earlier, ReportView later) {
    Set<CauseLink> links = EnumSet.noneOf(CauseLink.class);
    Integer ec = earlier.oops().cpu();
    if (ec != null && ec.equals(later.oops().cpu())) {
      links.add(CauseLink.SAME_CPU);
    }
    Integer ep = earlier.oops().pid();
    if (ep != null
        && ep.equals(later.oops().pid())
        && Objects.equals(earlier.oops().comm(), later.oops().comm())) {
      links.add(CauseLink.SAME_TASK);
    }
    Character left = taintLeft(earlier);
    Taint t = later.oops().taint();
    if (left != null && t != null && t.has(left)) {
      links.add(CauseLink.TAINT);
    }
    if (CASCADES.getOrDefault(earlier.failureClass(), Set.of()).contains(later.failureClass())) {
      links.add(CauseLink.KNOWN_CASCADE);
    }
    if (near(earlier, later)) {
      links.add(CauseLink.NEAR_IN_TIME);
    }
    return links;
  }

  /** True when the links make {@code earlier} a possible cause of the later report. */
  static boolean isCause(Set<CauseLink> links) {
    return links.contains(CauseLink.SAME_TASK)
        || links.contains(CauseLink.TAINT)
        || links.contains(CauseLink.KNOWN_CASCADE)
        || links.contains(CauseLink.NEAR_IN_TIME);
  }

  /** The taint letter a report's event sets that later failures can depend on, or null. */
  private static @Nullable Character taintLeft(ReportView v) {
    if (v.oops().dieCounter() != null || v.oops().dieHeader() != null) {
      return 'D';
    }
    return switch (v.failureClass()) {
      case BAD_PAGE_STATE -> 'B';
      case MCE -> 'M';
      case SOFT_LOCKUP -> 'L';
      default -> null;
    };
  }

  /**
   * True when the later failure began (its onset, see {@link FirstReport#onsetNanos}) at most
   * {@link #NEAR_NANOS} after the earlier was printed; without both timestamps, nothing shows them
   * apart and they count as near.
   */
  private static boolean near(ReportView earlier, ReportView later) {
    Long e =
        earlier.oops().lines().isEmpty() ? null : earlier.oops().lines().get(0).timestampNanos();
    Long l = FirstReport.onsetNanos(later);
    return e == null || l == null || l - e <= NEAR_NANOS;
  }

  /**
   * The reports of the incident the kernel crashed on, in log order: the last classified report
   * that is not only a panic message, and the earlier reports of its boot linked to it or to
   * another linked report. All reports when none is classified.
   */
  static List<ReportView> incident(List<ReportView> views, List<LogRecord> log) {
    int last = -1;
    for (int i = views.size() - 1; i >= 0 && last < 0; i--) {
      ReportView v = views.get(i);
      if (v.failureClass() != FailureClass.UNKNOWN && !panicOnly(v)) {
        last = i;
      }
    }
    if (last < 0) {
      return views;
    }
    Boots boots = Boots.of(log);
    int boot = boots.bootOf(views.get(last));
    List<ReportView> linked = new ArrayList<>();
    linked.add(views.get(last));
    for (int i = last - 1; i >= 0; i--) {
      ReportView v = views.get(i);
      if (boots.bootOf(v) != boot) {
        break;
      }
      // links chain: comparing with the nearest linked reports bounds the work on a log of
      // thousands of repeated reports
      List<ReportView> nearest = linked.subList(0, Math.min(linked.size(), LINK_REACH));
      if (v.failureClass() == FailureClass.UNKNOWN
          || nearest.stream().anyMatch(l -> isCause(between(v, l)))) {
        linked.add(0, v);
      }
    }
    List<ReportView> incident = new ArrayList<>(linked);
    incident.addAll(views.subList(last + 1, views.size()));
    return incident;
  }

  /** A report that is only a panic message (no RIP, no fault sites). */
  static boolean panicOnly(ReportView v) {
    return v.oops().panicMessage() != null && v.oops().ip() == null && v.sites().isEmpty();
  }
}
