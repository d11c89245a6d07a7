package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ktriage.model.FailureClass;

/** What made the kernel panic: the message's detector, the detector frame, the dying report. */
class TriggerChoiceTest {

  @Test
  void theSeedPanickedForTheHardLockupItsMessageNames() throws Exception {
    CrashFacts f = Inputs.facts("seed/crash-session.txt");
    TriggerChoice.Trigger t = TriggerChoice.choose(f, f.primary());
    assertThat(t.failureClass()).isEqualTo(FailureClass.HARD_LOCKUP);
  }

  @Test
  void aFatalExceptionIsTheReportThatDied() throws Exception {
    // "Kernel panic - not syncing: Fatal exception in interrupt" after the page-fault oops
    CrashFacts f = Inputs.facts("lab/out/timer-after-unload/console.log");
    TriggerChoice.Trigger t = TriggerChoice.choose(f, f.primary());
    assertThat(t.failureClass()).isEqualTo(FailureClass.PAGE_FAULT);
    assertThat(t.where()).startsWith("BUG: unable to handle page fault for address");
  }

  @Test
  void aSoftLockupPanicNamesTheSoftLockup() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/soft-lockup/console.log");
    assertThat(TriggerChoice.choose(f, f.primary()).failureClass())
        .isEqualTo(FailureClass.SOFT_LOCKUP);
  }

  @Test
  void anExplicitPanicIsItsOwnTrigger() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/panic-call/console.log");
    assertThat(TriggerChoice.choose(f, f.primary()).failureClass())
        .isEqualTo(FailureClass.EXPLICIT_PANIC);
  }
}
