package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.address.AddressClassifier;
import org.ktriage.analysis.classify.FailureClassifier;
import org.ktriage.analysis.stack.EntryKind;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.analysis.stack.StackReader;
import org.ktriage.model.ChainEvent;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.FailureClass;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.kind.ReportKinds;

/**
 * Orders failures into primary, trigger and chain (playbook rules R1–R7) from a few parts: {@link
 * PrimaryChoice} (the first failure on its own evidence), {@link AcrossCpus} and {@link
 * AcrossTasks} (handing the blame to the CPU or task the victim waited for), {@link TriggerChoice}
 * (what made the kernel panic), {@link CauseChain} (what followed from what), {@link FaultAddress}
 * (the bad address) and {@link Culprits} (which frame is to blame).
 */
public final class CauseOrder {

  private CauseOrder() {}

  /** Derives the facts rules read: classified reports, CPU sites, primary and trigger. */
  public static CrashFacts facts(CrashReport report) {
    AddressClassifier addresses = AddressClassifier.forKernel(report.kernel());
    List<ReportView> views = new ArrayList<>();
    for (Oops o : report.oopses()) {
      FailureClass c = FailureClassifier.classify(o);
      views.add(new ReportView(o, c, StackReader.read(o.ip(), entryOf(c), c, o.trace())));
    }
    Map<Integer, List<FaultSite>> cpuSites = new LinkedHashMap<>();
    for (CpuState cpu : report.cpus()) {
      cpuSites.put(
          cpu.cpu(),
          StackReader.read(null, EntryKind.UNKNOWN, FailureClass.UNKNOWN, cpu.segments()));
    }
    CrashFacts draft =
        new CrashFacts(report, addresses, views, cpuSites, null, FailureClass.UNKNOWN, null);
    Primary primary =
        AcrossTasks.blame(draft, AcrossCpus.blame(draft, PrimaryChoice.choose(draft)));
    TriggerChoice.Trigger trigger = TriggerChoice.choose(draft, primary);
    return new CrashFacts(
        report, addresses, views, cpuSites, primary, trigger.failureClass(), trigger.where());
  }

  /** At most this many later reports are read (one per failure class): logs repeat reports. */
  private static final int MAX_LATER_REPORTS = 8;

  /**
   * The facts as each later report of the incident shows its own failure: the first report of each
   * failure class after the primary's, read as {@link PrimaryChoice#fromReport} reads a primary. A
   * first failure often sets off another (a WARN's corrupted state faults next, __schedule_bug() or
   * ___might_sleep() is followed by the oops of the code that went on, a fault in an interrupt
   * leaves a CPU spinning); each report names a failure of its own, so rules that describe one
   * failure describe these too. Reports outside the incident ({@link CauseLinks#incident}), a bare
   * panic message (panic() after the report, kernel/panic.c) and unclassified text are left out;
   * the primary stays the first failure.
   */
  public static List<CrashFacts> laterReports(CrashFacts f) {
    Primary primary = f.primary();
    ReportView primaryReport = primary == null ? null : primary.report();
    int after = primaryReport == null ? -1 : primaryReport.oops().index();
    List<CrashFacts> out = new ArrayList<>();
    Set<FailureClass> seen = EnumSet.noneOf(FailureClass.class);
    long panicSeq = firstPanicSeq(f);
    for (ReportView v : CauseLinks.incident(f.reports(), f.report().log())) {
      FailureClass c = v.failureClass();
      if (out.size() >= MAX_LATER_REPORTS
          || v.oops().index() <= after
          || c == FailureClass.UNKNOWN
          || c == FailureClass.EXPLICIT_PANIC
          || CauseLinks.panicOnly(v)
          || (!v.oops().lines().isEmpty() && v.oops().lines().get(0).seq() > panicSeq)
          || !seen.add(c)) {
        continue;
      }
      Primary p = PrimaryChoice.fromReport(f, v);
      out.add(
          new CrashFacts(
              f.report(),
              f.addresses(),
              f.reports(),
              f.cpuSites(),
              p,
              f.trigger(),
              f.triggerWhere()));
    }
    return out;
  }

  /**
   * The log sequence number of the first {@code Kernel panic - not syncing} line, or the largest
   * long. panic() (kernel/panic.c) prints it, then stops the other CPUs (smp_send_stop(),
   * crash_smp_send_stop()): a report printed after it comes from a CPU being stopped or from the
   * dying kernel's own halt path, not from the failure that led to the panic.
   */
  private static long firstPanicSeq(CrashFacts f) {
    for (LogRecord r : f.logLines()) {
      if (ReportKinds.find(r.text(), "panic") != null) {
        return r.seq();
      }
    }
    return Long.MAX_VALUE;
  }

  /** How the kernel entered the code a report of this class shows. */
  private static EntryKind entryOf(FailureClass c) {
    return switch (c) {
      case HARD_LOCKUP -> EntryKind.NMI;
      case SOFT_LOCKUP, RCU_STALL -> EntryKind.INTERRUPT;
      case HUNG_TASK, OOM, EXPLICIT_PANIC, UNKNOWN, SLEEP_IN_ATOMIC, DEADLOCK -> EntryKind.UNKNOWN;
      default -> EntryKind.FAULT;
    };
  }

  /**
   * The cause chain, first cause first (see {@link CauseChain}).
   *
   * @param recursiveLockWhere where a recursive spinlock was detected, or null
   */
  public static List<ChainEvent> chain(CrashFacts f, @Nullable String recursiveLockWhere) {
    return CauseChain.of(f, recursiveLockWhere);
  }
}
