package org.ktriage.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ktriage.model.AddressFact;
import org.ktriage.model.Completeness;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.InputFormat;
import org.ktriage.model.InputSource;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LockWait;
import org.ktriage.model.MemoryLayout;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.PendingCallback;

/**
 * The reports of several inputs of one crash merged into one: a {@code crash} session's facts
 * first, then a dump's, then a log's; the longest log and the input with the most reports kept
 * whole.
 */
final class ReportMerge {
  private ReportMerge() {}

  /** Merges the reports of several inputs of one crash. */
  static CrashReport of(List<CrashReport> parts) {
    if (parts.size() == 1) {
      CrashReport only = parts.get(0);
      return ImpliedFacts.fill(only);
    }
    List<InputSource> sources = new ArrayList<>();
    Completeness completeness = Completeness.whole();
    CrashReport logPart = parts.get(0);
    CrashReport oopsPart = parts.get(0);
    for (CrashReport r : parts) {
      sources.addAll(r.sources());
      completeness = completeness.plus(r.completeness());
      if (r.log().size() > logPart.log().size()) {
        logPart = r;
      }
      if (r.oopses().size() > oopsPart.oopses().size()) {
        oopsPart = r;
      }
    }
    List<CrashReport> sessionsFirst = new ArrayList<>(parts);
    sessionsFirst.sort(Comparator.comparingInt(ReportMerge::infoRank));
    KernelInfo k = KernelInfo.unknown();
    for (CrashReport r : sessionsFirst) {
      k = mergeKernel(k, r.kernel());
    }
    List<CpuState> cpus = List.of();
    PanicInfo crashPanic = null;
    List<KernelModule> modules = List.of();
    String lastUnloaded = null;
    List<PendingCallback> pending = List.of();
    List<LockWait> lockWaits = List.of();
    List<AddressFact> addressFacts = List.of();
    for (CrashReport r : sessionsFirst) {
      if (addressFacts.isEmpty()) {
        addressFacts = r.addressFacts();
      }
      if (pending.isEmpty()) {
        pending = r.pendingCallbacks();
      }
      if (lockWaits.isEmpty()) {
        lockWaits = r.lockWaits();
      }
      if (segmentCount(r.cpus()) > segmentCount(cpus) || (cpus.isEmpty() && !r.cpus().isEmpty())) {
        cpus = r.cpus();
      }
      if (crashPanic == null && r.panic() != null) {
        crashPanic = r.panic();
      }
      if (modules.isEmpty() && !r.modules().isEmpty()) {
        modules = r.modules();
      }
      if (lastUnloaded == null) {
        lastUnloaded = r.lastUnloaded();
      }
    }
    return ImpliedFacts.fill(
        CrashReport.builder()
            .sources(sources)
            .kernel(k)
            .log(logPart.log())
            .oopses(oopsPart.oopses())
            .cpus(cpus)
            .panic(crashPanic)
            .modules(modules)
            .lastUnloaded(lastUnloaded)
            .completeness(completeness)
            .pendingCallbacks(pending)
            .lockWaits(lockWaits)
            .addressFacts(addressFacts)
            .build());
  }

  private static int segmentCount(List<CpuState> cpus) {
    return cpus.stream().mapToInt(c -> c.segments().size()).sum();
  }

  private static int infoRank(CrashReport r) {
    InputFormat f = r.sources().isEmpty() ? InputFormat.UNKNOWN : r.sources().get(0).format();
    return switch (f) {
      case CRASH_SESSION -> 0;
      case VMCORE_ELF, VMCORE_KDUMP, VMCORE_FLATTENED -> 1;
      default -> 2;
    };
  }

  static KernelInfo mergeKernel(KernelInfo a, KernelInfo b) {
    MemoryLayout layout = a.layout().equals(MemoryLayout.unknown()) ? b.layout() : a.layout();
    return new KernelInfo(
        a.release() != null ? a.release() : b.release(),
        a.version() != null ? a.version() : b.version(),
        a.arch() != null ? a.arch() : b.arch(),
        a.hostname() != null ? a.hostname() : b.hostname(),
        a.taint() != null ? a.taint() : b.taint(),
        a.hardware() != null ? a.hardware() : b.hardware(),
        layout);
  }
}
