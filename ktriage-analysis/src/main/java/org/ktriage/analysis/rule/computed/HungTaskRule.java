package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.ReportView;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.Evidence;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.Hex;
import org.ktriage.model.LockWait;
import org.ktriage.model.LogRecord;
import org.ktriage.model.StackSegment;
import org.ktriage.model.kind.ReportKinds;

/**
 * A task in uninterruptible sleep past the hung-task timeout, with what it waits on (the wait
 * primitive under {@code schedule()}), the likely owner when the kernel prints it, and how many
 * tasks hang (playbook §9).
 */
public final class HungTaskRule implements ComputedRule {

  private static final Pattern BLOCKER =
      Pattern.compile(
          "is blocked on an? ([\\w-]+),? (?:but the owner is not found|likely (?:owned by|last held by) task (\\S+))");

  /** Wait primitive (function base name prefix) → what the task waits for. */
  private static final List<String[]> WAITS =
      List.of(
          new String[] {"__mutex_lock", "a mutex"},
          new String[] {"mutex_lock", "a mutex"},
          new String[] {"rwsem_down_", "an rw-semaphore"},
          new String[] {"down_read", "an rw-semaphore"},
          new String[] {"down_write", "an rw-semaphore"},
          new String[] {"__down", "a semaphore"},
          new String[] {"io_schedule", "I/O"},
          new String[] {"folio_wait_bit", "I/O on a page"},
          new String[] {"wait_on_page_bit", "I/O on a page"},
          new String[] {"bit_wait_io", "I/O"},
          new String[] {"blk_mq_get_tag", "a block request tag (I/O)"},
          new String[] {"wait_for_completion", "a completion"},
          new String[] {"synchronize_rcu", "an RCU grace period"},
          new String[] {"synchronize_srcu", "an SRCU grace period"},
          new String[] {"rcu_barrier", "RCU callbacks"},
          new String[] {"__wait_rcu_gp", "an RCU grace period"},
          new String[] {"__flush_work", "a work item"},
          new String[] {"flush_work", "a work item"},
          new String[] {"__flush_workqueue", "a workqueue flush"},
          new String[] {"flush_workqueue", "a workqueue flush"},
          new String[] {"drain_workqueue", "a workqueue drain"},
          new String[] {"rpc_wait_bit_killable", "an RPC (network filesystem)"},
          new String[] {"fuse_", "a FUSE server"},
          new String[] {"p9_client_rpc", "a 9p server"},
          new String[] {"nfs_", "an NFS server"});

  /** The lock wait of the hung task ({@code comm:pid} as the headline prints it), or null. */
  private static @Nullable LockWait lockWait(CrashFacts f, String task) {
    int colon = task.lastIndexOf(':');
    String comm = colon < 0 ? task : task.substring(0, colon);
    Integer pid = null;
    if (colon >= 0) {
      try {
        pid = Integer.valueOf(task.substring(colon + 1));
      } catch (NumberFormatException e) {
        pid = null;
      }
    }
    for (LockWait w : f.report().lockWaits()) {
      if (pid != null ? w.waiterPid() == pid : w.waiterComm().equals(comm)) {
        return w;
      }
    }
    return null;
  }

  /** Frames innermost first, {@code a < b < c}; unnamed frames by address. */
  private static String stackText(CrashFacts f, List<StackSegment> segments) {
    List<String> names = new ArrayList<>();
    for (StackSegment s : segments) {
      for (Frame fr : s.frames()) {
        Long a = fr.address();
        if (fr.function().equals("?") && a != null) {
          names.add(Hex.reg(a) + f.moduleCovering(a).map(m -> " [" + m.name() + "]").orElse(""));
        } else {
          names.add(fr.where());
        }
      }
    }
    return String.join(" < ", names);
  }

  @Override
  public String id() {
    return "hung-task";
  }

  /** About the incident as a whole: the blocked tasks of the incident. */
  @Override
  public boolean describesOneFailure() {
    return false;
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    ReportView first = null;
    Set<String> tasks = new LinkedHashSet<>();
    Matcher m = null;
    for (ReportView v : f.reports()) {
      Matcher h = v.failureClass() == FailureClass.HUNG_TASK ? blocked(v.oops().headline()) : null;
      if (h != null) {
        tasks.add(task(h));
        if (first == null) {
          first = v;
          m = h;
        }
      }
    }
    if (first == null || m == null) {
      return null;
    }
    Map<String, String> values = new HashMap<>();
    List<Evidence> ev = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    values.put("task", task(m));
    values.put("seconds", m.group("seconds"));
    ev.add(new Evidence(first.oops().headline().strip(), first.oops().span()));
    waitPrimitive(first, values, ev, missing);
    String owner = printedOwner(f, ev);
    String inMemory = ownerInMemory(f, m.group(1), values, ev);
    if (inMemory != null) {
      owner = inMemory;
    }
    if (owner.isEmpty()) {
      missing.add("the lock owner (crash> struct mutex <lock>; CONFIG_DETECT_HUNG_TASK_BLOCKER)");
    }
    values.put("owner", owner);
    values.put(
        "storm",
        tasks.size() > 1
            ? " (" + tasks.size() + " tasks hang: " + String.join(", ", tasks) + ")"
            : "");
    return new Hit(values, ev, 0.75, missing);
  }

