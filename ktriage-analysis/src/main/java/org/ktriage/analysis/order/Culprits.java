package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.signature.Signature;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.CpuState;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.Oops;
import org.ktriage.model.StackSegment;
import org.ktriage.model.kind.ReportingFrames;

/**
 * Which frame of a stack is to blame: the first reliable frame that does not report, print or
 * decide (panic, WARN, dump_stack, the scheduler a waiter sleeps in), and for a class whose
 * reported site is a checker or a wait primitive, the code that called it.
 */
public final class Culprits {

  private Culprits() {}

  /** Classes whose reported site is the detector or the wait, not the culprit. */
  private static final Set<FailureClass> DETECTED_BY_CHECKER =
      Set.of(FailureClass.HUNG_TASK, FailureClass.LIST_CORRUPTION);

  /**
   * True for the functions that stop the kernel: {@code panic()} (kernel/panic.c), its arm64/s390
   * spelling {@code vpanic()} and {@code nmi_panic()}, which the NMI watchdogs call. The one place
   * this question is answered in cause ordering.
   */
  static boolean isPanicFrame(String function) {
    return ReportingFrames.isPanic(FrameNames.base(function));
  }

  /** Index of the innermost panic frame, or -1. */
  static int panicIndex(List<Frame> frames) {
    for (int i = 0; i < frames.size(); i++) {
      if (isPanicFrame(frames.get(i).function())) {
        return i;
      }
    }
    return -1;
  }

  /** The first reliable frame that is not a reporting helper. */
  public static @Nullable Frame culprit(List<Frame> frames) {
    boolean anyReliable = frames.stream().anyMatch(Frame::reliable);
    for (Frame fr : frames) {
      if (anyReliable && !fr.reliable()) {
        continue;
      }
      if (!ReportingFrames.isReporting(FrameNames.base(fr.function()))
          && !fr.function().startsWith("0x")) {
        return fr;
      }
    }
    return null;
  }

  /**
   * For a class whose reported site is a checker (list debugging) or a wait primitive (a hung
   * task), the code that called it; null when the site itself is to blame.
   */
  static @Nullable Frame blamedCaller(
      FailureClass c, @Nullable String function, List<Frame> frames) {
    if (function == null) {
      return null;
    }
    String site = FrameNames.base(function);
    // a site that only reports, or a primitive or asserting API (ReportingFrames), blames its
    // caller; a checker or wait primitive of a detected class blames the code that called it
    boolean reporting = ReportingFrames.isReporting(site);
    boolean checker = DETECTED_BY_CHECKER.contains(c) && Signature.isInfrastructure(function);
    if (!reporting && !checker) {
      return null;
    }
    int start = 0;
    for (int i = 0; i < frames.size(); i++) {
      if (FrameNames.base(frames.get(i).function()).equals(site)) {
        start = i + 1;
        break;
      }
    }
    List<Frame> callers = frames.subList(start, frames.size());
    boolean anyReliable = callers.stream().anyMatch(Frame::reliable);
    for (Frame fr : callers) {
      if ((anyReliable && !fr.reliable()) || fr.function().startsWith("0x")) {
        continue;
      }
      String b = FrameNames.base(fr.function());
      if (!ReportingFrames.isReporting(b)
          && !(checker && Signature.isInfrastructure(fr.function()))) {
        return fr;
      }
    }
    return null;
  }

  /** The frame that called panic() on a CPU, or null. */
  static @Nullable Frame panicCaller(@Nullable CpuState cpu) {
    if (cpu == null) {
      return null;
    }
    List<Frame> frames = framesOf(cpu);
    int at = panicIndex(frames);
    if (at < 0) {
      return null;
    }
    // the caller is whoever called panic(): a detector (the watchdog) is a caller too; only
    // further panic wrappers (nmi_panic) and unreliable or unnamed frames are passed over
    List<Frame> callers = frames.subList(at + 1, frames.size());
    boolean anyReliable = callers.stream().anyMatch(Frame::reliable);
    for (Frame fr : callers) {
      if ((anyReliable && !fr.reliable())
          || fr.function().startsWith("0x")
          || isPanicFrame(fr.function())) {
        continue;
      }
      return fr;
    }
    return null;
  }

  /** All frames of a CPU's stacks, innermost first. */
  static List<Frame> framesOf(CpuState cpu) {
    return flatten(cpu.segments());
  }

  /** All frames of a report's call trace, innermost first. */
  static List<Frame> framesOf(Oops o) {
    return flatten(o.trace());
  }

  private static List<Frame> flatten(List<StackSegment> segments) {
    List<Frame> frames = new ArrayList<>();
    for (StackSegment s : segments) {
      frames.addAll(s.frames());
    }
    return frames;
  }
}
