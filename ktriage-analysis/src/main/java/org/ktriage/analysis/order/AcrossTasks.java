package org.ktriage.analysis.order;

import org.jspecify.annotations.Nullable;
import org.ktriage.model.ChainEvent;
import org.ktriage.model.ContextKind;
import org.ktriage.model.FailureClass;

/**
 * Blame across tasks: in a hung-task storm whose lock holder is itself among the hung tasks,
 * sleeping on something else ({@link LockHolders}), the holder's report is the primary and the
 * waiters its consequence.
 */
final class AcrossTasks {

  private AcrossTasks() {}

  /** The holder's report as the primary when {@code p} is a hung waiter, else {@code p}. */
  static @Nullable Primary blame(CrashFacts f, @Nullable Primary p) {
    if (p == null || p.failureClass() != FailureClass.HUNG_TASK) {
      return p;
    }
    LockHolders.Holder h = LockHolders.find(f.reports(), f.logLines());
    return h == null ? p : PrimaryChoice.fromReport(f, h.holder());
  }

  /** The chain event "N hung tasks wait for a lock held by a sleeping task", or null. */
  static @Nullable ChainEvent lockWait(CrashFacts f) {
    LockHolders.Holder h = LockHolders.find(f.reports(), f.logLines());
    if (h == null) {
      return null;
    }
    return new ChainEvent(
        "lock-wait",
        h.lock(),
        ContextKind.TASK.id(),
        null,
        h.waiters().size()
            + " hung task(s) wait for "
            + h.lock()
            + ", held by "
            + h.task()
            + " while it sleeps in "
            + h.holderWait(),
        h.source());
  }
}
