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

  @Test
  void anInconsistentLockStateBlamesTheUsageThatLeftInterruptsEnabled() throws Exception {
    // satyr gitlog-05 (3.6, mac80211): "inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage." -
    // the earlier usage took the lock with softirqs enabled; its trace, registered by lockdep's
    // irq-state hooks and the bh-enable primitive, names the code that must disable them
    CrashFacts f = Inputs.facts("corpus/satyr/kerneloopses/gitlog-05");
    Frame fr = Objects.requireNonNull(ReportedOrigins.lockdepEarlierUnsafeUsage(f.logLines()));
    assertThat(fr.function()).isEqualTo("mesh_sync_offset_adjust_tbtt");
    // syzkaller report/33: "{IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W}": the current acquisition is the
    // enabled one, its own stack names it
    CrashFacts now = Inputs.facts("corpus/syzkaller/report/33");
    assertThat(ReportedOrigins.lockdepEarlierUnsafeUsage(now.logLines())).isNull();
  }

  @Test
  void aCoreApisCallerIsReadAfterTheRipLineWhenNoTraceWasParsed() throws Exception {
    // syzkaller guilty/31 (FILE: net/bridge/br_if.c): panic_on_warn prints panic()'s stack, then
    // "RIP: …kobject_add_internal+0x3f6" and the callers, kobject's own first
    CrashFacts f = Inputs.facts("corpus/syzkaller/guilty/31");
    ReportView v = f.reports().get(0);
    Frame fr =
        Objects.requireNonNull(
            Culprits.fromTextAfterSite(f.logLines(), v.oops(), "kobject_add_internal"));
    assertThat(fr.function()).isEqualTo("br_add_if");
  }

  @Test
  void aKmsanReportBlamesTheOwnerOfTheUninitialisedLocalVariable() throws Exception {
    // syzkaller report/751: "Local variable ... created at: jent_hash_time" - the uninitialised
    // value read in alg_setkey's path came from a stack variable of jent_hash_time()
    CrashFacts f = Inputs.facts("corpus/syzkaller/report/751");
    Frame fr = Objects.requireNonNull(ReportedOrigins.kmsanLocalVariableOwner(f.logLines()));
    assertThat(fr.function()).isEqualTo("jent_hash_time");
    // a heap origin ("Uninit was created at:" an allocation) names no owner
    CrashFacts heap = Inputs.facts("corpus/syzkaller/report/632");
    assertThat(ReportedOrigins.kmsanLocalVariableOwner(heap.logLines())).isNull();
  }
}
