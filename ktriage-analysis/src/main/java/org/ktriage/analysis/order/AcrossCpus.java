package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;

/**
 * Rule R2 across CPUs (playbook §7 (c), §8): a soft lockup or RCU stall is often the victim of
 * another CPU stuck with interrupts off (its own hard-lockup report, or an NMI backtrace with IF
 * clear); that CPU's failure is then the primary.
 */
final class AcrossCpus {

  private AcrossCpus() {}

  /** Victim classes a CPU stuck with interrupts off can cause on another CPU. */
  private static final Set<FailureClass> CROSS_CPU_VICTIMS =
      Set.of(FailureClass.SOFT_LOCKUP, FailureClass.RCU_STALL);

  /**
   * Frames of a CPU waiting for other CPUs: base-name prefixes of the IPI and stop_machine waits
   * (kernel/smp.c, kernel/stop_machine.c, arch/x86/mm/tlb.c, arch/x86/kernel/alternative.c).
   */
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

  /** A per-CPU line of an RCU stall report: {@code rcu: 3-...0: (1 GPs behind)}. */
  private static final Pattern STALLED_CPU = Pattern.compile("^(?:rcu: )?\\s*(\\d+)-[.Oo][.o][.N]");

  /** The 3.x list: {@code detected stalls on CPUs/tasks: { 2 3}}. */
  private static final Pattern STALLED_CPU_3X =
      Pattern.compile("stalls? on CPUs?(?:/tasks)?:? \\{([ \\d]+)\\}");

  /**
   * The CPU the victim {@code p} waited for, when one is visibly stuck: a soft-lockup victim must
   * be waiting for others (an IPI or a spinlock); an RCU stall must list that CPU. Returns {@code
   * p} when no other CPU is to blame.
   */
  static @Nullable Primary blame(CrashFacts f, @Nullable Primary p) {
    if (p == null || !CROSS_CPU_VICTIMS.contains(p.failureClass())) {
      return p;
    }
    Integer victim = p.cpu();
    for (ReportView v : f.reports()) {
      if (v.failureClass() == FailureClass.HARD_LOCKUP
          && v.oops().cpu() != null
          && !v.oops().cpu().equals(victim)) {
        return PrimaryChoice.fromReport(f, v);
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
    boolean byCaller = best.caller() != null;
    return Primary.of(FailureClass.HARD_LOCKUP)
        .on(best.cpu(), best.context())
        .at(
            byCaller ? best.caller() : best.function(),
            byCaller ? best.callerOffset() : best.offset(),
            null)
        .source(best.ripSource())
        .build();
  }

  /** True when the victim's own frames wait for another CPU: a spinlock or an IPI wait. */
  static boolean waitsForOthers(Primary p) {
    List<String> names = new ArrayList<>();
    if (p.function() != null) {
      names.add(p.function());
    }
    ReportView v = p.report();
    if (v != null) {
      for (Frame fr : Culprits.framesOf(v.oops())) {
        if (fr.reliable()) {
          names.add(fr.function());
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
  static Set<Integer> stalledCpus(CrashFacts f) {
    Set<Integer> cpus = new HashSet<>();
    for (LogRecord l : f.logLines()) {
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
}
