package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ChainEvent;

/** The cause chain: nested on the primary's CPU, later reports, trigger, panic. */
class CauseChainTest {

  @Test
  void theSeedsChainRunsFromTheFaultThroughTheRecursiveLockToTheWatchdog() throws Exception {
    CrashFacts f = Inputs.facts("seed/crash-session.txt");
    List<ChainEvent> chain = CauseChain.of(f, "_raw_spin_lock_irqsave+0x47");
    assertThat(chain)
        .extracting(ChainEvent::event)
        .containsExactly("page-fault", "recursive-lock", "hard-lockup", "panic");
    assertThat(chain.get(2).where()).isEqualTo("watchdog_overflow_callback");
    assertThat(chain.get(2).context()).isEqualTo("nmi");
    // without the recursive-lock finding the spin is only a wait
    assertThat(CauseChain.of(f, null).get(1).event()).isEqualTo("lock-wait");
  }

  @Test
  void sameCpuEventsAreOnlyThoseNestedInsideThePrimary() throws Exception {
    CrashFacts f = Inputs.facts("seed/crash-session.txt");
    Primary p = Objects.requireNonNull(f.primary());
    assertThat(CauseChain.sameCpu(f, p, null))
        .extracting(ChainEvent::event)
        .containsExactly("lock-wait", "hard-lockup");
    // the lab oops has nothing nested inside it and no later report
    CrashFacts lab = Inputs.facts("lab/out/timer-after-unload/console.log");
    Primary lp = Objects.requireNonNull(lab.primary());
    assertThat(CauseChain.sameCpu(lab, lp, null)).isEmpty();
    assertThat(CauseChain.laterReports(lab, lp)).isEmpty();
    assertThat(CauseChain.of(lab, null))
        .extracting(ChainEvent::event)
        .containsExactly("page-fault", "panic");
  }
}
