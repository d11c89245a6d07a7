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
   * another linked report, and the reports printed after it in its boot. A report of a kdump
   * capture kernel's own boot ({@link Boots#captureKernel}) is not the crash when a boot before it
   * holds one: the capture kernel only saves the crashed kernel's memory. All reports when none is
   * classified.
   */
  static List<ReportView> incident(List<ReportView> views, List<LogRecord> log) {
    Boots boots = bootsOf(views, log);
    int last = lastCrash(views, boots, false);
    if (last < 0) {
      last = lastCrash(views, boots, true);
    }
    if (last < 0) {
      return views;
    }
    int boot = boots.bootOf(views.get(last));
    List<ReportView> linked = new ArrayList<>();
    linked.add(views.get(last));
    for (int i = last - 1; i >= 0; i--) {
      ReportView v = views.get(i);
      if (boots.bootOf(v) != boot) {
        break;
      }
      if (v.failureClass() == FailureClass.UNKNOWN || linkedToAny(v, linked)) {
        linked.add(0, v);
      }
    }
    List<ReportView> incident = new ArrayList<>(linked);
    for (ReportView v : views.subList(last + 1, views.size())) {
      // what the dying kernel printed after the crash; a later boot is another kernel
      if (boots.bootOf(v) == boot) {
        incident.add(v);
      }
    }
    return incident;
  }

  /**
   * True when an earlier report is a possible cause of one of the linked reports; links chain, and
   * comparing with the nearest {@link #LINK_REACH} of them bounds the work on a log of thousands of
   * repeated reports.
   */
  static boolean linkedToAny(ReportView earlier, List<ReportView> linked) {
    List<ReportView> nearest = linked.subList(0, Math.min(linked.size(), LINK_REACH));
    return nearest.stream().anyMatch(l -> isCause(between(earlier, l)));
  }

  /** The boots of a log, told by its banners, command lines, clock and where its reports begin. */
  static Boots bootsOf(List<ReportView> views, List<LogRecord> log) {
    List<Long> starts = new ArrayList<>();
    long previous = Long.MIN_VALUE;
    for (ReportView v : views) {
      if (!v.oops().lines().isEmpty()) {
        long seq = v.oops().lines().get(0).seq();
        if (seq >= previous) {
          starts.add(seq);
          previous = seq;
        }
      }
    }
    return Boots.of(log, starts);
  }

  /**
   * The index of the last classified report that is not only a panic message, or -1; unless {@code
   * inCapture}, a report of a capture kernel's boot is passed over.
   */
  private static int lastCrash(List<ReportView> views, Boots boots, boolean inCapture) {
    for (int i = views.size() - 1; i >= 0; i--) {
      ReportView v = views.get(i);
      if (v.failureClass() != FailureClass.UNKNOWN
          && !panicOnly(v)
          && (inCapture || !boots.captureKernel(boots.bootOf(v)))) {
        return i;
      }
    }
    return -1;
  }

  /** A report that is only a panic message (no RIP, no fault sites). */
  static boolean panicOnly(ReportView v) {
    return v.oops().panicMessage() != null && v.oops().ip() == null && v.sites().isEmpty();
  }
}
