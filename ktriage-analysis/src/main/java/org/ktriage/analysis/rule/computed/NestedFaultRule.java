package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.order.ReportView;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.model.Evidence;
import org.ktriage.model.LogRecord;

/**
 * An oops while handling one: a later die counter ({@code [#2]}), a fault nested inside another on
 * one CPU's stacks, or {@code Fixing recursive fault}; later failures are consequences (playbook
 * §17, R6).
 */
public final class NestedFaultRule implements ComputedRule {

  @Override
  public String id() {
    return "nested-fault";
  }

  /** About the incident as a whole: faults nested inside or after the first one. */
  @Override
  public boolean describesOneFailure() {
    return false;
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    List<Evidence> ev = new ArrayList<>();
    int maxDie = 0;
    for (ReportView v : f.reports()) {
      Integer d = v.oops().dieCounter();
      if (d != null && d >= 2) {
        ev.add(new Evidence(v.oops().headline().strip() + " [#" + d + "]", v.oops().span()));
        maxDie = Math.max(maxDie, d);
      }
      for (LogRecord l : v.oops().lines()) {
        if (l.text().contains("Fixing recursive fault")) {
          ev.add(new Evidence(l.text().strip(), l.source()));
        }
      }
    }
    Primary p = f.primary();
    if (p != null && p.site() != null) {
      List<FaultSite> stack =
          p.report() != null ? p.report().sites() : f.cpuSites().getOrDefault(p.cpu(), List.of());
      for (FaultSite s : stack) {
        if (s.isFault() && s.depth() < p.site().depth()) {
          ev.add(
              new Evidence(
                  "fault at "
                      + s.frame().where()
                      + " nested inside the first fault at "
                      + p.where(),
                  s.frame().source()));
        }
      }
    }
    ReportView firstReport = f.reports().isEmpty() ? null : f.reports().get(0);
    if (firstReport != null
        && firstReport.oops().taint() != null
        && firstReport.oops().taint().has('D')) {
      // R4: taint D in the first report's CPU line means an oops happened before the log starts.
      ev.add(
          new Evidence(
              "taint " + firstReport.oops().taint().compact() + " already has D: an earlier oops",
              firstReport.oops().span()));
    }
    if (ev.isEmpty()) {
      return null;
    }
    Map<String, String> values = new HashMap<>();
    values.put("count", Integer.toString(Math.max(2, Math.max(maxDie, ev.size()))));
    values.put(
        "first", p == null ? "the first report" : p.failureClass().id() + " at " + p.where());
    return new Hit(values, ev, 0.8, List.of());
  }
}
