package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.FailureClass;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Taint;
import org.ktriage.model.kind.ReportKinds;

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

  /**
   * What follows a subsystem's own failed assertion on the CPU that printed it: drbd's
   * D_ASSERT()/expect() (drivers/block/drbd/drbd_int.h) print and go on with the broken state, and
   * the thread spins or waits forever; the SPL's spl_panic() parks the asserting thread in
   * TASK_UNINTERRUPTIBLE. The lockup, hang or stall is the assertion's consequence (the same task
   * is linked already by {@link CauseLink#SAME_TASK}).
   */
  private static final Set<FailureClass> ASSERTION_AFTERMATH =
      Set.of(FailureClass.SOFT_LOCKUP, FailureClass.HUNG_TASK, FailureClass.RCU_STALL);

  /** True when a report opens with a subsystem's own assertion line ({@link ReportKinds}). */
  private static boolean subsystemAssertion(ReportView v) {
    String h = v.oops().headline();
    ReportKinds.Match m = ReportKinds.match(h, h.length() - h.stripLeading().length());
    return m != null && m.kind().family().equals("assertion");
  }

  /** What links {@code earlier} to {@code later}; empty when they are independent. */
  static Set<CauseLink> between(ReportView earlier, ReportView later) {
    Set<CauseLink> links = EnumSet.noneOf(CauseLink.class);
    Integer ec = earlier.oops().cpu();
    if (ec != null && ec.equals(later.oops().cpu())) {
      links.add(CauseLink.SAME_CPU);
    }
    Task et = taskOf(earlier);
    if (et != null && et.equals(taskOf(later))) {
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
    if (links.contains(CauseLink.SAME_CPU)
        && subsystemAssertion(earlier)
        && ASSERTION_AFTERMATH.contains(later.failureClass())) {
      links.add(CauseLink.KNOWN_CASCADE);
    }
    if (near(earlier, later)) {
      links.add(CauseLink.NEAR_IN_TIME);
    }
    return links;
  }

  /** A task as a report names it. */
  private record Task(int pid, @Nullable String comm) {}

  /**
   * "BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]" (kernel/watchdog.c watchdog_timer_fn(): the
   * task running on the stuck CPU, current->comm and its pid).
   */
  private static final Pattern SOFT_LOCKUP_TASK = Pattern.compile("\\[(.{1,64}):(\\d+)\\]\\s*$");

  /**
   * The task a report is about: its own "CPU: n PID: p Comm: c" line, else the task its header
   * names (kernel/hung_task.c check_hung_task() "INFO: task %s:%d blocked", read with the
   * report-kind table's hung-task header; a soft lockup's "[comm:pid]"); null when none is named.
   */
  private static @Nullable Task taskOf(ReportView v) {
    Integer pid = v.oops().pid();
    if (pid != null) {
      return new Task(pid, v.oops().comm());
    }
    String h = v.oops().headline();
    ReportKinds.Match hung = ReportKinds.find(h, "hung-task");
    if (hung != null) {
      return task(hung.matcher().group("pid"), hung.matcher().group("comm"));
    }
    if (v.failureClass() == FailureClass.SOFT_LOCKUP) {
      Matcher m = SOFT_LOCKUP_TASK.matcher(h);
      if (m.find()) {
        return task(m.group(2), m.group(1));
      }
    }
    return null;
  }

  /** A task from a printed pid (at most PID_MAX_LIMIT, 2^22: seven digits) and comm. */
  private static @Nullable Task task(String pid, String comm) {
    return pid.length() > 7 ? null : new Task(Integer.parseInt(pid), comm);
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
