package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.classify.ClassRefinements;
import org.ktriage.analysis.classify.FailureClassifier;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.analysis.stack.StackReader;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.kind.ReportingFrames;

/**
 * Chooses the primary failure on its own evidence (rules R1, R2): the outermost fault a CPU's
 * stacks prove took the error path, else the report with the earliest onset, else what the panic
 * CPU's stack or the panic message names. {@link AcrossCpus} and {@link AcrossTasks} may then hand
 * the blame to another CPU or task.
 */
final class PrimaryChoice {

  private PrimaryChoice() {}

  /** The primary failure on the evidence of its own report or CPU, or null when none is seen. */
  static @Nullable Primary choose(CrashFacts f) {
    ReportView first = FirstReport.of(f);
    CpuState panicCpu = f.panicCpu();
    FaultSite cpuFault = null;
    CpuState faultCpu = null;
    if (panicCpu != null) {
      cpuFault = outermostFault(f.cpuSites().getOrDefault(panicCpu.cpu(), List.of()));
      faultCpu = panicCpu;
    }
    if (cpuFault == null) {
      for (CpuState c : f.report().cpus()) {
        FaultSite s = outermostFault(f.cpuSites().getOrDefault(c.cpu(), List.of()));
        if (s != null) {
          cpuFault = s;
          faultCpu = c;
          break;
        }
      }
    }
    boolean firstIsDetector =
        first == null || Detectors.VICTIM_REPORTS.contains(first.failureClass());
    if (cpuFault != null && faultCpu != null && firstIsDetector) {
      return fromSite(
          f,
          cpuFault,
          null,
          faultCpu.cpu(),
          ClassRefinements.ofSavedFrame(cpuFault.faultClass(), cpuFault.frame(), panicMessage(f)));
    }
    if (first != null) {
      Primary p = fromReport(f, first);
      p = p.function() != null ? p : orLaterOfSameStall(f, first, p);
      p = p.function() != null ? p : orFromText(f, p, first);
      return InlinedCallers.refine(p.failureClass(), p, fromReportOn(f, first));
    }
    Primary fromPanicStack = fromPanicStack(f, panicCpu);
    if (fromPanicStack != null) {
      return fromPanicStack;
    }
    PanicInfo panic = f.report().panic();
    if (panic == null) {
      return null;
    }
    FailureClass c = FailureClassifier.classifyPanic(panic.message());
    return Primary.of(c == FailureClass.UNKNOWN ? FailureClass.EXPLICIT_PANIC : c)
        .on(panic.cpu(), panicCpu == null ? ContextKind.UNKNOWN : cpuContext(panicCpu))
        .at(Culprits.panicCaller(panicCpu))
        .source(panic.source())
        .build();
  }

  /**
   * The stack to find a site's callers in: the report's own when it printed one, else the callers a
   * later report saved at the same site. A WARN under panic_on_warn prints its header, then panic()
   * prints the stack as a report of its own (kernel/panic.c __warn() calls check_panic_on_warn()
   * before show_regs() and dump_stack()), whose exception frame is the WARN's site and whose outer
   * frames are its callers.
   */
  private static List<Frame> callersOf(
      CrashFacts f, ReportView v, String site, List<Frame> frames) {
    if (!frames.isEmpty()) {
      return frames;
    }
    String name = FrameNames.base(site);
    for (ReportView later : f.reports()) {
      if (later.oops().index() <= v.oops().index()) {
        continue;
      }
      for (FaultSite s : later.sites()) {
        String fn = s.frame().function();
        if (fn != null && FrameNames.base(fn).equals(name) && !s.outer().isEmpty()) {
          return s.outer();
        }
      }
      // no saved registers (arm64, older x86 WARN): panic()'s own stack runs through the site
      List<Frame> laterFrames = Culprits.framesOf(later.oops());
      for (Frame fr : laterFrames) {
        if (FrameNames.base(fr.function()).equals(name)) {
          return laterFrames;
        }
      }
    }
    return frames;
  }

