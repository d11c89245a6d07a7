package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.ktriage.model.Oops;

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
