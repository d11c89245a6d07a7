package org.ktriage.analysis.order;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Oops;

/**
 * One report of the log with its class and its fault sites (its {@code RIP:} block first, then the
 * interrupted contexts printed inside its trace).
 */
public record ReportView(Oops oops, FailureClass failureClass, List<FaultSite> sites) {

  public ReportView {
    sites = List.copyOf(sites);
  }

  /** The outermost site entered by a fault (rule R1), or null. */
  public @Nullable FaultSite outermostFault() {
    FaultSite found = null;
    for (FaultSite s : sites) {
      if (s.isFault()) {
        found = s;
      }
    }
    return found;
  }
}
