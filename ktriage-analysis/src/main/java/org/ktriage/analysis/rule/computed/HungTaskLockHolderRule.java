package org.ktriage.analysis.rule.computed;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.LockHolders;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.model.Evidence;

/**
 * A hung-task storm traced to its lock holder: several hung tasks sleep in a lock's slow path and
 * lockdep lists that lock under one more hung task that sleeps on something else (playbook §9).
 */
public final class HungTaskLockHolderRule implements ComputedRule {

  @Override
  public String id() {
    return "hung-task-lock-holder";
  }

  /** About the incident as a whole: the holder the blocked tasks wait for. */
  @Override
  public boolean describesOneFailure() {
    return false;
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    LockHolders.Holder h = LockHolders.find(f.reports(), f.logLines());
    if (h == null) {
      return null;
    }
    return new Hit(
        Map.of(
            "holder", h.task(),
            "lock", h.lock(),
            "waiters", Integer.toString(h.waiters().size()),
            "waiterList", String.join(", ", h.waiters()),
            "holderWait", h.holderWait()),
        List.of(
            new Evidence(h.holder().oops().headline().strip(), h.holder().oops().span()),
            new Evidence(h.task() + " holds " + h.lock() + " (lockdep)", h.source()),
            new Evidence(h.task() + " sleeps in " + h.holderWait(), h.holder().oops().span())),
        0.7,
        List.of("the holder's full wait chain (crash> bt <pid of the holder>; foreach UN bt)"));
  }
}
