package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.AddressKind;
import org.ktriage.model.ContextKind;
import org.ktriage.model.FailureClass;

/** The primary failure on its own evidence (before blame moves across CPUs or tasks). */
class PrimaryChoiceTest {

  @Test
  void theSeedsPrimaryIsTheOutermostFaultNotTheHardLockupThatPanicked() throws Exception {
    CrashFacts f = Inputs.facts("seed/crash-session.txt");
    Primary p = Objects.requireNonNull(PrimaryChoice.choose(f));
    assertThat(p.failureClass()).isEqualTo(FailureClass.PAGE_FAULT);
    assertThat(p.where()).isEqualTo("run_timer_softirq+0xf8");
    assertThat(p.cpu()).isEqualTo(1);
    assertThat(p.context()).isEqualTo(ContextKind.SOFTIRQ);
    assertThat(p.address()).isEqualTo(0xffffffffa88b53b0L);
    assertThat(p.addressKind()).isEqualTo(AddressKind.MODULE_AREA);
    assertThat(p.addressRegister()).isEqualTo("RCX");
    assertThat(p.report()).isNull();
  }

  @Test
  void aConsoleOopsIsItsOwnPrimaryWithItsHeadlineAddress() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/timer-after-unload/console.log");
    Primary p = Objects.requireNonNull(PrimaryChoice.choose(f));
    assertThat(p.failureClass()).isEqualTo(FailureClass.PAGE_FAULT);
    assertThat(p.where()).isEqualTo("__run_timers+0xd3");
    assertThat(p.context()).isEqualTo(ContextKind.SOFTIRQ);
    assertThat(p.address()).isEqualTo(0xffffffffc02853c8L);
    assertThat(p.addressRegister()).isNull();
    assertThat(p.report()).isSameAs(f.reports().get(0));
  }

  @Test
  void anExplicitPanicBlamesItsCaller() throws Exception {
    Primary p =
        Objects.requireNonNull(
            PrimaryChoice.choose(Inputs.facts("lab/out/panic-call/console.log")));
    assertThat(p.failureClass()).isEqualTo(FailureClass.EXPLICIT_PANIC);
    assertThat(p.where()).isEqualTo("lab_panic_now+0x11");
    assertThat(p.module()).isEqualTo("lab_panic");
  }

  @Test
  void aBuilderFillsOnlyWhatItIsGiven() {
    Primary p = Primary.of(FailureClass.BUG).at("f", "0x10", null).build();
    assertThat(p.where()).isEqualTo("f+0x10");
    assertThat(p.context()).isEqualTo(ContextKind.UNKNOWN);
    assertThat(p.cpu()).isNull();
    assertThat(p.withAddress(1L, AddressKind.NULL_PAGE, null).address()).isEqualTo(1L);
    assertThat(Primary.of(FailureClass.BUG).build().where()).isEqualTo("unknown");
  }
}
