package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ktriage.model.FailureClass;

/**
 * Which stack and which frame a report that is not a fault at an address blames (issue 11), on real
 * reports: a lockup or stall printed from its detector's own interrupt, an RCU stall that dumps the
 * grace-period kthread first, a might-sleep report whose atomic context is an RCU read section, a
 * hung task that khungtaskd reprints.
 */
class WatchdogStacksTest {

  private static Primary ofShared(String shared) throws Exception {
    return Inputs.primary(Inputs.facts(shared));
  }

  private static Primary ofWild(String name) throws Exception {
    return Inputs.primary(Inputs.wildTuneFacts(name));
  }

  @Test
  void aSoftLockupPanicStackBlamesTheInterruptedTaskNotTheArchTimer() throws Exception {
    // arm64 softlockup_panic: panic() <- watchdog_timer_fn() <- hrtimer <- arch_timer_handler_virt
    // <- gic <- el1h_64_irq, then the SQPOLL thread printk()ing from io_issue_sqe()
    Primary p = ofWild("5.x-arm64-io-uring-submit-sqes-32k-loop-softlockup-panic.txt");
    assertThat(p.failureClass()).isEqualTo(FailureClass.SOFT_LOCKUP);
    assertThat(p.function()).isEqualTo("io_issue_sqe");
  }

  @Test
  void anArm32StallPastIrqSvcBlamesTheInterruptedCode() throws Exception {
    // syzkaller report/237: rcu_sched_clock_irq() <- arch_timer_handler_virt() <- gic <- __irq_svc
    Primary p = ofShared("corpus/syzkaller/report/237");
    assertThat(p.failureClass()).isEqualTo(FailureClass.RCU_STALL);
    assertThat(p.function()).isEqualTo("nfs_wait_client_init_complete");
  }

  @Test
  void anRcuStallSkipsTheGracePeriodKthreadsOwnDump() throws Exception {
    // "RCU grace-period kthread stack dump:" (schedule_timeout <- rcu_gp_fqs_loop) comes before
    // "Stack dump where RCU GP kthread last ran:" and the stalled CPU's pc in io_do_iopoll()
    Primary p =
        ofWild("6.x-arm64-io-uring-try-cancel-requests-iopoll-loop-no-resched-rcu-stall.txt");
    assertThat(p.failureClass()).isEqualTo(FailureClass.RCU_STALL);
    assertThat(p.function()).isEqualTo("io_do_iopoll");
    // x86: the stalled CPU's NMI backtrace after the kthread's dump (syzkaller report/268)
    assertThat(ofShared("corpus/syzkaller/report/268").function()).isEqualTo("kvm_mmu_page_fault");
  }

  @Test
  void theBuddyHardLockupDetectorsIdleStackIsNotTheCulprit() throws Exception {
    // CPU 7 reports CPU 0's hard lockup from its own timer interrupt, taken in the idle loop
    Primary p = ofWild("5.x-arm64-coresight-replicator-both-ports-hard-lockup-panic.txt");
    assertThat(p.failureClass()).isEqualTo(FailureClass.HARD_LOCKUP);
    assertThat(p.function()).isNotIn("arch_cpu_idle", "default_idle_call", "do_idle");
  }

  @Test
  void aMightSleepInsideOnlyAnRcuReadSectionBlamesTheReader() throws Exception {
    // in_atomic() 0, irqs_disabled() 0, "RCU nest depth: 1": lockdep's held rcu_read_lock was
    // taken at kvm_pgtable_walk+0x0 (the "at:" wrapped to the next line)
    Primary p =
        ofWild("6.x-arm64-kvm-pgtable-walk-rcu-read-lock-exclusive-hyp-map-sleep-atomic.txt");
    assertThat(p.failureClass()).isEqualTo(FailureClass.SLEEP_IN_ATOMIC);
    assertThat(p.function()).isEqualTo("kvm_pgtable_walk");
    // 5.12 (no nest-depth line): the leaked read lock taken in nfnetlink_rcv_msg()
    assertThat(
            ofWild(
                    "5.x-x86_64-syzbot-nfnetlink-rcv-msg-missing-rcu-read-unlock-sleep-then-lock-held.txt")
                .function())
        .isEqualTo("nfnetlink_rcv_msg");
  }

  @Test
  void aMightSleepWithoutAHeldListOrUnderASpinlockKeepsTheSleepingCaller() throws Exception {
    // "INFO: lockdep is turned off.": no held-lock line names the reader
    assertThat(
            ofWild("6.x-x86_64-skmsg-alloc-sk-msg-gfp-kernel-under-rcu-sleep-atomic.txt")
                .function())
        .isEqualTo("alloc_sk_msg");
    // in_atomic() 1 (a spinlock): the caller that slept is named as before
    assertThat(
            ofWild(
                    "5.x-x86_64-btrfs-delayed-node-xa-insert-gfp-nofs-under-inode-lock-sleep-syslog.txt")
                .function())
        .isEqualTo("btrfs_get_or_create_delayed_node");
  }

  @Test
  void lockdepsIrqStateLinesWithoutTheirPrefixesAreNotTheStack() throws Exception {
    // "irq event stamp: 97058" then ktime_get+0x130, _raw_spin_lock_irqsave+0x84, … (the paste
    // lost "hardirqs last enabled at (…):"): the caller that slept is below mutex_lock
    Primary p =
        ofWild("6.x-arm64-jetson-tegra-i2c-irq-safe-runtime-pm-pinctrl-mutex-sleep-atomic.txt");
    assertThat(p.failureClass()).isEqualTo(FailureClass.SLEEP_IN_ATOMIC);
    assertThat(p.function()).isEqualTo("pinmux_disable_setting");
  }

  @Test
  void khungtaskdsRepeatOfTheSameTaskDoesNotOvertakeItsFirstPrint() throws Exception {
    // "blocked for more than 120 seconds" at 258.41 and the same task "241 seconds" at 379.24:
    // onsets 138.41 and 138.24, within the one-second precision; the repeat has no stack
    Primary p = ofWild("5.x-arm64-pcie-do-recovery-sriov-numvfs-device-lock-bus-sem-hung-task.txt");
    assertThat(p.failureClass()).isEqualTo(FailureClass.HUNG_TASK);
    assertThat(p.function()).isEqualTo("report_resume");
    // syzkaller report/437: the first-printed task (synchronize_rcu_expedited <- synchronize_net
    // <- nfnetlink_net_exit_batch), as syzkaller's title "task hung in synchronize_rcu" names it;
    // synchronize_net() is a wrapper of the RCU wait in ReportingFrames, so its caller is blamed
    assertThat(ofShared("corpus/syzkaller/report/437").function())
        .isEqualTo("nfnetlink_net_exit_batch");
  }
}
