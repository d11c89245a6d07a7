package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;

/** Which detector a frame calling panic() stands for. */
class DetectorsTest {

  @Test
  void knownDetectorFramesAndRenamedFamilies() {
    assertThat(Detectors.ofFrame("watchdog_overflow_callback")).isEqualTo(FailureClass.HARD_LOCKUP);
    assertThat(Detectors.ofFrame("watchdog_timer_fn")).isEqualTo(FailureClass.SOFT_LOCKUP);
    // kernel/rcu/tree_stall.h renamed its printers over the years: matched by family
    assertThat(Detectors.ofFrame("rcu_check_gp_kthread_starvation_stall"))
        .isEqualTo(FailureClass.RCU_STALL);
    assertThat(Detectors.ofFrame("die")).isEqualTo(FailureClass.UNKNOWN);
    assertThat(Detectors.ofFrame("lab_softlockup_spin")).isNull();
  }

  @Test
  void theSeedsPanicCallerIsTheHardLockupWatchdog() throws Exception {
    CrashFacts f = Inputs.facts("seed/crash-session.txt");
    List<Frame> frames = Culprits.framesOf(Objects.requireNonNull(f.panicCpu()));
    Detectors.Caller c =
        Objects.requireNonNull(Detectors.abovePanic(frames, Culprits.panicIndex(frames), true));
    assertThat(c.failureClass()).isEqualTo(FailureClass.HARD_LOCKUP);
    assertThat(c.frame().function()).isEqualTo("watchdog_overflow_callback");
  }

  @Test
  void anExplicitPanicHasNoDetectorAboveIt() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/panic-call/console.log");
    List<Frame> frames = Culprits.framesOf(f.reports().get(f.reports().size() - 1).oops());
    int at = Culprits.panicIndex(frames);
    assertThat(at).isGreaterThanOrEqualTo(0);
    assertThat(Detectors.abovePanic(frames, at, false)).isNull();
  }
}
