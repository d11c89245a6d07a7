package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.FailureClass;

/**
 * The wide "blames its caller" families of the frame table (issue 11) on real reports: a core
 * library helper or core API that only acts on what its caller passed hands the blame to the
 * caller, a leaf a busy loop keeps calling hands a watchdog's blame to the loop, and neither
 * happens where the report is about the leaf itself.
 */
class BlameFamiliesTest {

  private static Primary primaryOf(String shared) throws Exception {
    return Objects.requireNonNull(PrimaryChoice.choose(Inputs.facts(shared)));
  }

  @Test
  void anSkbHelpersOverPanicBlamesTheCallerThatAskedForTheRoom() throws Exception {
    // syzkaller report/581: skb_put() -> skb_over_panic() -> skb_panic() BUG()s for
    // pfkey_send_acquire(), which sized the skb (net/core/skbuff.c)
    Primary p = primaryOf("corpus/syzkaller/report/581");
    assertThat(p.failureClass()).isEqualTo(FailureClass.BUG);
    assertThat(p.function()).isEqualTo("pfkey_send_acquire");
  }

  @Test
  void aChecksumHelperFaultingOnItsBufferBlamesTheCaller() throws Exception {
    // syzkaller guilty/66: crc32 over a bad buffer passed by ieee80211_wep_encrypt_data()
    // (net/mac80211/wep.c, printed as inlined into ieee80211_wep_encrypt(): InlinedCallers)
    assertThat(primaryOf("corpus/syzkaller/guilty/66").function())
        .isEqualTo("ieee80211_wep_encrypt_data");
  }

  @Test
  void aUsbMessageHelpersWarnBlamesTheDriverThatSentIt() throws Exception {
    // syzkaller report/389: usb_submit_urb()'s "BOGUS urb xfer" through usb_start_wait_urb()
    // and usb_control_msg() for shark_write_val() (drivers/usb/core/message.c)
    assertThat(primaryOf("corpus/syzkaller/report/389").function()).isEqualTo("shark_write_val");
  }

  @Test
  void aSoftLockupInAnMmioReadBlamesThePollingLoop() throws Exception {
    // ABRT examples/oops1-module-nouveau: the soft-lockup watchdog found the CPU in ioread32(),
    // which nv50_dac_sense() keeps calling
    Primary p = primaryOf("corpus/abrt/examples/oops1-module-nouveau.test");
    assertThat(p.failureClass()).isEqualTo(FailureClass.SOFT_LOCKUP);
    assertThat(p.function()).isEqualTo("nv50_dac_sense");
  }

  @Test
  void aStallsInterruptedIrqEnableAndTimerPathAreNotTheCulprit() throws Exception {
    // wild tune: an expedited RCU stall whose NMI backtrace starts in arch_local_irq_enable()
    // and local_bh_enable() (the interrupt-enable the pending interrupt lands on, the softirq
    // exit), inside usbnet's rx_submit() refilling URBs in a loop
    CrashFacts f =
        CauseOrder.facts(
            Ingest.read(
                List.of(
                    Path.of(
                        "../corpus/wild/tune/"
                            + "6.x-arm64-usbnet-link-change-carrier-on-refills-urbs-expedited-rcu-stall.txt")),
                Strictness.LENIENT));
    Primary p = Objects.requireNonNull(PrimaryChoice.choose(f));
    assertThat(p.failureClass()).isEqualTo(FailureClass.RCU_STALL);
    assertThat(p.function()).isEqualTo("rx_submit");
  }

  @Test
  void aBusyWaitLeafOutsideAWatchdogReportIsStillNamed() throws Exception {
    // syzkaller report/328: the stack protector found ktime_get()'s own frame corrupted
    // (kernel/panic.c __stack_chk_fail() "Kernel stack is corrupted in: ktime_get+0x3f2")
    assertThat(primaryOf("corpus/syzkaller/report/328").function()).isEqualTo("ktime_get");
  }

  @Test
  void anRcuStallSkipsTheTimerInterruptItWasReportedFrom() throws Exception {
    // syzkaller report/462 (5.x): rcu_sched_clock_irq() and the hrtimer path print the stall;
    // the interrupted code is the ip_set hash add loop
    assertThat(primaryOf("corpus/syzkaller/report/462").function())
        .isEqualTo("hash_ipportnet4_add");
  }
}
