package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.address.AddressClassifier;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.FailureClass;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;

/**
 * What analysis derived from a report before rules run: every report classified with its fault
 * sites, each CPU's fault sites, the primary failure and the trigger. Rules read it; they never
 * re-read inputs.
 *
 * @param report the report analysed
 * @param addresses address classifier for this kernel
 * @param reports every report of the log, classified, in log order
 * @param cpuSites fault sites per CPU (crash sessions and dumps), innermost first
 * @param primary the primary failure, or null when no crash was found
 * @param trigger what made the kernel panic or report
 * @param triggerWhere the frame or message that names the trigger, or null
 */
public record CrashFacts(
    CrashReport report,
    AddressClassifier addresses,
    List<ReportView> reports,
    Map<Integer, List<FaultSite>> cpuSites,
    @Nullable Primary primary,
    FailureClass trigger,
    @Nullable String triggerWhere) {

  public CrashFacts {
    reports = List.copyOf(reports);
    cpuSites = Map.copyOf(cpuSites);
  }

  /** The class of the primary failure, UNKNOWN when there is none. */
  public FailureClass primaryClass() {
    return primary == null ? FailureClass.UNKNOWN : primary.failureClass();
  }

  /** Modules loaded at the crash: the report's list, else the last report's modules. */
  public List<KernelModule> modules() {
    if (!report.modules().isEmpty()) {
      return report.modules();
    }
    for (int i = reports.size() - 1; i >= 0; i--) {
      if (!reports.get(i).oops().modules().isEmpty()) {
        return reports.get(i).oops().modules();
      }
    }
    return List.of();
  }

  /** True when module base/size are known, so coverage can be checked. */
  public boolean moduleRangesKnown() {
    List<KernelModule> mods = modules();
    return !mods.isEmpty() && mods.stream().allMatch(m -> m.base() != null && m.size() != null);
  }

  /** The loaded module covering the address, if any. */
  public Optional<KernelModule> moduleCovering(long address) {
    return modules().stream().filter(m -> m.covers(address)).findFirst();
  }

  /** The last unloaded module: the report's, else any report's. */
  public @Nullable String lastUnloaded() {
    if (report.lastUnloaded() != null) {
      return report.lastUnloaded();
    }
    for (int i = reports.size() - 1; i >= 0; i--) {
      String u = reports.get(i).oops().lastUnloaded();
      if (u != null) {
        return u;
      }
    }
    return null;
  }

  /** The panic CPU's state, or null. */
  public @Nullable CpuState panicCpu() {
    for (CpuState c : report.cpus()) {
      if (c.panicCpu()) {
        return c;
      }
    }
    Integer cpu = report.panic() == null ? null : report.panic().cpu();
    for (CpuState c : report.cpus()) {
      if (cpu != null && c.cpu() == cpu) {
        return c;
      }
    }
    return null;
  }

  /** Every log line: the report's log, else the lines of its reports. */
  public List<LogRecord> logLines() {
    if (!report.log().isEmpty()) {
      return report.log();
    }
    List<LogRecord> all = new ArrayList<>();
    for (ReportView v : reports) {
      all.addAll(v.oops().lines());
    }
    return all;
  }

  /** The report the primary was read from, or null. */
  public @Nullable ReportView primaryReport() {
    return primary == null ? null : primary.report();
  }
}
