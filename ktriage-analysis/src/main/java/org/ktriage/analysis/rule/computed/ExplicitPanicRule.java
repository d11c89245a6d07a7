package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.classify.FailureClassifier;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Culprits;
import org.ktriage.analysis.order.ReportView;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.CpuState;
import org.ktriage.model.Evidence;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.StackSegment;
import org.ktriage.model.kind.ReportingFrames;

/**
 * Code called {@code panic()} itself (not an oops, detector or policy): the message and the caller
 * under {@code panic} with its module are the primary evidence (playbook §16).
 */
public final class ExplicitPanicRule implements ComputedRule {

  @Override
  public String id() {
    return "explicit-panic";
  }

  /** About the incident as a whole: why the kernel panicked. */
  @Override
  public boolean describesOneFailure() {
    return false;
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    if (f.primaryClass() != FailureClass.EXPLICIT_PANIC
        && f.trigger() != FailureClass.EXPLICIT_PANIC) {
      return null;
    }
    String message = null;
    List<Frame> frames = new ArrayList<>();
    Evidence messageEvidence = null;
    for (ReportView v : f.reports()) {
      String m = v.oops().panicMessage();
      if (m != null && FailureClassifier.classifyPanic(m) == FailureClass.EXPLICIT_PANIC) {
        message = m.strip();
        messageEvidence = new Evidence("Kernel panic - not syncing: " + message, v.oops().span());
        for (StackSegment s : v.oops().trace()) {
          frames.addAll(s.frames());
        }
        break;
      }
    }
    if (message == null && f.report().panic() != null) {
      message = FailureClassifier.panicText(f.report().panic().message());
      messageEvidence = new Evidence("panic: " + message, f.report().panic().source());
      CpuState cpu = f.panicCpu();
      if (cpu != null) {
        for (StackSegment s : cpu.segments()) {
          frames.addAll(s.frames());
        }
      }
    }
    List<String> missing = new ArrayList<>();
    double confidence = 0.9;
    if (message == null) {
      CpuState cpu = f.panicCpu();
      if (f.primaryClass() != FailureClass.EXPLICIT_PANIC || cpu == null) {
        return null;
      }
      // A crash backtrace without the log: the stack shows the caller, not the message.
      message = "message not in the input";
      messageEvidence = new Evidence("panic() on CPU " + cpu.cpu() + "'s stack", cpu.source());
      for (StackSegment s : cpu.segments()) {
        frames.addAll(s.frames());
      }
      missing.add("the panic message (crash> sys, or the log)");
      confidence = 0.8;
    }
    if (FailureClassifier.classifyPanic(message) != FailureClass.EXPLICIT_PANIC) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(messageEvidence);
    Map<String, String> values = new HashMap<>();
    values.put("message", message);
    Frame caller = null;
    for (int i = 0; i < frames.size(); i++) {
      String b = FrameNames.base(frames.get(i).function());
      if (ReportingFrames.isPanic(b)) {
        caller = Culprits.culprit(frames.subList(i + 1, frames.size()));
        break;
      }
    }
    if (caller != null) {
      values.put("caller", caller.where());
      values.put("callerModule", caller.module() == null ? "" : " in module " + caller.module());
      ev.add(
          new Evidence(
              "panic() called from "
                  + caller.where()
                  + (caller.module() == null ? "" : " [" + caller.module() + "]"),
              caller.source()));
    } else {
      values.put("caller", "an unknown caller");
      values.put("callerModule", "");
      missing.add("the panic CPU's stack (crash> bt) to name the caller of panic()");
      confidence -= 0.2;
    }
    return new Hit(values, ev, confidence, missing);
  }
}
