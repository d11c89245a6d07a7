package org.ktriage.analysis.order;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.EntryKind;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.kind.ReportingFrames;

/**
 * The code a watchdog's interrupt found running, read from a lockup or stall report whose trace is
 * the detector's own stack: kernel/watchdog.c watchdog_timer_fn() (soft lockup) runs from the
 * per-CPU hrtimer interrupt and, with softlockup_panic, calls panic() whose dump_stack() prints the
 * timer interrupt's frames and then the interrupted task's; kernel/rcu/tree_stall.h
 * print_cpu_stall() runs from the scheduler tick (rcu_sched_clock_irq() under
 * update_process_times()) and dumps the same way; the hard-lockup detector runs from the NMI
 * (watchdog_overflow_callback()). The detector, the timer, the interrupt controller and the
 * exception entry are never the culprit: the first frame below the interrupt entry is where the CPU
 * was looping.
 */
final class InterruptedCode {

  private InterruptedCode() {}

  /** Classes a watchdog reports from an interrupt it took on the stuck CPU. */
  private static final Set<FailureClass> WATCHDOG_CLASSES =
      Set.of(FailureClass.SOFT_LOCKUP, FailureClass.HARD_LOCKUP, FailureClass.RCU_STALL);

  /**
   * The tick-time RCU checkers that print a self-detected stall (kernel/rcu/tree.c
   * rcu_sched_clock_irq(), before v5.0 rcu_check_callbacks(); rcu_pending() → check_cpu_stall();
   * tree_stall.h rcu_dump_cpu_stacks()), besides the detectors {@link Detectors#ofFrame} knows.
   */
  private static final Set<String> TICK_CHECKERS =
      Set.of("rcu_sched_clock_irq", "rcu_check_callbacks", "rcu_pending", "rcu_dump_cpu_stacks");

  /** The idle loop (kernel/sched/idle.c, arch idle routines, cpuidle drivers). */
  private static final Pattern IDLE =
      Pattern.compile(
          "^(?:do_idle|cpu_startup_entry|cpu_idle_poll|default_idle(?:_call)?|arch_cpu_idle\\w*"
              + "|cpu_do_idle|call_cpuidle|cpuidle_enter\\w*|psci_\\w*idle\\w*|mwait_idle\\w*"
              + "|intel_idle\\w*|acpi_idle_\\w+|poll_idle|cpu_idle|pseries_\\w*idle\\w*"
              + "|power\\d_idle\\w*|snooze_loop|xen_safe_halt)$");

  /**
   * The code a watchdog report's interrupt found running, when its trace runs through its detector:
   * the first frame the trace prints below the interrupt entry that is not a reporting frame or
   * primitive ({@link Culprits#notCulprit}). Null when the report is of another class, the trace
   * shows no detector (the report printed the victim's stack alone), nothing below the interrupt
   * names a function, or the CPU was idle: the detector then reported another CPU (the buddy
   * hard-lockup detector, kernel/watchdog_buddy.c, dumps its own idle stack) or the tick itself is
   * what stalled.
   */
  static @Nullable Frame of(FailureClass c, List<Frame> frames) {
    if (!WATCHDOG_CLASSES.contains(c)) {
      return null;
    }
    int detector = -1;
    for (int i = 0; i < frames.size(); i++) {
      if (isDetector(frames.get(i).function())) {
        detector = i;
      }
    }
    if (detector < 0) {
      return null;
    }
    return firstOfInterrupted(
        c, frames.subList(endOfInterrupt(frames, detector) + 1, frames.size()));
  }

  /** How many frames above the culprit an idle-loop frame still shows the CPU was idle. */
  private static final int IDLE_REACH = 4;

  private static @Nullable Frame firstOfInterrupted(FailureClass c, List<Frame> interrupted) {
    boolean anyReliable = interrupted.stream().anyMatch(Frame::reliable);
    for (Frame fr : interrupted) {
      if ((anyReliable && !fr.reliable()) || Culprits.unnamed(fr.function())) {
        continue;
      }
      if (!Culprits.notCulprit(c, fr.function()) && FrameNames.entryKind(fr.function()).isEmpty()) {
        int at = interrupted.indexOf(fr);
        for (Frame up : interrupted.subList(at, Math.min(interrupted.size(), at + IDLE_REACH))) {
          if (IDLE.matcher(FrameNames.base(up.function())).find()) {
            return null;
          }
        }
        return fr;
      }
    }
    return null;
  }

  private static boolean isDetector(String function) {
    String b = FrameNames.base(function);
    FailureClass d = Detectors.ofFrame(b);
    return (d != null && WATCHDOG_CLASSES.contains(d)) || TICK_CHECKERS.contains(b);
  }

  /**
   * Index of the last frame of the interrupt that ran the detector at {@code from}: the run of
   * interrupt and timer frames after it, where one frame no table names (an interrupt controller's
   * or a timer driver's handler) may sit between two that an entry table names.
   */
  private static int endOfInterrupt(List<Frame> frames, int from) {
    int end = from;
    for (int j = from + 1; j < frames.size(); j++) {
      String f = frames.get(j).function();
      if (interruptFrame(f)) {
        end = j;
      } else if (j != end + 1
          || !(Culprits.unnamed(f)
              || (j + 1 < frames.size() && entry(frames.get(j + 1).function())))) {
        break;
      }
    }
    return end;
  }

  private static boolean interruptFrame(String function) {
    return entry(function) || ReportingFrames.isInterruptPath(FrameNames.base(function));
  }

  private static boolean entry(String function) {
    EntryKind k = FrameNames.entryKind(function).orElse(null);
    return k == EntryKind.INTERRUPT || k == EntryKind.NMI;
  }
}