  /**
   * What the hung task waits for: the first reliable frame of its trace that is a wait primitive
   * (under {@code schedule()}), put in {@code waitsOn}/{@code waitFrame}.
   */
  private static void waitPrimitive(
      ReportView first, Map<String, String> values, List<Evidence> ev, List<String> missing) {
    for (StackSegment s : first.oops().trace()) {
      for (Frame fr : s.frames()) {
        if (!fr.reliable()) {
          continue;
        }
        String b = FrameNames.base(fr.function());
        for (String[] w : WAITS) {
          if (b.startsWith(w[0])) {
            values.put("waitsOn", w[1]);
            values.put("waitFrame", fr.where());
            ev.add(new Evidence("waits in " + fr.where() + ": " + w[1], fr.source()));
            return;
          }
        }
      }
    }
    values.put("waitsOn", "something it sleeps on");
    values.put("waitFrame", "trace unclear");
    missing.add("a reliable trace of the hung task (the wait primitive under schedule())");
  }

  /**
   * The owner the kernel printed (CONFIG_DETECT_HUNG_TASK_BLOCKER, kernel/hung_task.c
   * debug_show_blocker: "… is blocked on a mutex likely owned by task …"), or "" when none.
   */
  private static String printedOwner(CrashFacts f, List<Evidence> ev) {
    for (LogRecord l : f.logLines()) {
      Matcher b = BLOCKER.matcher(l.text());
      if (b.find()) {
        ev.add(new Evidence(l.text().strip(), l.source()));
        return b.group(2) == null
            ? "; the " + b.group(1) + "'s owner was not found"
            : "; the " + b.group(1) + " is likely held by " + b.group(2);
      }
    }
    return "";
  }

  /**
   * The owner of the lock the hung task ({@code comm:pid}) waits on, read from a dump's memory, or
   * null when the dump showed no such wait.
   */
  private static @Nullable String ownerInMemory(
      CrashFacts f, String task, Map<String, String> values, List<Evidence> ev) {
    LockWait wait = lockWait(f, task);
    if (wait == null) {
      return null;
    }
    String lock = Hex.reg(wait.lockAddress());
    values.put("lock", lock);
    values.put("lockKind", wait.kind());
    Integer ownerPid = wait.ownerPid();
    if (ownerPid == null) {
      return "; the " + wait.kind() + " " + lock + " has no owner task in the dump";
    }
    values.put("ownerPid", Integer.toString(ownerPid));
    String stack = stackText(f, wait.ownerStack());
    ev.add(
        Evidence.about(
            "lock owner from memory: "
                + wait.waiterComm()
                + ":"
                + wait.waiterPid()
                + " waits on "
                + wait.kind()
                + " "
                + lock
                + " owned by "
                + wait.ownerComm()
                + ":"
                + ownerPid,
            wait.source(),
            wait.lockAddress()));
    if (!stack.isEmpty()) {
      ev.add(new Evidence("owner's stack: " + stack, wait.source()));
    }
    return "; the "
        + wait.kind()
        + " "
        + lock
        + (wait.readerOwned() ? " is held for reading, last by " : " is held by ")
        + wait.ownerComm()
        + " (pid "
        + ownerPid
        + (wait.ownerState() == null ? "" : ", state " + wait.ownerState())
        + ")"
        + (stack.isEmpty() ? "" : ", which sits in " + stack);
  }

  /**
   * The hung-task header in a headline, read with the report-kind table's own header
   * (kernel/hung_task.c check_hung_task: "INFO: task %s:%d blocked for more than %ld seconds."), or
   * null when there is none or the line is cut before the seconds.
   */
  private static @Nullable Matcher blocked(String headline) {
    ReportKinds.Match m = ReportKinds.find(headline, "hung-task");
    return m == null || m.matcher().group("seconds") == null ? null : m.matcher();
  }

  /** The hung task as {@code comm:pid}, as the kernel prints it. */
  private static String task(Matcher header) {
    return header.group("comm") + ":" + header.group("pid");
  }
}
