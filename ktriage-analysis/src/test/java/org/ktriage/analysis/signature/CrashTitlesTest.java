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

  /**
   * An arm 3.x trace has no heading and reads "[<pc>] (f+off/size) from [<lr>] (g+off/size)"; a 3.x
   * WARN line reads "WARNING: at file:line f+off/size()". Neither is a form syzkaller's rules read
   * (the title was the raw WARNING line). Gioh Kim's report to linux-mm, 2014-05-16
   * (https://lore.kernel.org/linux-mm/5375C619.8010501@lge.com/), first frames.
   */
  @Test
  void arm32TraceWithoutHeadingTitlesAnOldWarning() throws Exception {
    String log =
        ""
            + "[    1.474523] ------------[ cut here ]------------\n"
            + "[    1.479150] WARNING: at arch/arm/mm/dma-mapping.c:496"
            + " __dma_alloc.isra.19+0x1b8/0x1e0()\n"
            + "[    1.487160] coherent pool not initialised!\n"
            + "[    1.491249] Modules linked in:\n"
            + "[    1.494317] CPU: 1 PID: 1 Comm: swapper/0 Not tainted 3.10.19+ #55\n"
            + "[    1.500521] [<80013e20>] (unwind_backtrace+0x0/0xf8) from [<80011c60>]"
            + " (show_stack+0x10/0x14)\n"
            + "[    1.509064] [<80011c60>] (show_stack+0x10/0x14) from [<8001eedc>]"
            + " (warn_slowpath_common+0x4c/0x6c)\n"
            + "[    1.518038] [<8001eedc>] (warn_slowpath_common+0x4c/0x6c) from [<8001ef90>]"
            + " (warn_slowpath_fmt+0x30/0x40)\n"
            + "[    1.527616] [<8001ef90>] (warn_slowpath_fmt+0x30/0x40) from [<80017c28>]"
            + " (__dma_alloc.isra.19+0x1b8/0x1e0)\n"
            + "[    1.537282] [<80017c28>] (__dma_alloc.isra.19+0x1b8/0x1e0) from [<80017d7c>]"
            + " (arm_dma_alloc+0x90/0x98)\n"
            + "[    1.546608] [<80017d7c>] (arm_dma_alloc+0x90/0x98) from [<8034a860>]"
            + " (ohci_init+0x1b0/0x278)\n"
            + "[    1.674264] ---[ end trace 6f1857db5ef45cb9 ]---\n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("WARNING in __dma_alloc");
    assertThat(t.type()).isEqualTo("WARNING");
  }

  /**
   * A kernel without frame pointers marks every frame "? " (unreliable): syzkaller's rules read
   * none and end the title "in corrupted"; read as a last resort, they name the WARN's site. The
   * i386 4.8 example of Documentation/admin-guide/bug-hunting.rst, first frames.
   */
  @Test
  void unreliableFramesAreReadWhenNoOtherFrameIsShown() throws Exception {
    String log =
        ""
            + "------------[ cut here ]------------\n"
            + "WARNING: CPU: 1 PID: 28102 at kernel/module.c:1108 module_put+0x57/0x70\n"
            + "Modules linked in: dvb_usb_gp8psk(-) dvb_usb dvb_core nvidia_drm(PO)\n"
            + "CPU: 1 PID: 28102 Comm: rmmod Tainted: P        WC O 4.8.4-build.1 #1\n"
            + "Hardware name: MSI MS-7309/MS-7309, BIOS V1.12 02/23/2009\n"
            + " 00000000 c12ba080 00000000 00000000 c103ed6a c1616014 00000001 00006dc6\n"
            + "Call Trace:\n"
            + " [<c12ba080>] ? dump_stack+0x44/0x64\n"
            + " [<c103ed6a>] ? __warn+0xfa/0x120\n"
            + " [<c109e8a7>] ? module_put+0x57/0x70\n"
            + " [<c103ee33>] ? warn_slowpath_null+0x23/0x30\n"
            + " [<f80ca4d0>] ? gp8psk_fe_set_frontend+0x460/0x460 [dvb_usb_gp8psk]\n"
            + " [<c109f617>] ? symbol_put_addr+0x27/0x50\n"
            + "---[ end trace 6ebc60ef3981792f ]---\n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("WARNING in module_put");
  }

  /**
   * i386 2.6 prints the faulting PC of a soft lockup only as "EIP is at f+off/size"; the stall is
   * named by the frame above kthread, reliable frames first. A soft lockup posted to the Ubuntu
   * forums ("PPA 1455 USB Sound card - Soft Lockup", 2011-12-12 reply), syslog-dressed, cut.
   */
  @Test
  void i386EipLineAndReliableFramesTitleASoftLockup() throws Exception {
    String p = "Dec 12 15:42:34 kahvi kernel: [ 1432.373308] ";
    String log =
        "Dec 12 15:42:34 kahvi kernel: [ 1432.372000] BUG: soft lockup - CPU#0 stuck for 61s!"
            + " [khubd:29]\n"
            + p
            + "Modules linked in: binfmt_misc snd_hda_codec_realtek snd_usb_audio\n"
            + p
            + "Pid: 29, comm: khubd Not tainted (2.6.32-35-generic #78-Ubuntu) G31M-ES2L\n"
            + p
            + "EIP: 0060:[<f81deb21>] EFLAGS: 00000292 CPU: 0\n"
            + p
            + "EIP is at snd_usb_find_desc+0x61/0x70 [snd_usb_audio]\n"
            + p
            + "EAX: f3ffa43c EBX: f3ffa44d ECX: 00000024 EDX: f3ffa51b\n"
            + p
            + "Call Trace:\n"
            + p
            + " [<f81d5e3a>] find_audio_control_unit+0x2a/0x70 [snd_usb_audio]\n"
            + p
            + " [<f81d5ead>] check_input_term+0x2d/0x240 [snd_usb_audio]\n"
            + p
            + " [<c04465d5>] hub_events+0x1f5/0x510\n"
            + p
            + " [<c01687ff>] ? finish_wait+0x4f/0x70\n"
            + p
            + " [<c044692a>] hub_thread+0x3a/0x140\n"
            + p
            + " [<c0168690>] ? autoremove_wake_function+0x0/0x50\n"
            + p
            + " [<c0168404>] kthread+0x74/0x80\n"
            + p
            + " [<c0104087>] kernel_thread_helper+0x7/0x10\n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("BUG: soft lockup in hub_thread");
  }

  /**
   * Before 3.0 lockdep_rcu_dereference() (kernel/lockdep.c) headed the report "[ INFO: suspicious
   * rcu_dereference_check() usage. ]", which syzkaller's rules do not know: titled as the later
   * "suspicious RCU usage". Greg Thelen's report to linux-mm, 2010-11-12
   * (https://lore.kernel.org/linux-mm/1289547167-32675-1-git-send-email-gthelen@google.com/).
   */
  @Test
  void oldRcuDereferenceHeaderIsTitledAsSuspiciousRcuUsage() throws Exception {
    String log =
        ""
            + "===================================================\n"
            + "[ INFO: suspicious rcu_dereference_check() usage. ]\n"
            + "---------------------------------------------------\n"
            + "kernel/pid.c:419 invoked rcu_dereference_check() without protection!\n"
            + "\n"
            + "other info that might help us debug this:\n"
            + "\n"
            + "rcu_scheduler_active = 1, debug_locks = 0\n"
            + "1 lock held by ureadahead/1355:\n"
            + " #0:  (tasklist_lock){.+.+..}, at: [<ffffffff8115bc09>] sys_ioprio_set+0x7f/0x29e\n"
            + "\n"
            + "stack backtrace:\n"
            + "Pid: 1355, comm: ureadahead Not tainted 2.6.37-dbg-DEV #1\n"
            + "Call Trace:\n"
            + " [<ffffffff8109c10c>] lockdep_rcu_dereference+0xaa/0xb3\n"
            + " [<ffffffff81088cbf>] find_task_by_pid_ns+0x44/0x5d\n"
            + " [<ffffffff81088cfa>] find_task_by_vpid+0x22/0x24\n"
            + " [<ffffffff8115bc3e>] sys_ioprio_set+0xb4/0x29e\n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("INFO: suspicious RCU usage in find_task_by_pid_ns");
  }

  /**
   * die_addr()'s header always ends in the error code after a colon ("general protection fault,
   * probably for non-canonical address 0x…: 0000 [#1]"); a commit message that cut it short is the
   * same report, titled by its RIP line. The fault quoted in the drm/xe fix d42df9dce7b3
   * (https://github.com/torvalds/linux/commit/d42df9dce7b374079c5c41691bd62d8765768a80).
   */
  @Test
  void generalProtectionFaultHeaderCutShortIsTitledByItsRip() throws Exception {
    String log =
        "Oops: general protection fault ... 0x6b6b6b6b6b6b6c3b\n"
            + "RIP: guc_exec_queue_timedout_job+...\n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("general protection fault in guc_exec_queue_timedout_job");
    assertThat(t.type()).isNotEmpty();
  }

  /**
   * scripts/decode_stacktrace.sh rewrites KASAN's header to "in func (file:line)", which
   * syzkaller's KASAN format (func+off/size) does not read: titled from the header's function and
   * the access line. The report of https://github.com/multipath-tcp/mptcp_net-next/issues/433.
   */
  @Test
  void decodedKasanHeaderIsTitledByItsFunction() throws Exception {
    String log;
    try (java.io.InputStream in =
        java.util.Objects.requireNonNull(
            CrashTitlesTest.class.getResourceAsStream("/dress/kasan-decoded-mptcp433.txt"))) {
      log = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("KASAN: slab-use-after-free Read in kernfs_test_super");
    assertThat(t.type()).isEqualTo("KASAN-USE-AFTER-FREE-READ");
  }

  /**
   * A header a commit message wrapped (arm64, KVM hyp mappings, 6.1-rc3: the kernel printed "BUG:
   * sleeping function called from invalid context at include/linux/sched/mm.h:274" on one line) is
   * read whole; the same report with its header on one line gives the same title.
   */
  @Test
  void wrappedHeaderIsJoined() throws Exception {
    String rest =
        ""
            + "  in_atomic(): 0, irqs_disabled(): 0, non_block: 0, pid: 1, name: swapper/0\n"
            + "  CPU: 2 PID: 1 Comm: swapper/0 Not tainted 6.1.0-rc3+ #5918\n"
            + "  Call trace:\n"
            + "   dump_backtrace.part.0+0xe4/0xf0\n"
            + "   show_stack+0x18/0x40\n"
            + "   dump_stack_lvl+0x8c/0xb8\n"
            + "   dump_stack+0x18/0x34\n"
            + "   __might_resched+0x178/0x220\n"
            + "   __might_sleep+0x48/0xa0\n"
            + "   prepare_alloc_pages+0x178/0x1a0\n"
            + "   __alloc_pages+0x9c/0x109c\n"
            + "   hyp_map_walker+0xb8/0x120\n"
            + "   kvm_pgtable_walk+0x14c/0x1f4\n";
    String wrapped =
        "  BUG: sleeping function called from invalid context at\n"
            + "  include/linux/sched/mm.h:274\n"
            + rest;
    String whole =
        "  BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274\n"
            + rest;
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(wrapped)));
    CrashTitle w = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(whole)));
    assertThat(t.title())
        .startsWith("BUG: sleeping function called from invalid context in ")
        .isEqualTo(w.title());
  }

  /**
   * A line the console printed with printk's time is never joined: arm32's fault header is whole
   * and the line after it ("pgd = …") is the kernel's next message.
   */
  @Test
  void timedHeaderIsNeverJoined() throws Exception {
    String log =
        ""
            + "[  101.1] Unable to handle kernel paging request at virtual address 80b0f484\n"
            + "[  101.2] pgd = e78b78b5\n"
            + "[  101.3] Internal error: Oops: 8000000d [#1] SMP ARM\n"
            + "[  101.4] PC is at 0x80b0f484\n"
            + "[  101.5] LR is at do_futex+0x158/0xf14\n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).startsWith("BUG: unable to handle kernel paging request in ");
  }

  /**
   * A backslash at a pasted header's break (syzbot's mac80211 double-free, 5.11-rc6, quoted in its
   * fix) joins the two halves.
   */
  @Test
  void backslashContinuationIsJoined() throws Exception {
    String log =
        ""
            + "BUG: KASAN: double-free or invalid-free \\\n"
            + "in ieee80211_ibss_leave+0x83/0xe0 net/mac80211/ibss.c:1876\n"
            + "\n"
            + "CPU: 0 PID: 8472 Comm: syz-executor100 Not tainted 5.11.0-rc6-syzkaller #0\n"
            + "Call Trace:\n"
            + " dump_stack+0x107/0x163 lib/dump_stack.c:120\n"
            + " kasan_report_invalid_free+0x51/0x80 mm/kasan/report.c:355\n"
            + " kfree+0xe5/0x7b0 mm/slub.c:4230\n"
            + " ieee80211_ibss_leave+0x83/0xe0 net/mac80211/ibss.c:1876\n"
            + " rdev_leave_ibss net/wireless/rdev-ops.h:545 [inline]\n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("KASAN: invalid-free in ieee80211_ibss_leave");
  }

  /**
   * A symbolized KASAN header repeated once per inlined function (syzbot's netfilter report,
   * 5.17-rc5) is titled by the last, the line the kernel printed, as the raw report would be.
   */
  @Test
  void symbolizedInlineHeadersGiveTheKernelsHeader() throws Exception {
    String log =
        ""
            + "BUG: KASAN: use-after-free in nf_hook_entries_get_hook_ops"
            + " include/linux/netfilter.h:130 [inline]\n"
            + "BUG: KASAN: use-after-free in hooks_validate net/netfilter/core.c:171 [inline]\n"
            + "BUG: KASAN: use-after-free in __nf_register_net_hook+0x77a/0x820"
            + " net/netfilter/core.c:438\n"
            + "Read of size 2 at addr ffff88801c1a8000 by task syz-executor237/4430\n"
            + "\n"
            + "CPU: 1 PID: 4430 Comm: syz-executor237 Not tainted 5.17.0-rc5-syzkaller #0\n"
            + "Call Trace:\n"
            + " <TASK>\n"
            + " dump_stack_lvl+0xcd/0x134 lib/dump_stack.c:106\n"
            + " kasan_report.cold+0x83/0xdf mm/kasan/report.c:459\n"
            + " __nf_register_net_hook+0x77a/0x820 net/netfilter/core.c:438\n"
            + " nf_register_net_hook+0x114/0x170 net/netfilter/core.c:571\n";
    CrashTitle t = java.util.Objects.requireNonNull(CrashTitles.of(Ingested.read(log)));
    assertThat(t.title()).isEqualTo("KASAN: use-after-free Read in __nf_register_net_hook");
  }
}
