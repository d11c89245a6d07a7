package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.ReportView;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.ContextKind;
import org.ktriage.model.Evidence;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.Hex;
import org.ktriage.model.Oops;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;

/**
 * A CPU spinning in a spinlock function on a lock (first argument: RDI / x0 of the innermost
 * exception frame) whose address is also in the saved registers of an interrupted outer context on
 * the same CPU: that context holds the lock and cannot run until the spinner stops (AA deadlock,
 * playbook §10; seed case).
 *
 * <p>From the log alone, with no registers of a holder: a lockup report whose CPU spins in a
 * spinlock primitive taken by a module's function ({@code [mod]} on the frame) while nothing else
 * can run on that CPU (interrupts off: the NMI watchdog fired, {@code spin_lock_irqsave}/{@code
 * spin_lock_irq} on the path, IF clear; or the spinner itself runs in interrupt context, above the
 * code it interrupted), and no other CPU's stack shown in the log runs that module's code (a holder
 * elsewhere would be between its lock and unlock): the lock is most likely already held on this
 * CPU, recursive locking likely; the module is named.
 */
public final class RecursiveSpinlockRule implements ComputedRule {

  /** The rule id. */
  public static final String ID = "recursive-spinlock";

  /** The value naming where the spinning CPU is stuck ({@code function+0xoff}). */
  public static final String SPINNER = "spinner";

  @Override
  public String id() {
    return ID;
  }

  /** The spinning frame and the holder found on one stack. */
  public record Match(
      @Nullable Integer cpu,
      FaultSite spinner,
      FaultSite holder,
      long lock,
      String holderRegister) {}

  /** The first recursive acquisition found, or null. */
  public static @Nullable Match find(CrashFacts f) {
    for (Sites s : Sites.all(f)) {
      List<FaultSite> sites = s.sites();
      for (FaultSite spin : sites) {
        String fn = spin.frame().function();
        if (fn == null || !FrameNames.isSpinlock(fn)) {
          continue;
        }
        Long lock = firstArgument(spin.frame());
        if (lock == null || lock == 0) {
          continue;
        }
        for (FaultSite outer : sites) {
          if (outer.depth() <= spin.depth()) {
            continue;
          }
          List<String> holding = new ArrayList<>();
          for (Map.Entry<String, Long> r : outer.frame().registers().values().entrySet()) {
            if (r.getValue().equals(lock)
                && !r.getKey().equals("RSP")
                && !r.getKey().equals("SP")) {
              holding.add(r.getKey());
            }
          }
          if (!holding.isEmpty()) {
            // The first argument register first: the holder passed the same lock to a call.
            holding.sort((a, b) -> Boolean.compare(!isArg(a), !isArg(b)));
            return new Match(s.cpu(), spin, outer, lock, String.join(" and ", holding));
          }
        }
      }
    }
    return null;
  }

  /**
   * Registers that show the holder works with the lock rather than happening to hold its value: the
   * first-argument register (it passed the lock to a call: {@code spin_lock(lock)}, {@code
   * spin_unlock(lock)}) and the callee-saved registers, where the compiler keeps a value the
   * function still needs after the calls it makes, as code between lock and unlock needs the lock's
   * address (x86-64 psABI: RBX, RBP, R12–R15; AAPCS64: X19–X28).
   */
  private static final java.util.Set<String> LIVE_ACROSS_CALLS =
      java.util.Set.of(
          "RDI", "RBX", "RBP", "R12", "R13", "R14", "R15", "X0", "X19", "X20", "X21", "X22", "X23",
          "X24", "X25", "X26", "X27", "X28");

