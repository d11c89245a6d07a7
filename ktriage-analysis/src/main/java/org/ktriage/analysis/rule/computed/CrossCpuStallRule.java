package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.order.ReportView;
import org.ktriage.analysis.order.StuckCpus;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.model.Evidence;
import org.ktriage.model.FailureClass;

/**
 * A soft lockup or RCU stall on one CPU that is the symptom of another CPU stuck with interrupts
 * off (its own hard-lockup report, or an NMI backtrace with EFLAGS.IF clear): names the stuck CPU
 * as the primary and the stall as its consequence (playbook §7 (c), §8 cause 2, rule R2).
 */
public final class CrossCpuStallRule implements ComputedRule {

  @Override
  public String id() {
    return "cross-cpu-stall";
  }

  /** About the incident as a whole: the CPU the first failure's victims waited for. */
  @Override
  public boolean describesOneFailure() {
    return false;
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    Primary p = f.primary();
    if (p == null || p.failureClass() != FailureClass.HARD_LOCKUP || p.cpu() == null) {
      return null;
    }
    ReportView victim = null;
    for (ReportView v : f.reports()) {
      if ((v.failureClass() == FailureClass.SOFT_LOCKUP
              || v.failureClass() == FailureClass.RCU_STALL)
          && !v.equals(p.report())
          && (v.oops().cpu() == null || !v.oops().cpu().equals(p.cpu()))) {
        victim = v;
        break;
      }
    }
    if (victim == null) {
      return null;
    }
    Map<String, String> values = new HashMap<>();
    List<Evidence> ev = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    values.put("stuckCpu", Integer.toString(p.cpu()));
    values.put("stuckWhere", p.where());
    values.put("victim", victim.oops().headline().strip());
    values.put(
        "victimCpu", victim.oops().cpu() == null ? "another CPU" : "CPU " + victim.oops().cpu());
    ev.add(new Evidence(victim.oops().headline().strip(), victim.oops().span()));
    double confidence = 0.7;
    String how = "its own hard-lockup report";
    if (p.report() != null) {
      ev.add(new Evidence(p.report().oops().headline().strip(), p.report().oops().span()));
      confidence = 0.8;
    } else {
      StuckCpus.Stuck s = null;
      for (StuckCpus.Stuck c : StuckCpus.find(f.logLines())) {
        if (c.cpu() == p.cpu()) {
          s = c;
          break;
        }
      }
      if (s == null) {
        return null;
      }
      how =
          String.format(
              "its NMI backtrace: EFLAGS %08x, IF clear, at %s%s",
              s.eflags(),
              s.offset() == null ? s.function() : s.function() + "+" + s.offset(),
              s.spinning() ? ", spinning on a lock" : "");
      ev.add(new Evidence("NMI backtrace for cpu " + s.cpu(), s.source()));
      ev.add(new Evidence(how, s.ripSource()));
      if (s.spinning()) {
        missing.add("the holder of the lock it spins on (crash> bt -a; search -t <lock address>)");
      }
    }
    values.put("how", how);
    return new Hit(values, ev, confidence, missing);
  }
}
