package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.ReportView;
import org.ktriage.analysis.stack.FaultSite;

/** Every stack of a report with its sites: each CPU's (crash sessions) and each report's. */
record Sites(@Nullable Integer cpu, List<FaultSite> sites, @Nullable ReportView report) {

  static List<Sites> all(CrashFacts f) {
    List<Sites> out = new ArrayList<>();
    for (Map.Entry<Integer, List<FaultSite>> e : f.cpuSites().entrySet()) {
      out.add(new Sites(e.getKey(), e.getValue(), null));
    }
    for (ReportView v : f.reports()) {
      out.add(new Sites(v.oops().cpu(), v.sites(), v));
    }
    return out;
  }
}
