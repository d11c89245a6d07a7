package org.ktriage.analysis.order;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;

/**
 * The kernel's detectors (watchdogs, stall and hung-task checkers, OOM, the WARN and die paths):
 * which classes report a victim rather than a failing instruction, and which frames calling panic()
 * stand for which detector.
 */
final class Detectors {

  private Detectors() {}

  /** Classes whose report names a victim (or nothing): its faults are context, not the failure. */
  static final Set<FailureClass> VICTIM_REPORTS =
      Set.of(
          FailureClass.SOFT_LOCKUP,
          FailureClass.HARD_LOCKUP,
          FailureClass.RCU_STALL,
          FailureClass.HUNG_TASK,
          FailureClass.OOM,
          FailureClass.EXPLICIT_PANIC,
          FailureClass.UNKNOWN);

  /** Frames that call panic() for a detector → the trigger they stand for. */
  private static final Map<String, FailureClass> TRIGGER_FRAMES =
      Map.ofEntries(
          Map.entry("watchdog_overflow_callback", FailureClass.HARD_LOCKUP),
          Map.entry("watchdog_hardlockup_check", FailureClass.HARD_LOCKUP),
          Map.entry("watchdog_check_hardlockup_other_cpu", FailureClass.HARD_LOCKUP),
          Map.entry("watchdog_buddy_check_hardlockup", FailureClass.HARD_LOCKUP),
          Map.entry("watchdog_timer_fn", FailureClass.SOFT_LOCKUP),
          Map.entry("check_hung_uninterruptible_tasks", FailureClass.HUNG_TASK),
          Map.entry("check_hung_task", FailureClass.HUNG_TASK),
          // khungtaskd's thread function in kernel/hung_task.c (the check is inlined into it)
          Map.entry("watchdog", FailureClass.HUNG_TASK),
          Map.entry("print_cpu_stall", FailureClass.RCU_STALL),
          Map.entry("print_other_cpu_stall", FailureClass.RCU_STALL),
          Map.entry("panic_on_rcu_stall", FailureClass.RCU_STALL),
          Map.entry("check_cpu_stall", FailureClass.RCU_STALL),
          Map.entry("out_of_memory", FailureClass.OOM),
          Map.entry("oom_kill_process", FailureClass.OOM),
          Map.entry("check_panic_on_oom", FailureClass.OOM),
          Map.entry("sysrq_handle_crash", FailureClass.SYSRQ_CRASH),
          Map.entry("__warn", FailureClass.WARNING),
          Map.entry("warn_slowpath_common", FailureClass.WARNING),
          Map.entry("check_panic_on_warn", FailureClass.WARNING),
          Map.entry("mce_panic", FailureClass.MCE),
          Map.entry("do_machine_check", FailureClass.MCE),
          Map.entry("__stack_chk_fail", FailureClass.STACK_OVERFLOW),
          Map.entry("handle_stack_overflow", FailureClass.STACK_OVERFLOW),
          Map.entry("oops_end", FailureClass.UNKNOWN),
          Map.entry("die", FailureClass.UNKNOWN));

  /**
   * Detector families recognised by name when the exact function is not in {@link #TRIGGER_FRAMES}
   * (kernels rename them): RCU stall printers, hung-task checkers.
   */
  private static final List<Map.Entry<Pattern, FailureClass>> TRIGGER_FRAME_PATTERNS =
      List.of(
          Map.entry(
              Pattern.compile("^rcu_\\w*stall\\w*$|^\\w*_cpu_stall\\w*$"), FailureClass.RCU_STALL),
          Map.entry(Pattern.compile("^\\w*hung_task\\w*$"), FailureClass.HUNG_TASK),
          Map.entry(Pattern.compile("^watchdog_\\w*hardlockup\\w*$"), FailureClass.HARD_LOCKUP));

  /** How far above panic() the detector's own frame may sit (inlined helpers in between). */
  private static final int PANIC_CALLER_REACH = 5;

  /** The detector a frame (base name) that called panic() stands for, or null. */
  static @Nullable FailureClass ofFrame(String function) {
    String b = FrameNames.base(function);
    FailureClass c = TRIGGER_FRAMES.get(b);
    if (c != null) {
      return c;
    }
    for (Map.Entry<Pattern, FailureClass> e : TRIGGER_FRAME_PATTERNS) {
      if (e.getKey().matcher(b).find()) {
        return e.getValue();
      }
    }
    return null;
  }

  /** A detector frame that called panic(), and the class it stands for. */
  record Caller(Frame frame, FailureClass failureClass) {}

  /**
   * The detector frame within reach above the panic frame at {@code panicAt}; with {@code
   * namedOnly} the die/oops_end frames (class UNKNOWN) are passed over.
   */
  static @Nullable Caller abovePanic(List<Frame> frames, int panicAt, boolean namedOnly) {
    for (int j = panicAt + 1; j < Math.min(frames.size(), panicAt + 1 + PANIC_CALLER_REACH); j++) {
      FailureClass c = ofFrame(frames.get(j).function());
      if (c != null && (!namedOnly || c != FailureClass.UNKNOWN)) {
        return new Caller(frames.get(j), c);
      }
    }
    return null;
  }
}
