package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.EntryKind;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.ChainEvent;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.PanicInfo;

/**
 * Builds the cause chain, first cause first: the primary; across tasks, the lock its hung waiters
 * wait for; on the primary's CPU, what nested inside it (locks, faults, detectors); later reports;
 * the trigger; the panic.
 */
final class CauseChain {

  private CauseChain() {}

  /**
   * The chain of the facts' primary (empty without one).
   *
   * @param recursiveLockWhere where a recursive spinlock was detected, or null
   */
  static List<ChainEvent> of(CrashFacts f, @Nullable String recursiveLockWhere) {
    List<ChainEvent> events = new ArrayList<>();
    Primary p = f.primary();
    if (p == null) {
      return events;
    }
    // with no culprit named (a reporting site whose caller no stack shows), where it was reported
    String where =
        p.function() == null && p.site() != null && p.site().frame().function() != null
            ? p.site().frame().where()
            : p.where();
    events.add(
        new ChainEvent(
            p.failureClass().id(),
            where,
            p.context().id(),
            p.cpu(),
            p.report() == null ? null : p.report().oops().headline(),
            p.source()));
    if (p.failureClass() == FailureClass.HUNG_TASK) {
      ChainEvent wait = AcrossTasks.lockWait(f);
      if (wait != null) {
        events.add(wait);
      }
    }
    events.addAll(sameCpu(f, p, recursiveLockWhere));
    events.addAll(laterReports(f, p));
    FailureClass t = f.trigger();
    if (t != FailureClass.UNKNOWN
        && t != FailureClass.EXPLICIT_PANIC
        && events.stream().noneMatch(e -> e.event().equals(t.id()))) {
      events.add(new ChainEvent(t.id(), f.triggerWhere(), null, null, "trigger", null));
    }
    PanicInfo panic = f.report().panic();
    String msg = panic != null ? panic.message() : TriggerChoice.lastPanicMessage(f.reports());
    if (msg != null) {
      events.add(
          new ChainEvent(
              "panic",
              null,
              null,
              panic == null ? null : panic.cpu(),
              msg.strip(),
              panic == null ? null : panic.source()));
    }
    return events;
  }

  /**
   * On the primary's CPU, the sites nested inside it, outermost first: spinlocks it spun on (the
   * recursive one marked), faults taken while handling it, and the detector an NMI or interrupt
   * ran.
   */
  static List<ChainEvent> sameCpu(CrashFacts f, Primary p, @Nullable String recursiveLockWhere) {
    List<ChainEvent> events = new ArrayList<>();
    FaultSite ps = p.site();
    List<FaultSite> stack = stackOf(f, p);
    if (ps == null || stack == null) {
      return events;
    }
    for (int d = ps.depth() - 1; d >= 0; d--) {
      FaultSite s = stack.get(d);
      String fn = s.frame().function();
      if (fn != null && FrameNames.isSpinlock(fn)) {
        boolean rec = recursiveLockWhere != null && recursiveLockWhere.equals(s.frame().where());
        events.add(
            new ChainEvent(
                rec ? "recursive-lock" : "lock-wait",
                s.frame().where(),
                s.context().id(),
                p.cpu(),
                rec ? "spins on a lock its own CPU already holds" : "spins on a lock",
                s.frame().source()));
      }
      if (s.entry() == EntryKind.FAULT) {
        events.add(
            new ChainEvent(
                s.faultClass().id(),
                s.frame().where(),
                s.context().id(),
                p.cpu(),
                "nested fault while handling the first",
                s.frame().source()));
      }
      if (s.entry() == EntryKind.NMI || s.entry() == EntryKind.INTERRUPT) {
        ChainEvent detector = detectorOf(s, p.cpu());
        if (detector != null) {
          events.add(detector);
        }
      }
    }
    return events;
  }

  private static @Nullable ChainEvent detectorOf(FaultSite s, @Nullable Integer cpu) {
    for (Frame h : s.handler()) {
      FailureClass c = Detectors.ofFrame(h.function());
      if (c != null && c != FailureClass.UNKNOWN) {
        return new ChainEvent(
            c.id(),
            h.function(),
            s.entry() == EntryKind.NMI ? "nmi" : "hardirq",
            cpu,
            "detector",
            h.source());
      }
    }
    return null;
  }

  /**
   * Reports of the crash's incident ({@link CauseLinks#incident}) printed after the primary's, one
   * event per change of class (R7: repeats are one incident).
   */
  @SuppressWarnings("ReferenceEquality") // the same report object, not an equal-looking one
  static List<ChainEvent> laterReports(CrashFacts f, Primary p) {
    List<ChainEvent> events = new ArrayList<>();
    ReportView pr = p.report();
    boolean after = pr == null;
    FailureClass lastClass = p.failureClass();
    List<ReportView> incident = CauseLinks.incident(f.reports(), f.report().log());
    for (ReportView v : f.reports()) {
      if (v == pr) {
        after = true;
        continue;
      }
      if (!after
          || v.failureClass() == FailureClass.UNKNOWN
          || CauseLinks.panicOnly(v)
          || incident.stream().noneMatch(i -> i == v)) {
        continue;
      }
      if (v.failureClass() == lastClass) {
        continue; // R7: repeats are one incident
      }
      ExceptionFrame ip = v.oops().ip();
      events.add(
          new ChainEvent(
              v.failureClass().id(),
              ip == null ? null : ip.where(),
              v.sites().isEmpty() ? null : v.sites().get(0).context().id(),
              v.oops().cpu(),
              v.oops().headline(),
              v.oops().span()));
      lastClass = v.failureClass();
    }
    return events;
  }

  private static @Nullable List<FaultSite> stackOf(CrashFacts f, Primary p) {
    if (p.report() != null) {
      return p.report().sites();
    }
    if (p.cpu() != null) {
      return f.cpuSites().get(p.cpu());
    }
    return null;
  }
}
