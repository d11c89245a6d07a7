package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.CpuState;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;

/** Which frame is to blame, on the seed's crash session and the lab's console logs. */
class CulpritsTest {

  @Test
  void panicFramesAreTheThreeWaysIntoPanic() {
    assertThat(Culprits.isPanicFrame("panic")).isTrue();
    assertThat(Culprits.isPanicFrame("vpanic")).isTrue();
    assertThat(Culprits.isPanicFrame("nmi_panic")).isTrue();
    assertThat(Culprits.isPanicFrame("panic_smp_self_stop")).isFalse();
    assertThat(Culprits.isPanicFrame("check_panic_on_warn")).isFalse();
  }

  @Test
  void theSeedsPanicWasCalledByTheHardLockupWatchdogNotByNmiPanic() throws Exception {
    CrashFacts f = Inputs.facts("seed/crash-session.txt");
    CpuState cpu = Objects.requireNonNull(f.panicCpu());
    List<Frame> frames = Culprits.framesOf(cpu);
    int at = Culprits.panicIndex(frames);
    assertThat(frames.get(at).function()).isEqualTo("panic");
    // nmi_panic sits between panic and the watchdog: it decides, it does not fail
    assertThat(frames.get(at + 1).function()).isEqualTo("nmi_panic");
    Frame caller = Objects.requireNonNull(Culprits.panicCaller(cpu));
    assertThat(caller.function()).isEqualTo("watchdog_overflow_callback");
  }

  @Test
  void anExplicitPanicBlamesTheModuleFunctionThatCalledIt() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/panic-call/console.log");
    ReportView v = f.reports().get(f.reports().size() - 1);
    Frame culprit = Objects.requireNonNull(Culprits.culprit(Culprits.framesOf(v.oops())));
    assertThat(culprit.function()).isEqualTo("lab_panic_now");
    assertThat(culprit.module()).isEqualTo("lab_panic");
  }

  @Test
  void reportingSitesAndAssertingApisHandTheBlameToTheCaller() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/panic-call/console.log");
    List<Frame> frames = Culprits.framesOf(f.reports().get(f.reports().size() - 1).oops());
    // a list-debugging check (lib/list_debug.c) asserts on its caller's list: the caller is
    // blamed whatever the class ...
    assertThat(Culprits.blamedCaller(FailureClass.LIST_CORRUPTION, "__list_add_valid", frames))
        .isNotNull();
    assertThat(Culprits.blamedCaller(FailureClass.NULL_DEREF, "__list_add_valid", frames))
        .isNotNull();
    // ... a lock primitive's caller took the lock ...
    assertThat(Culprits.blamedCaller(FailureClass.SLEEP_IN_ATOMIC, "__mutex_lock", frames))
        .isNotNull();
    // ... and ordinary code is its own culprit
    assertThat(Culprits.blamedCaller(FailureClass.NULL_DEREF, "lab_panic_now", frames)).isNull();
  }

  @Test
  void aTraceReadFromTextBlamesTheFirstSymbolThatIsNotInlinedOrReporting() throws Exception {
    // syzkaller guilty/11: the RIP lines name two inlined list helpers (no offset, not printed by
    // kallsyms) before the function that faulted
    CrashFacts f = Inputs.facts("corpus/syzkaller/guilty/11");
    Frame fr = Objects.requireNonNull(Culprits.fromText(f.logLines()));
    assertThat(fr.function()).isEqualTo("irq_bypass_unregister_consumer");
    assertThat(fr.offset()).isEqualTo("0x296");
  }

  @Test
  void anRcuStallsGracePeriodKthreadDumpAndTimerInterruptAreNotTheCulprit() throws Exception {
    // syzkaller guilty/60 (arm64): tree_stall.h prints the starved grace-period kthread's stack
    // (rcu_gp_fqs_loop, rcu_gp_kthread), then the stalled CPU's, led by the stack walker and the
    // arch timer interrupt; the stalled code is under the spinlock it spins on
    CrashFacts f = Inputs.facts("corpus/syzkaller/guilty/60");
    Frame fr = Objects.requireNonNull(Culprits.fromText(f.logLines()));
    assertThat(fr.function()).isEqualTo("sk_msg_recvmsg");
  }

  @Test
  void theIpThatDisabledPreemptionIsNotTheStackOfTheReport() throws Exception {
    // syzkaller guilty/67: __might_resched() prints "Preemption disabled at:" and that ip
    // (irq_enter_rcu) before the stack, where PREEMPT_RT's rt_read_lock() sleeps for its caller
    CrashFacts f = Inputs.facts("corpus/syzkaller/guilty/67");
    Frame fr = Objects.requireNonNull(Culprits.fromText(f.logLines()));
    assertThat(fr.function()).isEqualTo("kvm_xen_set_evtchn_fast");
  }
}