  /**
   * True when one of the holder's registers with the lock value keeps it live across calls; a value
   * only in scratch registers (RAX, RCX, RDX, RSI, R8–R11) may be a leftover.
   */
  static boolean keptLive(String holderRegisters) {
    for (String r : holderRegisters.split(" and ", -1)) {
      if (LIVE_ACROSS_CALLS.contains(r)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isArg(String register) {
    return register.equals("RDI") || register.equals("X0");
  }

  private static @Nullable Long firstArgument(ExceptionFrame e) {
    Long v = e.registers().get("RDI");
    return v != null ? v : e.registers().get("X0");
  }

  /**
   * The log-only form: the spinning report, the primitive it spins in, the module function that
   * took the lock, and why nothing else can run on that CPU.
   */
  record LogMatch(
      ReportView report,
      @Nullable Integer cpu,
      String spinner,
      Frame taker,
      String irqsOff,
      @Nullable SourceSpan source) {}

  /**
   * Lockup reports whose CPU cannot make progress: the soft-lockup and hard-lockup watchdogs
   * (kernel/watchdog.c, kernel/watchdog_perf.c) and a self-detected RCU stall
   * (kernel/rcu/tree_stall.h).
   */
  private static final Set<FailureClass> LOCKUPS =
      Set.of(FailureClass.SOFT_LOCKUP, FailureClass.HARD_LOCKUP, FailureClass.RCU_STALL);

  /** The first log-only recursive acquisition found, or null. */
  static @Nullable LogMatch findInLog(CrashFacts f) {
    for (ReportView v : f.reports()) {
      if (!LOCKUPS.contains(v.failureClass())) {
        continue;
      }
      LogMatch m = spinningInModule(v);
      if (m != null && !heldElsewhere(f, m)) {
        return m;
      }
    }
    return null;
  }

  private static @Nullable LogMatch spinningInModule(ReportView v) {
    Oops o = v.oops();
    ExceptionFrame ip = o.ip();
    String spinner = null;
    boolean irqVariant = false;
    if (ip != null && ip.function() != null && FrameNames.isSpinlock(ip.function())) {
      spinner = ip.where();
      irqVariant = disablesIrqs(ip.function());
    }
    for (StackSegment seg : o.trace()) {
      for (Frame fr : seg.frames()) {
        if (!fr.reliable()) {
          continue;
        }
        if (FrameNames.isSpinlock(fr.function())) {
          if (spinner == null) {
            spinner = fr.where();
          }
          irqVariant |= disablesIrqs(fr.function());
          continue;
        }
        if (spinner == null || fr.module() == null) {
          return null; // the CPU does not spin on a lock, or the lock's taker is not a module's
        }
        String why = irqsOff(v, ip, irqVariant, seg.context());
        return why == null
            ? null
            : new LogMatch(v, o.cpu(), spinner, fr, why, ip != null ? ip.source() : fr.source());
      }
      if (spinner == null) {
        return null;
      }
    }
    return null;
  }

  /** {@code spin_lock_irqsave}, {@code spin_lock_irq}: local interrupts off while spinning. */
  private static boolean disablesIrqs(String function) {
    String b = FrameNames.base(function);
    return b.contains("_irqsave") || b.endsWith("_irq");
  }

  private static @Nullable String irqsOff(
      ReportView v, @Nullable ExceptionFrame ip, boolean irqVariant, ContextKind context) {
    if (v.failureClass() == FailureClass.HARD_LOCKUP) {
      return "interrupts off: the NMI watchdog saw no timer interrupt on this CPU";
    }
    if (irqVariant) {
      return "interrupts off: the lock is taken with spin_lock_irqsave/spin_lock_irq";
    }
    if (ip != null) {
      Long flags = ip.registers().get("RFLAGS");
      if (flags == null) {
        flags = ip.registers().get("EFLAGS");
      }
      if (flags != null && (flags & 0x200) == 0) {
        return "interrupts off: IF is clear in the flags";
      }
    }
    if (context == ContextKind.HARDIRQ
        || context == ContextKind.SOFTIRQ
        || context == ContextKind.NMI) {
      return "the spinner runs in "
          + context.id()
          + " context: the code it interrupted on this CPU cannot run until it returns";
    }
    return null;
  }

  /**
   * True when another CPU's stack in the log runs code of the taker's module outside a spinlock
   * primitive: that CPU may hold the lock.
   */
  private static boolean heldElsewhere(CrashFacts f, LogMatch m) {
    String module = m.taker().module();
    if (otherCpuBacktraceRuns(f, m, module)) {
      return true;
    }
    for (ReportView v : f.reports()) {
      Integer cpu = v.oops().cpu();
      if (v.equals(m.report()) || cpu == null || cpu.equals(m.cpu())) {
        continue;
      }
      if (runsModule(v.oops().trace(), module)) {
        return true;
      }
    }
    for (Map.Entry<Integer, List<FaultSite>> e : f.cpuSites().entrySet()) {
      if (e.getKey().equals(m.cpu()) || sameStack(e.getValue(), m.report())) {
        continue; // the spinner's own stack
      }
      for (FaultSite s : e.getValue()) {
        if (s.outer().stream().anyMatch(fr -> module != null && module.equals(fr.module()))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * {@code NMI backtrace for cpu N} (lib/nmi_backtrace.c {@code nmi_cpu_backtrace()}): the
   * watchdog's all-CPU backtrace, printed inside the lockup report; the frames after it are that
   * CPU's.
   */
  private static final java.util.regex.Pattern NMI_BACKTRACE =
      java.util.regex.Pattern.compile("NMI backtrace for cpu (\\d+)");

  /**
   * True when a backtrace of another CPU in the log ({@code NMI backtrace for cpu N}, printed by
   * the watchdog's all-CPU backtrace) runs the module's code outside a spinlock primitive.
   */
  private static boolean otherCpuBacktraceRuns(CrashFacts f, LogMatch m, @Nullable String module) {
    if (module == null) {
      return false;
    }
    String tag = "[" + module + "]";
    boolean inOther = false;
    boolean firstFrame = false;
    for (org.ktriage.model.LogRecord l : f.logLines()) {
      java.util.regex.Matcher nmi = NMI_BACKTRACE.matcher(l.text());
      if (nmi.find()) {
        inOther = m.cpu() == null || Integer.parseInt(nmi.group(1)) != m.cpu();
        firstFrame = true;
        continue;
      }
      if (!inOther) {
        continue;
      }
      String t = l.text().strip();
      if (!t.contains("+0x")) {
        continue;
      }
      String fn = t.replaceFirst("^(?:RIP: [0-9a-f]{4}:|pc : |\\? )?", "");
      if (firstFrame && FrameNames.isSpinlock(fn.split("[+ ]", 2)[0])) {
        inOther = false; // that CPU waits for a lock itself
        continue;
      }
      firstFrame = false;
      if (t.contains(tag) && !t.startsWith("?")) {
        return true;
      }
    }
    return false;
  }

  /** True when the sites were read from the lines of that report (its own CPU's stack). */
  private static boolean sameStack(List<FaultSite> sites, ReportView v) {
    java.util.Set<SourceSpan> own = new java.util.HashSet<>();
    for (StackSegment seg : v.oops().trace()) {
      for (Frame fr : seg.frames()) {
        if (fr.source() != null) {
          own.add(fr.source());
        }
      }
    }
    for (FaultSite s : sites) {
      if (s.frame().source() != null && own.contains(s.frame().source())) {
        return true;
      }
      for (Frame fr : s.outer()) {
        if (fr.source() != null && own.contains(fr.source())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean runsModule(List<StackSegment> trace, @Nullable String module) {
    boolean spinning = true;
    for (StackSegment seg : trace) {
      for (Frame fr : seg.frames()) {
        if (!fr.reliable()) {
          continue;
        }
        if (spinning && FrameNames.isSpinlock(fr.function())) {
          return false; // that CPU waits for a lock itself
        }
        spinning = false;
        if (module != null && module.equals(fr.module())) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Match m = find(f);
    if (m == null) {
      return fromLog(f);
    }
    ExceptionFrame spin = m.spinner().frame();
    ExceptionFrame holder = m.holder().frame();
    String lock = Hex.reg(m.lock());
    List<Evidence> ev = new ArrayList<>();
    ev.add(
        Evidence.about(
            "spinning in " + spin.where() + " with RDI (the lock) = " + lock,
            spin.source(),
            m.lock()));
    ev.add(
        Evidence.about(
            "interrupted "
                + holder.where()
                + " ("
                + m.holder().context().id()
                + ") has "
                + m.holderRegister()
                + " = "
                + lock
                + ": it holds that lock",
            holder.source(),
            m.lock()));
    String irqs = irqState(spin) + "; " + irqState(holder);
    ev.add(new Evidence("interrupt flag: " + irqs, spin.source()));
    List<String> missing = new ArrayList<>();
    double confidence = keptLive(m.holderRegister()) ? 0.9 : 0.8;
    missing.add(
        "the lock word itself (crash> struct raw_spinlock " + lock + ") would show it is held");
    Map<String, String> values = new java.util.HashMap<>();
    values.put("onCpu", m.cpu() == null ? "A CPU" : "CPU " + m.cpu());
    if (m.cpu() != null) {
      values.put("cpu", Integer.toString(m.cpu()));
    }
    values.put(
        "how",
        spin.where()
            + " spins on lock "
            + lock
            + ", which the interrupted "
            + holder.where()
            + " ("
            + m.holder().context().id()
            + ") already holds ("
            + m.holderRegister()
            + " = "
            + lock
            + ")");
    values.putAll(
        Map.of(
            "lock",
            lock,
            SPINNER,
            spin.where(),
            "holder",
            holder.where(),
            "holderContext",
            m.holder().context().id(),
            "holderRegister",
            m.holderRegister()));
    return new Hit(values, ev, confidence, missing);
  }

  private static @Nullable Hit fromLog(CrashFacts f) {
    LogMatch m = findInLog(f);
    if (m == null) {
      return null;
    }
    Frame taker = m.taker();
    String module = String.valueOf(taker.module());
    List<Evidence> ev = new ArrayList<>();
    ev.add(
        new Evidence(
            "spinning in "
                + m.spinner()
                + ", the lock taken by "
                + taker.where()
                + " ["
                + module
                + "]",
            m.source()));
    ev.add(new Evidence(m.irqsOff(), m.report().oops().span()));
    ev.add(
        new Evidence(
            "no other CPU's stack in the log runs "
                + module
                + " code: none is shown holding the lock",
            null));
    Map<String, String> values = new java.util.HashMap<>();
    values.put("onCpu", m.cpu() == null ? "A CPU" : "CPU " + m.cpu());
    if (m.cpu() != null) {
      values.put("cpu", Integer.toString(m.cpu()));
    }
    values.put(SPINNER, m.spinner());
    values.put("holder", taker.where());
    values.put("module", module);
    values.put(
        "how",
        taker.where()
            + " of module "
            + module
            + " spins in "
            + m.spinner()
            + " ("
            + m.irqsOff()
            + ") and no other CPU is shown holding the lock: recursive locking likely, the lock"
            + " already taken on this CPU by "
            + module
            + " or by the code it interrupted");
    List<String> missing =
        List.of(
            "the lock's address and its owner (a dump: crash> bt -a, the lock word) would show who"
                + " holds it",
            "the other CPUs' backtraces (NMI backtraces, sysrq-l) to rule out a holder elsewhere");
    return new Hit(values, ev, 0.6, missing);
  }

  private static String irqState(ExceptionFrame e) {
    Long flags = e.registers().get("RFLAGS");
    if (flags == null) {
      flags = e.registers().get("EFLAGS");
    }
    if (flags == null) {
      return e.where() + " flags unknown";
    }
    return e.where()
        + " IF="
        + (((flags & 0x200) != 0) ? "1 (interrupts on)" : "0 (interrupts off)");
  }
}