  /**
   * A report whose parsed trace named no culprit (a trace in a form the readers did not take as
   * frames, a trace cut short, only a register dump) still prints symbols: the first one that is
   * not a reporting frame, in print order ({@link Culprits#fromText}).
   */
  private static Primary orFromText(CrashFacts f, Primary p, ReportView v) {
    Frame fr = Culprits.fromText(v.failureClass(), extent(f, v));
    return fr == null ? p : p.withFrame(fr);
  }

  /** Most lines a report's text extent runs to: a stack is well under it. */
  private static final int MAX_EXTENT_LINES = 400;

  /**
   * A report's lines and the log lines after it up to the next report (at most {@link
   * #MAX_EXTENT_LINES}).
   */
  private static List<LogRecord> extent(CrashFacts f, ReportView v) {
    List<LogRecord> own = v.oops().lines();
    if (own.isEmpty()) {
      return own;
    }
    long first = own.get(0).seq();
    long next = Long.MAX_VALUE;
    for (ReportView other : f.reports()) {
      List<LogRecord> ol = other.oops().lines();
      if (!ol.isEmpty() && ol.get(0).seq() > first && ol.get(0).seq() < next) {
        next = ol.get(0).seq();
      }
    }
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r : f.logLines()) {
      if (r.seq() >= first && r.seq() < next) {
        out.add(r);
        if (out.size() >= MAX_EXTENT_LINES) {
          break;
        }
      }
    }
    return out.isEmpty() ? own : out;
  }

  /**
   * A report's lines and the log lines after it (at most {@link #MAX_EXTENT_LINES}): a WARN under
   * panic_on_warn prints its trace after panic()'s own header (kernel/panic.c __warn() calls
   * check_panic_on_warn() before dump_stack()).
   */
  private static List<LogRecord> fromReportOn(CrashFacts f, ReportView v) {
    List<LogRecord> own = v.oops().lines();
    if (own.isEmpty()) {
      return own;
    }
    long first = own.get(0).seq();
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r : f.logLines()) {
      if (r.seq() >= first) {
        out.add(r);
        if (out.size() >= MAX_EXTENT_LINES) {
          break;
        }
      }
    }
    return out.isEmpty() ? own : out;
  }

  /**
   * A stall or lockup report that names no function (an expedited RCU stall lists CPU numbers; a
   * detector's own dump can be cut) is followed by the stalled CPU's own report of the same class
   * (kernel/rcu/tree_stall.h print_other_cpu_stall() then rcu_dump_cpu_stacks() or the stalled
   * CPU's print_cpu_stall(); kernel/watchdog.c): the first of those that names a function is the
   * same failure seen from the CPU that spins.
   */
  private static Primary orLaterOfSameStall(CrashFacts f, ReportView first, Primary p) {
    if (!Detectors.VICTIM_REPORTS.contains(first.failureClass())
        || first.failureClass() == FailureClass.HUNG_TASK) {
      return p;
    }
    int firstIndex = first.oops().index();
    for (ReportView v : f.reports()) {
      if (v.oops().index() > firstIndex && v.failureClass() == first.failureClass()) {
        Primary later = fromReport(f, v);
        if (later.function() != null) {
          return later;
        }
      }
    }
    return p;
  }

  /**
   * The outermost fault on a CPU's stacks that provably took the error path (die/oops/no_context
   * frames in its handler): a fault being fixed up (uaccess, emulator) is not a failure, and a CPU
   * stack without a printed report needs that proof.
   */
  static @Nullable FaultSite outermostFault(List<FaultSite> sites) {
    FaultSite found = null;
    for (FaultSite s : sites) {
      if (s.isFault() && FrameNames.hasErrorPath(s.handler())) {
        found = s;
      }
    }
    return found;
  }

  private static @Nullable String panicMessage(CrashFacts f) {
    PanicInfo panic = f.report().panic();
    return panic == null ? null : panic.message();
  }

  /**
   * Without a report or a fault, the panic CPU's stack names the failure: a watchdog that called
   * panic() names the victim it interrupted (the saved frame under the detector's interrupt), OOM
   * names the allocation path, any other caller of panic() is an explicit panic.
   */
  private static @Nullable Primary fromPanicStack(CrashFacts f, @Nullable CpuState cpu) {
    if (cpu == null) {
      return null;
    }
    List<Frame> frames = Culprits.framesOf(cpu);
    int panicAt = Culprits.panicIndex(frames);
    if (panicAt < 0) {
      return null;
    }
    Detectors.Caller detector = Detectors.abovePanic(frames, panicAt, true);
    FailureClass c = detector == null ? FailureClass.EXPLICIT_PANIC : detector.failureClass();
    if (detector != null
        && (c == FailureClass.SOFT_LOCKUP
            || c == FailureClass.HARD_LOCKUP
            || c == FailureClass.RCU_STALL)) {
      Primary victim = victimOfDetector(f, cpu, c, FrameNames.base(detector.frame().function()));
      if (victim != null) {
        return victim;
      }
    }
    Frame caller = Culprits.culprit(frames.subList(panicAt + 1, frames.size()));
    return Primary.of(c)
        .on(
            cpu.cpu(),
            StackReader.contextOfFrames(frames.subList(panicAt, frames.size()), ContextKind.TASK))
        .at(caller)
        .source(caller == null ? null : caller.source())
        .build();
  }

  /** The code a watchdog's interrupt found running: the site whose handler ran the detector. */
  private static @Nullable Primary victimOfDetector(
      CrashFacts f, CpuState cpu, FailureClass c, String detectorFrame) {
    for (FaultSite s : f.cpuSites().getOrDefault(cpu.cpu(), List.of())) {
      if (s.handlerFrame(h -> FrameNames.base(h).equals(detectorFrame)) == null) {
        continue;
      }
      ExceptionFrame e = s.frame();
      Primary.Builder b = Primary.of(c).on(cpu.cpu(), s.context()).source(e.source());
      if (e.function() == null || e.function().contains(" ")) {
        // crash prints "no symbolic reference" for a bogus frame: name the next real frame.
        b.at(null, null, null).at(Culprits.culprit(s.outer()));
      } else {
        b.at(e);
      }
      return b.build();
    }
    return null;
  }

  /** The primary as a printed report shows it: its outermost fault, its RIP or its culprit. */
  static Primary fromReport(CrashFacts f, ReportView v) {
    Oops o = v.oops();
    // Detector reports (lockups, stalls, hung tasks) name a victim: faults printed inside their
    // stack dumps are context, not the failure the report is about.
    FaultSite outer =
        Detectors.VICTIM_REPORTS.contains(v.failureClass()) ? null : v.outermostFault();
    if (outer != null) {
      FailureClass c = outer.depth() == 0 ? v.failureClass() : outer.faultClass();
      Primary p = fromSite(f, outer, v, o.cpu(), c);
      if (outer.depth() == 0) {
        Long addr = FaultAddress.ofReport(o, c);
        if (addr != null) {
          return p.withAddress(addr, f.addresses().classify(addr), null);
        }
        if (p.addressRegister() == null) {
          return p.withAddress(null, null, null);
        }
      }
      return p;
    }
    ExceptionFrame ip = o.ip();
    List<LogRecord> text = extent(f, v);
    List<Frame> frames = OwnStack.ownFrames(o, text);
    Primary.Builder b =
        Primary.of(v.failureClass()).from(v.sites().isEmpty() ? null : v.sites().get(0), v);
    if (ip != null && !ip.userMode()) {
      b.at(ip).on(o.cpu(), v.sites().isEmpty() ? ContextKind.TASK : v.sites().get(0).context());
    } else {
      Frame interrupted = InterruptedCode.of(v.failureClass(), frames);
      b.at(interrupted != null ? interrupted : Culprits.culprit(frames));
      ContextKind seg = o.trace().isEmpty() ? ContextKind.UNKNOWN : o.trace().get(0).context();
      b.on(o.cpu(), StackReader.contextOfFrames(frames, seg));
    }
    blame(f, b, v, b.build().function(), frames);
    Frame unsafe = ReportedOrigins.lockdepEarlierUnsafeUsage(text);
    if (unsafe != null) {
      b.at(unsafe);
    }
    Frame rcuReader =
        v.failureClass() == FailureClass.SLEEP_IN_ATOMIC
            ? ReportedOrigins.rcuReaderOfSleep(o.lines())
            : null;
    if (rcuReader != null) {
      b.at(rcuReader);
    }
    Frame owner =
        o.headline().contains("KMSAN:") ? ReportedOrigins.kmsanLocalVariableOwner(text) : null;
    if (owner != null) {
      b.at(owner);
    }
    Long addr = FaultAddress.ofReport(o, v.failureClass());
    return b.address(addr, addr == null ? null : f.addresses().classify(addr), null)
        .source(o.span())
        .build();
  }

  /** The primary at a saved exception frame of class {@code c} (UNKNOWN is read as a #PF). */
  private static Primary fromSite(
      CrashFacts f, FaultSite site, @Nullable ReportView v, @Nullable Integer cpu, FailureClass c) {
    ExceptionFrame e = site.frame();
    FaultAddress.Found addr = FaultAddress.ofSite(f, e, c);
    FailureClass cls = c == FailureClass.UNKNOWN ? FailureClass.PAGE_FAULT : c;
    Primary.Builder b =
        Primary.of(cls).from(site, v).on(cpu, site.context()).at(e).source(e.source());
    if (addr != null) {
      b.address(addr.value(), addr.kind(), addr.register());
    }
    if (v != null) {
      blame(f, b, v, e.function(), Culprits.framesOf(v.oops()));
    }
    return b.build();
  }

  /**
   * Hands the blame from the reported site to the code responsible: the target of a failed CFI
   * check; the caller of a site that only reports, asserts or is a primitive ({@link
   * Culprits#blamedCaller}); without a site, the accessing function a sanitizer's headline names
   * (or its caller when that function is itself a reporting frame).
   */
  private static void blame(
      CrashFacts f, Primary.Builder b, ReportView v, @Nullable String site, List<Frame> frames) {
    String cfi = Culprits.cfiTarget(v.oops(), f.logLines());
    if (cfi != null) {
      b.at(cfi, null, null);
      return;
    }
    if (site != null) {
      List<Frame> callers = callersOf(f, v, site, frames);
      FailureClass c = v.failureClass();
      Frame confirmed = Culprits.callerInLinkRegister(c, v.oops(), site, callers);
      if (confirmed != null) {
        b.at(confirmed);
        return;
      }
      Frame caller = Culprits.blamedCaller(c, site, callers);
      if (caller == null && Culprits.notCulprit(c, site)) {
        // no parsed stack shows the caller: the trace printed after the site's own line does
        caller = Culprits.fromTextAfterSite(f.logLines(), v.oops(), site);
      }
      if (caller == null && Culprits.notCulprit(c, site)) {
        // no stack shows the caller: a leaf helper's link register still points into it
        Frame lr = Culprits.linkRegisterFrame(v.oops());
        String lrBase = lr == null ? "" : FrameNames.base(lr.function());
        if (lr != null
            && !lrBase.equals(FrameNames.base(site))
            && !Culprits.notCulprit(c, lrBase)) {
          caller = lr;
        }
        if (caller == null) {
          // a frame that only reports, asserts or is a primitive is never the culprit: with no
          // caller in sight the culprit is unknown (the chain still shows the reported site)
          b.at(null, null, null);
          return;
        }
      }
      b.at(caller);
      return;
    }
    Frame named = Culprits.sanitizerHeadlineFrame(v.oops());
    if (named == null) {
      named = AssertedFunctions.of(v.oops());
    }
    if (named == null) {
      return;
    }
    Frame caller = Culprits.blamedCaller(v.failureClass(), named.function(), frames);
    if (caller != null) {
      b.at(caller);
    } else if (!ReportingFrames.isReporting(FrameNames.base(named.function()))) {
      b.at(named);
    }
  }

  private static ContextKind cpuContext(CpuState cpu) {
    return StackReader.contextOfFrames(Culprits.framesOf(cpu), ContextKind.TASK);
  }
}
