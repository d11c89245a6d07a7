package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;
import org.ktriage.model.kind.ReportKinds;

/**
 * Traces a hung-task storm to the lock holder (playbook §9): lockdep's {@code Showing all locks
 * held in the system:} lists a sleeping lock under every task that holds or waits for it; the hung
 * tasks that sleep in the lock's slow path are its waiters, and a hung task that lists the same
 * lock but sleeps on something else (a completion, an RCU grace period, I/O) holds it.
 */
public final class LockHolders {

  private LockHolders() {}

  /**
   * The task holding a lock that other hung tasks wait for.
   *
   * @param holder the holder's report
   * @param task the holder as {@code comm/pid}
   * @param lock the lock's lockdep name
   * @param waiters hung tasks waiting for it ({@code comm/pid})
   * @param holderWait the holder's own wait frame ({@code function+0xoff})
   * @param source the lockdep line naming the lock under the holder
   */
  public record Holder(
      ReportView holder,
      String task,
      String lock,
      List<String> waiters,
      String holderWait,
      SourceSpan source) {

    public Holder {
      waiters = List.copyOf(waiters);
    }
  }

  private static final Pattern HELD_BY = Pattern.compile("\\d+ locks? held by (\\S+?):?$");
  private static final Pattern HELD = Pattern.compile("^#\\d+:\\s+[0-9a-f]+ \\((.+?)\\)\\{");

  /** Sleeping-lock slow paths a waiter sleeps in (base-name prefixes). */
  private static final List<String> LOCK_WAITS =
      List.of(
          "__mutex_lock",
          "mutex_lock",
          "rwsem_down",
          "down_read",
          "down_write",
          "__down",
          "percpu_down",
          "__rt_mutex",
          "rt_mutex");

  private static final Set<String> SCHEDULER =
      Set.of(
          "__schedule",
          "schedule",
          "schedule_timeout",
          "schedule_preempt_disabled",
          "io_schedule",
          "io_schedule_timeout",
          "__switch_to",
          "__switch_to_asm",
          "context_switch",
          "schedule_timeout_uninterruptible");

  /**
   * The task ({@code comm/pid}) a hung-task header names, read with the report-kind table's own
   * header (kernel/hung_task.c check_hung_task: "INFO: task %s:%d blocked for more than %ld
   * seconds."), or null when the headline is no such header.
   */
  static @Nullable String hungTask(String headline) {
    ReportKinds.Match m = ReportKinds.find(headline, "hung-task");
    if (m == null) {
      return null;
    }
    return m.matcher().group("comm") + "/" + m.matcher().group("pid");
  }

  /** The first holder found, or null when no hung task provably holds what others wait for. */
  public static @Nullable Holder find(List<ReportView> reports, List<LogRecord> lines) {
    Map<String, ReportView> hung = new LinkedHashMap<>();
    Map<String, Frame> waitFrame = new LinkedHashMap<>();
    for (ReportView v : reports) {
      String task =
          v.failureClass() == FailureClass.HUNG_TASK ? hungTask(v.oops().headline()) : null;
      if (task == null) {
        continue;
      }
      Frame w = waitFrame(v);
      if (w != null && !hung.containsKey(task)) {
        hung.put(task, v);
        waitFrame.put(task, w);
      }
    }
    if (hung.size() < 2) {
      return null;
    }
    Map<String, Set<String>> listers = new LinkedHashMap<>();
    Map<String, Map<String, SourceSpan>> where = new LinkedHashMap<>();
    String who = null;
    for (LogRecord l : lines) {
      String t = l.text().strip();
      Matcher by = HELD_BY.matcher(t);
      if (by.find()) {
        who = by.group(1);
        continue;
      }
      Matcher h = HELD.matcher(t);
      if (h.find() && who != null) {
        listers.computeIfAbsent(h.group(1), k -> new LinkedHashSet<>()).add(who);
        where.computeIfAbsent(h.group(1), k -> new LinkedHashMap<>()).putIfAbsent(who, l.source());
      }
    }
    for (Map.Entry<String, Set<String>> e : listers.entrySet()) {
      List<String> waiters = new ArrayList<>();
      List<String> holders = new ArrayList<>();
      for (String task : e.getValue()) {
        Frame w = waitFrame.get(task);
        if (w == null) {
          continue;
        }
        if (isLockWait(w.function())) {
          waiters.add(task);
        } else {
          holders.add(task);
        }
      }
      if (!waiters.isEmpty() && holders.size() == 1) {
        String task = holders.get(0);
        ReportView holder = hung.get(task);
        Frame w = waitFrame.get(task);
        SourceSpan src = where.getOrDefault(e.getKey(), Map.of()).get(task);
        if (holder != null && w != null && src != null) {
          return new Holder(holder, task, e.getKey(), waiters, w.where(), src);
        }
      }
    }
    return null;
  }

  private static boolean isLockWait(String function) {
    String b = FrameNames.base(function);
    for (String p : LOCK_WAITS) {
      if (b.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** The first reliable frame under the scheduler: what the task sleeps in. */
  private static @Nullable Frame waitFrame(ReportView v) {
    for (StackSegment s : v.oops().trace()) {
      for (Frame f : s.frames()) {
        if (f.reliable() && !SCHEDULER.contains(FrameNames.base(f.function()))) {
          return f;
        }
      }
    }
    return null;
  }
}
