package org.ktriage.analysis.signature;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CrashTitlesTest {
  @Test
  void normalizationReplacesDynamicParts() {
    assertThat(CrashTitles.normalize("WARNING in foo at net/core/dev.c:1234 on CPU#3"))
        .isEqualTo("WARNING in foo at net/core/dev.c:LINE on CPU");
    assertThat(
            CrashTitles.normalize(
                "KASAN: use-after-free in do_con_write.part.23 at addr" + " ffff88003b0c5f40"))
        .isEqualTo("KASAN: use-after-free in do_con_write.part.NUM at addr ADDR");
    assertThat(CrashTitles.normalize("task syz-executor.3:1234 blocked 10.0.0.1"))
        .isEqualTo("task syz-executor blocked IP");
    assertThat(CrashTitles.normalize("BUG in ip6_fragment+0x1052/0x2d80 for cfg80211"))
        .isEqualTo("BUG in ip6_fragment for cfg80211");
    assertThat(CrashTitles.normalize("x".repeat(200))).hasSize(120);
  }

  @Test
  void typesFollowTitlePrefixes() {
    assertThat(CrashTitles.typeOf("KASAN: slab-use-after-free Write in foo"))
        .isEqualTo("KASAN-USE-AFTER-FREE-WRITE");
    assertThat(CrashTitles.typeOf("INFO: task hung in foo")).isEqualTo("HANG");
    assertThat(CrashTitles.typeOf("BUG: stack guard page was hit in foo")).isEmpty();
    assertThat(CrashTitles.typeOf("WARNING: something odd")).isEqualTo("WARNING");
  }

  @Test
  void noHeaderMeansNoCrash() throws Exception {
    String log =
        "[    1.0] INFO: lockdep is turned off.\n[    1.1] WARNING: /etc/ssh/moduli does"
            + " not exist, using fixed modulus\n";
    assertThat(CrashTitles.of(Ingested.read(log))).isNull();
  }

  @Test
  void gluedLoginPrefixIsReadAsAConsolePrefix() throws Exception {
    String log =
        (""
            + "syzkaller login: [   16.3] BUG: soft lockup - CPU#0 stuck for 22s! [a:1]\n"
            + "[   16.4] RIP: 0010:foo_spin+0x1/0x2\n"
            + "[   16.5] Call Trace:\n"
            + "[   16.6]  bar+0x1/0x2\n"
            + "[   16.7]  do_syscall_64+0x1/0x2\n"
            + "[   16.8]  entry_SYSCALL_64_after_hwframe+0x1/0x2\n");
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("BUG: soft lockup in bar");
    assertThat(t.altTitles()).containsExactly("stall in bar");
    assertThat(t.type()).isEqualTo("HANG");
    assertThat(t.corrupted()).isFalse();
    assertThat(t.frame()).isEqualTo("bar");
  }

  /**
   * A WARN whose offsets scripts/decode_stacktrace.sh replaced by "(file:line)" is titled by the
   * function __warn() named: the kernel test robot's report of 2023-09-27
   * (https://lore.kernel.org/oe-lkp/202309271628.27fd2187-oliver.sang@intel.com), first lines.
   */
  @Test
  void decodedWarningIsTitledByItsFunction() throws Exception {
    String log =
        ""
            + "kern  :warn  : [  173.147140] ------------[ cut here ]------------\n"
            + "kern :warn : [  173.147759] WARNING: CPU: 12 PID: 2260 at"
            + " net/core/flow_dissector.c:1096 __skb_flow_dissect (net/core/flow_dissector.c:1096"
            + " (discriminator 1)) \n"
            + "kern  :warn  : [  173.148709] Modules linked in: nft_synproxy nf_synproxy_core\n"
            + "kern  :warn  : [  173.154193] CPU: 12 PID: 2260 Comm: iperf3 Not tainted"
            + " 6.5.0-04033-g7a6420ac36c0-dirty #1\n"
            + "kern :warn : [  173.155977] RIP: 0010:__skb_flow_dissect"
            + " (net/core/flow_dissector.c:1096 (discriminator 1)) \n"
            + "kern  :warn  : [  173.166282] Call Trace:\n"
            + "kern  :warn  : [  173.166620]  <IRQ>\n"
            + "kern :warn : [  173.181904] __xfrm_decode_session (net/xfrm/xfrm_policy.c:3451) \n"
            + "kern :warn : [  173.183449] ip_route_me_harder (include/linux/skbuff.h:1121"
            + " net/ipv4/netfilter.c:66) \n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("WARNING in __skb_flow_dissect");
    assertThat(t.type()).isEqualTo("WARNING");
  }

  /**
   * A report syzkaller's rules do not title still gets a title that says what happened: the OOM
   * killer's report (its first lines as posted to linux-mm,
   * https://lore.kernel.org/linux-mm/20130125005529.GA21668@localhost/).
   */
  @Test
  void oomKillerReportIsTitledOutOfMemory() throws Exception {
    String log =
        ""
            + "[  744.754199] bash invoked oom-killer: gfp_mask=0xd0, order=1, oom_adj=0,"
            + " oom_score_adj=0\n"
            + "[  744.754202] bash cpuset=/ mems_allowed=0\n"
            + "[  744.754204] Pid: 3836, comm: bash Not tainted 3.2.0-4-686-pae #1 Debian"
            + " 3.2.32-1\n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("out of memory");
    assertThat(t.corrupted()).isFalse();
  }
}
