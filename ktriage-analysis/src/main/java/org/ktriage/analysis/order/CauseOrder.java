package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.address.AddressClassifier;
import org.ktriage.analysis.classify.FailureClassifier;
import org.ktriage.analysis.signature.Signature;
import org.ktriage.analysis.stack.EntryKind;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.analysis.stack.StackReader;
import org.ktriage.model.AddressKind;
import org.ktriage.model.ChainEvent;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.StackSegment;

/**
 * Orders failures into primary, trigger and chain (playbook rules R1–R7): the outermost fault on a
 * CPU is its first failure, the first report in the log precedes later ones, detector reports
 * (lockups, stalls, hung tasks) and panics name victims and triggers.
 */
public final class CauseOrder {

  private CauseOrder() {}

  /** Classes whose report's {@code RIP:} block is the failing instruction itself. */
  private static final Set<FailureClass> DETECTORS =
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

  /** The detector a frame (base name) that called panic() stands for, or null. */
  static @Nullable FailureClass triggerOfFrame(String function) {
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

  /** Frames that print or decide rather than fail: skipped when naming a failing function. */
  private static final Set<String> REPORTING_FRAMES =
      Set.of(
          "dump_stack",
          "dump_stack_lvl",
          "__dump_stack",
          "show_stack",
          "show_trace_log_lvl",
          "panic",
          "vpanic",
          "nmi_panic",
          "__warn",
          "warn_slowpath_fmt",
          "warn_slowpath_null",
          "warn_slowpath_common",
          "report_bug",
          "printk",
          "_printk",
          "vprintk",
          "dump_header",
          "oom_kill_process",
          "__schedule",
          "schedule",
          "schedule_timeout",
          "schedule_preempt_disabled",
          "io_schedule",
          "io_schedule_timeout",
          "__switch_to",
          "__switch_to_asm",
          "context_switch",
          "machine_kexec",
          "__crash_kexec",
          "crash_kexec");

  private static final Pattern GPF_ADDRESS = Pattern.compile("address (0x[0-9a-fA-F]+)");

  /** Derives the facts rules read: classified reports, CPU sites, primary and trigger. */
  public static CrashFacts facts(CrashReport report) {
    AddressClassifier addresses = AddressClassifier.forKernel(report.kernel());
    List<ReportView> views = new ArrayList<>();
    for (Oops o : report.oopses()) {
      FailureClass c = FailureClassifier.classify(o);
      EntryKind entry =
          switch (c) {
            case HARD_LOCKUP -> EntryKind.NMI;
            case SOFT_LOCKUP, RCU_STALL -> EntryKind.INTERRUPT;
            case HUNG_TASK, OOM, EXPLICIT_PANIC, UNKNOWN, SLEEP_IN_ATOMIC, DEADLOCK ->
                EntryKind.UNKNOWN;
            default -> EntryKind.FAULT;
          };
      views.add(new ReportView(o, c, StackReader.read(o.ip(), entry, c, o.trace())));
    }
    Map<Integer, List<FaultSite>> cpuSites = new LinkedHashMap<>();
    for (CpuState cpu : report.cpus()) {
      cpuSites.put(
          cpu.cpu(),
          StackReader.read(null, EntryKind.UNKNOWN, FailureClass.UNKNOWN, cpu.segments()));
    }
    CrashFacts draft =
        new CrashFacts(report, addresses, views, cpuSites, null, FailureClass.UNKNOWN, null);
    Primary primary = lockHolderFirst(draft, acrossCpus(draft, choosePrimary(draft)));
    Trigger trigger = chooseTrigger(draft, primary);
    return new CrashFacts(
        report, addresses, views, cpuSites, primary, trigger.failureClass(), trigger.where());
  }

  /** Victim classes a CPU stuck with interrupts off can cause on another CPU. */
  private static final Set<FailureClass> CROSS_CPU_VICTIMS =
      Set.of(FailureClass.SOFT_LOCKUP, FailureClass.RCU_STALL);

  /** Frames of a CPU waiting for other CPUs (IPI, stop_machine): base-name prefixes. */
  private static final List<String> IPI_WAITS =
      List.of(
          "smp_call_function",
          "csd_lock_wait",
          "on_each_cpu",
          "flush_tlb_mm_range",
          "flush_tlb_kernel_range",
          "multi_cpu_stop",
          "stop_machine",
          "synchronize_rcu_expedited",
          "text_poke_bp",
          "kick_all_cpus_sync");

  private static final Pattern STALLED_CPU = Pattern.compile("^(?:rcu: )?\\s*(\\d+)-[.Oo][.o][.N]");
  private static final Pattern STALLED_CPU_3X =
      Pattern.compile("stalls? on CPUs?(?:/tasks)?:? \\{([ \\d]+)\\}");

  /**
   * Rule R2 across CPUs (playbook §7 (c), §8): when the primary is a soft lockup or RCU stall and
   * another CPU is visibly stuck with interrupts off (its own hard-lockup report, or an NMI
   * backtrace with IF clear) the victim waited for it, so that CPU's failure is the primary. A
   * soft-lockup victim must be waiting for others (an IPI or a spinlock); an RCU stall must list
   * that CPU.
   */
  private static @Nullable Primary acrossCpus(CrashFacts f, @Nullable Primary p) {
    if (p == null || !CROSS_CPU_VICTIMS.contains(p.failureClass())) {
      return p;
    }
    Integer victim = p.cpu();
    for (ReportView v : f.reports()) {
      if (v.failureClass() == FailureClass.HARD_LOCKUP
          && v.oops().cpu() != null
          && !v.oops().cpu().equals(victim)) {
        return fromReport(f, v);
      }
    }
    Set<Integer> stalled = p.failureClass() == FailureClass.RCU_STALL ? stalledCpus(f) : Set.of();
    if (p.failureClass() == FailureClass.SOFT_LOCKUP && !waitsForOthers(p)) {
      return p;
    }
    StuckCpus.Stuck best = null;
    for (StuckCpus.Stuck s : StuckCpus.find(f.logLines())) {
      if (victim != null && s.cpu() == victim) {
        continue;
      }
      if (p.failureClass() == FailureClass.RCU_STALL && !stalled.contains(s.cpu())) {
        continue;
      }
      // A CPU looping with interrupts off is a likelier root than one spinning on a lock.
      if (best == null || (best.spinning() && !s.spinning())) {
        best = s;
      }
    }
    if (best == null) {
      return p;
    }
    String fn = best.caller() != null ? best.caller() : best.function();
    String off = best.caller() != null ? best.callerOffset() : best.offset();
    return new Primary(
        FailureClass.HARD_LOCKUP,
        null,
        null,
        best.cpu(),
        best.context(),
        fn,
        off,
        null,
        null,
        null,
        null,
        best.ripSource());
  }

  private static boolean waitsForOthers(Primary p) {
    List<String> names = new ArrayList<>();
    if (p.function() != null) {
      names.add(p.function());
    }
    ReportView v = p.report();
    if (v != null) {
      for (StackSegment s : v.oops().trace()) {
        for (Frame fr : s.frames()) {
          if (fr.reliable()) {
            names.add(fr.function());
          }
        }
      }
    }
    for (String n : names) {
      String b = FrameNames.base(n);
      if (FrameNames.isSpinlock(b) || b.contains("queued_spin_lock")) {
        return true;
      }
      for (String w : IPI_WAITS) {
        if (b.startsWith(w)) {
          return true;
        }
      }
    }
    return false;
  }

  /** CPUs an RCU stall report lists as stalled (per-CPU lines, or the 3.x braces). */
  private static Set<Integer> stalledCpus(CrashFacts f) {
    Set<Integer> cpus = new java.util.HashSet<>();
    for (org.ktriage.model.LogRecord l : f.logLines()) {
      Matcher m = STALLED_CPU.matcher(l.text());
      if (m.find()) {
        cpus.add(Integer.parseInt(m.group(1)));
      }
      Matcher b = STALLED_CPU_3X.matcher(l.text());
      if (b.find()) {
        for (String c : b.group(1).trim().split("\\s+", -1)) {
          if (!c.isEmpty()) {
            cpus.add(Integer.parseInt(c));
          }
        }
      }
    }
    return cpus;
  }

  /**
   * A hung-task storm whose lock holder is itself among the hung tasks, sleeping on something else
   * ({@link LockHolders}): the holder's report is the primary, the waiters its consequence.
   */
  private static @Nullable Primary lockHolderFirst(CrashFacts f, @Nullable Primary p) {
    if (p == null || p.failureClass() != FailureClass.HUNG_TASK) {
      return p;
    }
    LockHolders.Holder h = LockHolders.find(f.reports(), f.logLines());
    return h == null ? p : fromReport(f, h.holder());
  }

  private record Trigger(FailureClass failureClass, @Nullable String where) {}

  private static @Nullable Primary choosePrimary(CrashFacts f) {
    ReportView first = firstReport(f.reports());
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
    boolean firstIsDetector = first == null || DETECTORS.contains(first.failureClass());
    if (cpuFault != null && faultCpu != null && (first == null || firstIsDetector)) {
      return fromSite(f, cpuFault, null, faultCpu.cpu(), refineByPanic(f, cpuFault.faultClass()));
    }
    if (first != null) {
      return fromReport(f, first);
    }
    Primary fromPanicStack = fromPanicStack(f, panicCpu);
    if (fromPanicStack != null) {
      return fromPanicStack;
    }
    PanicInfo panic = f.report().panic();
    if (panic != null) {
      FailureClass c = FailureClassifier.classifyPanic(panic.message());
      if (c == FailureClass.UNKNOWN) {
        c = FailureClass.EXPLICIT_PANIC;
      }
      Frame caller = panicCaller(panicCpu);
      return new Primary(
          c,
          null,
          null,
          panic.cpu(),
          panicCpu == null ? ContextKind.UNKNOWN : cpuContext(panicCpu),
          caller == null ? null : caller.function(),
          caller == null ? null : caller.offset(),
          caller == null ? null : caller.module(),
          null,
          null,
          null,
          panic.source());
    }
    return null;
  }

  /**
   * A CPU exception seen only on a stack says less than the headline crash keeps as its {@code
   * PANIC:} string: a #UD the kernel reported as {@code kernel BUG at} is a BUG(), a #PF it
   * reported as a NULL pointer dereference is one.
   */
  private static FailureClass refineByPanic(CrashFacts f, FailureClass fault) {
    PanicInfo panic = f.report().panic();
    if (panic == null) {
      return fault;
    }
    FailureClass said =
        FailureClassifier.classifyText(FailureClassifier.panicText(panic.message()));
    if ((fault == FailureClass.INVALID_OPCODE && said == FailureClass.BUG)
        || (fault == FailureClass.PAGE_FAULT && said == FailureClass.NULL_DEREF)) {
      return said;
    }
    return fault;
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
    List<Frame> frames = new ArrayList<>();
    for (StackSegment s : cpu.segments()) {
      frames.addAll(s.frames());
    }
    int panicAt = -1;
    for (int i = 0; i < frames.size(); i++) {
      String b = FrameNames.base(frames.get(i).function());
      if (b.equals("panic") || b.equals("vpanic") || b.equals("nmi_panic")) {
        panicAt = i;
        break;
      }
    }
    if (panicAt < 0) {
      return null;
    }
    FailureClass detector = null;
    String detectorFrame = null;
    for (int j = panicAt + 1; j < Math.min(frames.size(), panicAt + 6); j++) {
      FailureClass c = triggerOfFrame(frames.get(j).function());
      if (c != null && c != FailureClass.UNKNOWN) {
        detector = c;
        detectorFrame = FrameNames.base(frames.get(j).function());
        break;
      }
    }
    List<FaultSite> sites = f.cpuSites().getOrDefault(cpu.cpu(), List.of());
    if (detector == FailureClass.SOFT_LOCKUP
        || detector == FailureClass.HARD_LOCKUP
        || detector == FailureClass.RCU_STALL) {
      for (FaultSite s : sites) {
        boolean ran = false;
        for (Frame h : s.handler()) {
          ran |= FrameNames.base(h.function()).equals(detectorFrame);
        }
        if (!ran) {
          continue;
        }
        ExceptionFrame e = s.frame();
        String fn = e.function();
        String off = e.offset();
        String mod = e.module();
        if (fn == null || fn.contains(" ")) {
          // crash prints "no symbolic reference" for a bogus frame: name the next real frame.
          Frame next = culprit(s.outer());
          fn = next == null ? null : next.function();
          off = next == null ? null : next.offset();
          mod = next == null ? null : next.module();
        }
        return new Primary(
            detector,
            null,
            null,
            cpu.cpu(),
            s.context(),
            fn,
            off,
            mod,
            null,
            null,
            null,
            e.source());
      }
    }
    Frame caller = culprit(frames.subList(panicAt + 1, frames.size()));
    FailureClass c = detector == null ? FailureClass.EXPLICIT_PANIC : detector;
    return new Primary(
        c,
        null,
        null,
        cpu.cpu(),
        StackReader.contextOfFrames(frames.subList(panicAt, frames.size()), ContextKind.TASK),
        caller == null ? null : caller.function(),
        caller == null ? null : caller.offset(),
        caller == null ? null : caller.module(),
        null,
        null,
        null,
        caller == null ? null : caller.source());
  }

  /**
   * The report with the earliest onset (R2): print time minus the detector's delay ("stuck for Ns",
   * "blocked for more than N seconds"); an oops is its own onset; ties keep log order.
   */
  private static @Nullable ReportView firstReport(List<ReportView> views) {
    ReportView best = null;
    long bestOnset = Long.MAX_VALUE;
    for (ReportView v : views) {
      if (v.failureClass() == FailureClass.UNKNOWN) {
        continue;
      }
      Long onset = onsetNanos(v);
      if (best == null) {
        best = v;
        bestOnset = onset == null ? Long.MAX_VALUE : onset;
        continue;
      }
      // Only a detector report with a known, strictly earlier onset overtakes an earlier print.
      if (onset != null && onset < bestOnset && DETECTORS.contains(v.failureClass())) {
        best = v;
        bestOnset = onset;
      }
    }
    return best != null ? best : (views.isEmpty() ? null : views.get(0));
  }

  private static final Pattern STUCK = Pattern.compile("stuck for (\\d+)s");
  private static final Pattern BLOCKED = Pattern.compile("for more than (\\d+) seconds");

  private static @Nullable Long onsetNanos(ReportView v) {
    List<org.ktriage.model.LogRecord> lines = v.oops().lines();
    Long ts = lines.isEmpty() ? null : lines.get(0).timestampNanos();
    if (ts == null) {
      return null;
    }
    String h = v.oops().headline();
    Matcher m = STUCK.matcher(h);
    if (m.find()) {
      return ts - Long.parseLong(m.group(1)) * 1_000_000_000L;
    }
    m = BLOCKED.matcher(h);
    if (m.find()) {
      return ts - Long.parseLong(m.group(1)) * 1_000_000_000L;
    }
    return ts;
  }

  /**
   * The outermost fault on a CPU's stacks that provably took the error path (die/oops/no_context
   * frames in its handler): a fault being fixed up (uaccess, emulator) is not a failure, and a CPU
   * stack without a printed report needs that proof.
   */
  private static @Nullable FaultSite outermostFault(List<FaultSite> sites) {
    FaultSite found = null;
    for (FaultSite s : sites) {
      if (s.isFault() && FrameNames.hasErrorPath(s.handler())) {
        found = s;
      }
    }
    return found;
  }

  private static Primary fromReport(CrashFacts f, ReportView v) {
    Oops o = v.oops();
    // Detector reports (lockups, stalls, hung tasks) name a victim: faults printed inside their
    // stack dumps are context, not the failure the report is about.
    FaultSite outer = DETECTORS.contains(v.failureClass()) ? null : v.outermostFault();
    if (outer != null) {
      FailureClass c = outer.depth() == 0 ? v.failureClass() : outer.faultClass();
      Primary p = fromSite(f, outer, v, o.cpu(), c);
      if (outer.depth() == 0) {
        Long addr = reportAddress(o, c);
        if (addr != null) {
          return withAddress(p, addr, f.addresses().classify(addr), null);
        }
        if (p.addressRegister() == null) {
          return withAddress(p, null, null, null);
        }
      }
      return p;
    }
    ExceptionFrame ip = o.ip();
    List<Frame> frames = traceFrames(o);
    ContextKind ctx;
    String function = null;
    String offset = null;
    String module = null;
    if (ip != null && !ip.userMode()) {
      function = ip.function();
      offset = ip.offset();
      module = ip.module();
      ctx = v.sites().isEmpty() ? ContextKind.TASK : v.sites().get(0).context();
    } else {
      Frame culprit = culprit(frames);
      if (culprit != null) {
        function = culprit.function();
        offset = culprit.offset();
        module = culprit.module();
      }
      ContextKind seg = o.trace().isEmpty() ? ContextKind.UNKNOWN : o.trace().get(0).context();
      ctx = StackReader.contextOfFrames(frames, seg);
    }
    Frame caller = blamedCaller(v.failureClass(), function, frames);
    if (caller != null) {
      function = caller.function();
      offset = caller.offset();
      module = caller.module();
    }
    Long addr = reportAddress(o, v.failureClass());
    return new Primary(
        v.failureClass(),
        v.sites().isEmpty() ? null : v.sites().get(0),
        v,
        o.cpu(),
        ctx,
        function,
        offset,
        module,
        addr,
        addr == null ? null : f.addresses().classify(addr),
        null,
        o.span());
  }

  /**
   * The bad address a report names: the headline/CR2 address of a page fault, the decoded operand
   * of a #GP (never CR2, which is stale for #GP), the address of a KASAN/KFENCE access.
   */
  private static @Nullable Long reportAddress(Oops o, FailureClass c) {
    switch (c) {
      case PAGE_FAULT, NULL_DEREF, STACK_OVERFLOW -> {
        return o.faultAddress();
      }
      default -> {
        Matcher m = GPF_ADDRESS.matcher(o.headline());
        if (m.find()) {
          return Long.parseUnsignedLong(m.group(1).substring(2), 16);
        }
        return null;
      }
    }
  }

  /** Classes whose reported site is the detector or the wait, not the culprit. */
  private static final Set<FailureClass> DETECTED_BY_CHECKER =
      Set.of(FailureClass.HUNG_TASK, FailureClass.LIST_CORRUPTION);

  /** All frames of a report's call trace, innermost first. */
  private static List<Frame> traceFrames(Oops o) {
    List<Frame> frames = new ArrayList<>();
    for (StackSegment s : o.trace()) {
      frames.addAll(s.frames());
    }
    return frames;
  }

  /**
   * For a class whose reported site is a checker (list debugging) or a wait primitive (a hung
   * task), the code that called it; null when the site itself is to blame.
   */
  private static @Nullable Frame blamedCaller(
      FailureClass c, @Nullable String function, List<Frame> frames) {
    if (function == null
        || !DETECTED_BY_CHECKER.contains(c)
        || !Signature.isInfrastructure(function)) {
      return null;
    }
    return callerOfInfrastructure(frames);
  }

  /** The first reliable frame that is neither reporting nor checking/locking machinery. */
  private static @Nullable Frame callerOfInfrastructure(List<Frame> frames) {
    boolean anyReliable = frames.stream().anyMatch(Frame::reliable);
    for (Frame fr : frames) {
      if ((anyReliable && !fr.reliable()) || fr.function().startsWith("0x")) {
        continue;
      }
      String b = FrameNames.base(fr.function());
      if (!REPORTING_FRAMES.contains(b) && !Signature.isInfrastructure(fr.function())) {
        return fr;
      }
    }
    return null;
  }

  /** The first reliable frame that is not a reporting helper. */
  public static @Nullable Frame culprit(List<Frame> frames) {
    boolean anyReliable = frames.stream().anyMatch(Frame::reliable);
    for (Frame fr : frames) {
      if (anyReliable && !fr.reliable()) {
        continue;
      }
      if (!REPORTING_FRAMES.contains(FrameNames.base(fr.function()))
          && !fr.function().startsWith("0x")) {
        return fr;
      }
    }
    return null;
  }

  private static Primary fromSite(
      CrashFacts f, FaultSite site, @Nullable ReportView v, @Nullable Integer cpu, FailureClass c) {
    ExceptionFrame e = site.frame();
    Long addr = e.registers().get("CR2");
    String reg = null;
    if (addr != null && c != FailureClass.PAGE_FAULT && c != FailureClass.NULL_DEREF) {
      addr = null; // CR2 is stale for anything but a page fault (playbook §3)
    }
    if (addr == null && (c == FailureClass.PAGE_FAULT || c == FailureClass.UNKNOWN)) {
      RegisterGuess g = guessAddress(f, e);
      if (g != null) {
        addr = g.value();
        reg = g.register();
      }
    }
    FailureClass cls = c;
    if (cls == FailureClass.UNKNOWN) {
      cls = FailureClass.PAGE_FAULT;
    }
    String function = e.function();
    String offset = e.offset();
    String module = e.module();
    Frame caller = v == null ? null : blamedCaller(cls, function, traceFrames(v.oops()));
    if (caller != null) {
      function = caller.function();
      offset = caller.offset();
      module = caller.module();
    }
    return new Primary(
        cls,
        site,
        v,
        cpu,
        site.context(),
        function,
        offset,
        module,
        addr,
        addr == null ? null : f.addresses().classify(addr),
        reg,
        e.source());
  }

  private static Primary withAddress(
      Primary p, @Nullable Long addr, @Nullable AddressKind kind, @Nullable String register) {
    return new Primary(
        p.failureClass(),
        p.site(),
        p.report(),
        p.cpu(),
        p.context(),
        p.function(),
        p.offset(),
        p.module(),
        addr,
        kind,
        register,
        p.source());
  }

  /** A register value that is the likely fault address. */
  public record RegisterGuess(String register, long value, AddressKind kind) {}

  /**
   * Without CR2 (a crash session's exception frame), the faulting instruction's registers hold the
   * bad address: prefer a module-area value no loaded module covers, then a poison value.
   */
  public static @Nullable RegisterGuess guessAddress(CrashFacts f, ExceptionFrame e) {
    RegisterGuess poison = null;
    long ip = e.ip() == null ? 0 : e.ip();
    boolean moduleCode = e.ip() != null && f.addresses().classify(ip) == AddressKind.MODULE_AREA;
    for (Map.Entry<String, Long> r : e.registers().values().entrySet()) {
      String name = r.getKey();
      if (name.equals("RIP") || name.equals("RSP") || name.equals("PC") || name.equals("LR")) {
        continue;
      }
      long v = r.getValue();
      AddressKind k = f.addresses().classify(v);
      // Code running in a module keeps pointers to its own data: near its RIP, a module-area
      // value is that module's, not a dangling one.
      boolean nearOwnCode = moduleCode && Math.abs(v - ip) < (2L << 20);
      if (k == AddressKind.MODULE_AREA && f.moduleCovering(v).isEmpty() && !nearOwnCode) {
        return new RegisterGuess(name, v, k);
      }
      if (k == AddressKind.POISON && poison == null) {
        poison = new RegisterGuess(name, v, k);
      }
    }
    return poison;
  }

  private static ContextKind cpuContext(CpuState cpu) {
    List<Frame> frames = new ArrayList<>();
    for (StackSegment s : cpu.segments()) {
      frames.addAll(s.frames());
    }
    return StackReader.contextOfFrames(frames, ContextKind.TASK);
  }

  /** The frame that called panic() on the panic CPU, or null. */
  private static @Nullable Frame panicCaller(@Nullable CpuState cpu) {
    if (cpu == null) {
      return null;
    }
    List<Frame> frames = new ArrayList<>();
    for (StackSegment s : cpu.segments()) {
      frames.addAll(s.frames());
    }
    for (int i = 0; i < frames.size(); i++) {
      String b = FrameNames.base(frames.get(i).function());
      if (b.equals("panic") || b.equals("vpanic")) {
        return culprit(frames.subList(i + 1, frames.size()));
      }
    }
    return null;
  }

  private static Trigger chooseTrigger(CrashFacts f, @Nullable Primary primary) {
    PanicInfo panic = f.report().panic();
    String message = panic != null ? panic.message() : lastPanicMessage(f.reports());
    if (message != null) {
      FailureClass detector = FailureClassifier.panicDetector(message);
      if (detector != FailureClass.UNKNOWN) {
        return new Trigger(detector, message.strip());
      }
    }
    Trigger byFrames = triggerFromFrames(f);
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
    ReportView first = firstReport(f.reports());
    if (first != null) {
      return new Trigger(first.failureClass(), first.oops().headline());
    }
    return new Trigger(
        primary == null ? FailureClass.UNKNOWN : primary.failureClass(),
        primary == null ? null : primary.where());
  }

  private static @Nullable String lastPanicMessage(List<ReportView> views) {
    for (int i = views.size() - 1; i >= 0; i--) {
      String m = views.get(i).oops().panicMessage();
      if (m != null) {
        return m;
      }
    }
    return null;
  }

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
  private static @Nullable Trigger triggerFromFrames(CrashFacts f) {
    List<List<Frame>> stacks = new ArrayList<>();
    CpuState cpu = f.panicCpu();
    if (cpu != null) {
      List<Frame> frames = new ArrayList<>();
      for (StackSegment s : cpu.segments()) {
        frames.addAll(s.frames());
      }
      stacks.add(frames);
    }
    for (ReportView v : f.reports()) {
      if (v.oops().panicMessage() != null) {
        stacks.add(traceFrames(v.oops()));
      }
    }
    for (List<Frame> frames : stacks) {
      for (int i = 0; i < frames.size(); i++) {
        String b = FrameNames.base(frames.get(i).function());
        if (b.equals("panic") || b.equals("vpanic") || b.equals("nmi_panic")) {
          for (int j = i + 1; j < Math.min(frames.size(), i + 6); j++) {
            FailureClass c = triggerOfFrame(frames.get(j).function());
            if (c != null) {
              return new Trigger(c, frames.get(j).function());
            }
          }
        }
      }
    }
    return null;
  }

  /**
   * The cause chain, first cause first: the primary, the consequences nested inside it on its CPU
   * (with the recursive lock when one was found), later reports, the trigger and the panic.
   *
   * @param recursiveLockWhere where a recursive spinlock was detected, or null
   */
  public static List<ChainEvent> chain(CrashFacts f, @Nullable String recursiveLockWhere) {
    List<ChainEvent> events = new ArrayList<>();
    Primary p = f.primary();
    if (p == null) {
      return events;
    }
    events.add(
        new ChainEvent(
            p.failureClass().id(),
            p.where(),
            p.context().id(),
            p.cpu(),
            p.report() == null ? null : p.report().oops().headline(),
            p.source()));
    if (p.failureClass() == FailureClass.HUNG_TASK) {
      LockHolders.Holder h = LockHolders.find(f.reports(), f.logLines());
      if (h != null) {
        events.add(
            new ChainEvent(
                "lock-wait",
                h.lock(),
                ContextKind.TASK.id(),
                null,
                h.waiters().size()
                    + " hung task(s) wait for "
                    + h.lock()
                    + ", held by "
                    + h.task()
                    + " while it sleeps in "
                    + h.holderWait(),
                h.source()));
      }
    }
    FaultSite ps = p.site();
    List<FaultSite> stack = stackOf(f, p);
    if (ps != null && stack != null) {
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
          for (Frame h : s.handler()) {
            FailureClass c = triggerOfFrame(h.function());
            if (c != null && c != FailureClass.UNKNOWN) {
              events.add(
                  new ChainEvent(
                      c.id(),
                      h.function(),
                      s.entry() == EntryKind.NMI ? "nmi" : "hardirq",
                      p.cpu(),
                      "detector",
                      h.source()));
              break;
            }
          }
        }
      }
    }
    ReportView pr = p.report();
    boolean after = pr == null;
    FailureClass lastClass = p.failureClass();
    for (ReportView v : f.reports()) {
      if (v.equals(pr)) {
        after = true;
        continue;
      }
      if (!after
          || v.failureClass() == FailureClass.UNKNOWN
          || (v.oops().panicMessage() != null && v.oops().ip() == null && v.sites().isEmpty())) {
        continue;
      }
      if (v.failureClass() == lastClass) {
        continue; // R7: repeats are one incident
      }
      ExceptionFrame ip = v.oops().ip();
      String where = ip == null ? null : ip.where();
      String ctx = v.sites().isEmpty() ? null : v.sites().get(0).context().id();
      events.add(
          new ChainEvent(
              v.failureClass().id(),
              where,
              ctx,
              v.oops().cpu(),
              v.oops().headline(),
              v.oops().span()));
      lastClass = v.failureClass();
    }
    FailureClass t = f.trigger();
    if (t != FailureClass.UNKNOWN
        && t != FailureClass.EXPLICIT_PANIC
        && events.stream().noneMatch(e -> e.event().equals(t.id()))) {
      events.add(new ChainEvent(t.id(), f.triggerWhere(), null, null, "trigger", null));
    }
    PanicInfo panic = f.report().panic();
    String msg = panic != null ? panic.message() : lastPanicMessage(f.reports());
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
