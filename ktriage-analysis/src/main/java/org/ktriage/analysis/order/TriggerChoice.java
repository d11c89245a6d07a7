package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.classify.FailureClassifier;
import org.ktriage.model.CpuState;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.PanicInfo;

/**
 * Chooses the trigger: what made the kernel panic or report. The panic message names a detector
 * ("Hard LOCKUP", "softlockup: hung tasks"), else the detector frame that called panic(), else the
 * report that died ("Fatal exception"), else the first report or the primary itself.
 */
final class TriggerChoice {

  private TriggerChoice() {}

  /** The trigger's class and the message or frame that names it. */
  record Trigger(FailureClass failureClass, @Nullable String where) {}

  static Trigger choose(CrashFacts f, @Nullable Primary primary) {
    PanicInfo panic = f.report().panic();
    String message = panic != null ? panic.message() : lastPanicMessage(f.reports());
    if (message != null) {
      FailureClass detector = FailureClassifier.panicDetector(message);
      if (detector != FailureClass.UNKNOWN) {
        return new Trigger(detector, message.strip());
      }
    }
    Trigger byFrames = fromPanicCallers(f);
    if (byFrames != null && byFrames.failureClass() != FailureClass.UNKNOWN) {
      return byFrames;
    }
    if (message != null) {
      if (FailureClassifier.isFatalException(message) || byFrames != null) {
        ReportView died = lastDyingReport(f.reports());
        if (died != null) {
          return new Trigger(died.failureClass(), died.oops().headline());
        }
        return new Trigger(
            primary == null ? FailureClass.UNKNOWN : primary.failureClass(), message.strip());
      }
      return new Trigger(FailureClassifier.classifyPanic(message), message.strip());
    }
    ReportView first = FirstReport.of(f);
    if (first != null) {
      return new Trigger(first.failureClass(), first.oops().headline());
    }
    return new Trigger(
        primary == null ? FailureClass.UNKNOWN : primary.failureClass(),
        primary == null ? null : primary.where());
  }

  /** The last panic message a report printed, or null. */
  static @Nullable String lastPanicMessage(List<ReportView> views) {
    for (int i = views.size() - 1; i >= 0; i--) {
      String m = views.get(i).oops().panicMessage();
      if (m != null) {
        return m;
      }
    }
    return null;
  }

  /** The last report that went through die()/oops, else the last classified report. */
  private static @Nullable ReportView lastDyingReport(List<ReportView> views) {
    ReportView found = null;
    for (ReportView v : views) {
      if (v.oops().dieCounter() != null || v.oops().dieHeader() != null) {
        found = v;
      }
    }
    if (found == null) {
      for (ReportView v : views) {
        if (v.failureClass() != FailureClass.EXPLICIT_PANIC
            && v.failureClass() != FailureClass.UNKNOWN) {
          found = v;
        }
      }
    }
    return found;
  }

  /** The detector frame that called panic() on the panic CPU (or in a panic report's trace). */
  private static @Nullable Trigger fromPanicCallers(CrashFacts f) {
    List<List<Frame>> stacks = new ArrayList<>();
    CpuState cpu = f.panicCpu();
    if (cpu != null) {
      stacks.add(Culprits.framesOf(cpu));
    }
    for (ReportView v : f.reports()) {
      if (v.oops().panicMessage() != null) {
        stacks.add(Culprits.framesOf(v.oops()));
      }
    }
    for (List<Frame> frames : stacks) {
      for (int i = 0; i < frames.size(); i++) {
        if (!Culprits.isPanicFrame(frames.get(i).function())) {
          continue;
        }
        Detectors.Caller c = Detectors.abovePanic(frames, i, false);
        if (c != null) {
          return new Trigger(c.failureClass(), c.frame().function());
        }
      }
    }
    return null;
  }
}
