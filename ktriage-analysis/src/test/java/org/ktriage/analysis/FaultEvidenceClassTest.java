package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Finding;

/**
 * The class a report's own evidence proves (corpus/wild/README.md, class conventions): freed memory
 * (slab poison, DEBUG_PAGEALLOC), the NULL page on each architecture's fault-address line, lock
 * debugging's misuse reports, list_debug's BUG(). Each report is written in the printk formats of
 * the kernel function named beside it.
 */
class FaultEvidenceClassTest {

  private static Diagnosis analyze(String text) throws Exception {
    CrashReport r = Reports.ingest("evidence.txt", text);
    return new Analyzer().analyze(r);
  }

  private static List<String> rules(Diagnosis d) {
    return d.findings().stream().map(Finding::rule).toList();
  }

  /** s390 do_no_context → dump_fault_info: the failing address is page-masked slab poison. */
  @Test
  void s390FaultOnSlabPoisonIsUseAfterFree() throws Exception {
    Diagnosis d =
        analyze(
            """
            Unable to handle kernel pointer dereference in virtual kernel address space
            Failing address: 6b6b6b6b6b6b6000 TEID: 6b6b6b6b6b6b6803 ESOP-2 FSI
            Fault in home space mode while using kernel ASCE.
            AS:00000000705c4007 R3:0000000000000024
            Oops: 0038 ilc:3 [#1]SMP
            CPU: 14 UID: 0 PID: 156 Comm: kmcheck Not tainted 6.18.0 #1 PREEMPT
            Krnl PSW : 0404e00180000000 0000020fc86aa1dc (__lock_acquire+0x5c/0x15f0)
            Call Trace:
             __lock_acquire+0x5c/0x15f0
             lock_acquire+0xb0/0x1b0
             down_write+0x5a/0x250
             mlx5_detach_device+0x42/0x110 [mlx5_core]
            """);
    assertThat(d.failureClass().id()).isEqualTo("use-after-free");
    assertThat(rules(d)).contains("use-after-free-poison");
  }

  /**
   * x86 __die_header names DEBUG_PAGEALLOC; dump_pagetable's last entry keeps the frame of the page
   * __kernel_map_pages unmapped (present bit clear): a freed page.
   */
  @Test
  void debugPageallocFaultOnUnmappedFrameIsUseAfterFree() throws Exception {
    String report =
        """
        [  100.000001] BUG: unable to handle page fault for address: ffff8887e6c279a8
        [  100.000002] #PF: supervisor read access in kernel mode
        [  100.000003] #PF: error_code(0x0000) - not-present page
        [  100.000004] PGD 3601067 P4D 3601067 PUD 87c519067 PMD 87c3e2067 PTE 800ffff8193d8060
        [  100.000005] Oops: 0000 [#1] SMP%s PTI
        [  100.000006] CPU: 2 PID: 1933 Comm: nfsd Not tainted 5.6.0-rc6 #1591
        [  100.000007] RIP: 0010:svc_rdma_post_chunk_ctxt+0xab/0x284 [rpcrdma]
        [  100.000008] RSP: 0018:ffffc90000dfbdd8 EFLAGS: 00010286
        [  100.000009] CR2: ffff8887e6c279a8 CR3: 000000081b72e002 CR4: 00000000001606e0
        [  100.000010] Call Trace:
        [  100.000011]  svc_rdma_send_write_chunk+0x59/0xce [rpcrdma]
        [  100.000012]  svc_rdma_sendto+0xf9/0x3ae [rpcrdma]
        """;
    Diagnosis freed = analyze(report.formatted(" DEBUG_PAGEALLOC"));
    assertThat(freed.failureClass().id()).isEqualTo("use-after-free");
    assertThat(rules(freed)).contains("bad-paging-request");
    // without the option the unmapped page proves nothing
    assertThat(analyze(report.formatted("")).failureClass().id()).isEqualTo("page-fault");
  }

  /** list_del() poisons entries that stay allocated: LIST_POISON is not freed memory. */
  @Test
  void listPoisonFaultStaysAPageFault() throws Exception {
    Diagnosis d =
        analyze(
            """
             Unable to handle kernel paging request at virtual address dead00000000012a
             pc : run_timer_softirq+0x334/0x3d8
             lr : run_timer_softirq+0x244/0x3d8
             Call trace:
              run_timer_softirq+0x334/0x3d8
              irq_exit+0xd0/0xd8
             Kernel panic - not syncing: Fatal exception in interrupt
            """);
    assertThat(d.failureClass().id()).isEqualTo("page-fault");
  }

  /** A 2.6 #GP prints no address (x86_64 die); the faulting frame's register holds slab poison. */
  @Test
  void oldGeneralProtectionFaultWithPoisonRegisterIsUseAfterFree() throws Exception {
    Diagnosis d =
        analyze(
            """
            [53092.441412] general protection fault: 0000 [1] PREEMPT SMP
            [53092.495003] Pid: 570, comm: udevd Not tainted 2.6.19 #6
            [53092.500753] RIP: 0010:[<ffffffff801fafc5>]  [<ffffffff801fafc5>] proc_readdir+0x110/0x186
            [53092.508968] RSP: 0018:ffff8100be829e78  EFLAGS: 00010246
            [53092.514289] RAX: 0000000000000000 RBX: 6b6b6b6b6b6b6b6b RCX: 000000002218b2b5
            [53092.601971] Call Trace:
            [53092.604644]  [<ffffffff8014e93e>] proc_root_readdir+0x32/0x68
            [53092.610397]  [<ffffffff80135abb>] vfs_readdir+0x65/0x9a
            """);
    assertThat(d.failureClass().id()).isEqualTo("use-after-free");
    assertThat(rules(d)).contains("general-protection-fault");
  }

  /**
   * arm32 do_DataAbort: "Unhandled fault: … at 0x…" and show_pte's "[addr] *pgd=": the NULL page.
   */
  @Test
  void arm32UnhandledFaultAtTheNullPageIsANullDereference() throws Exception {
    Diagnosis d =
        analyze(
            """
            Unhandled fault: page domain fault (0x01b) at 0x00000000
            pgd = c0004000
            [00000000] *pgd=00000000
            Internal error: : 1b [#1] PREEMPT ARM
            CPU: 0 PID: 300 Comm: kworker/0:1 Not tainted 4.5.0 #10
            PC is at max1111_read_channel+0x20/0x30
            LR is at sharpsl_pm_pxa_read_max1111+0x2c/0x3c
            """);
    assertThat(d.failureClass().id()).isEqualTo("null-deref");
    assertThat(rules(d)).contains("null-pointer-dereference");
  }

  /**
   * riscv __show_regs: badaddr (stval) is the fault address for a load page fault (cause 13), but
   * not for an illegal instruction (cause 2), where it holds the instruction bits.
   */
  @Test
  void riscvBadaddrOfAPageFaultNamesTheNullPage() throws Exception {
    String report =
        """
        [  212.840000] Oops [#1]
        [  212.845953] epc : riscv_pmu_ctr_get_width_mask+0x8/0x60
        [  212.845954]  ra : pmu_sbi_ovf_handler+0x2a0/0x8b0
        [  212.927300] status: 0000000200000100 badaddr: 0000000000000098 cause: %s
        [  212.935575] [<ffffffff80afc288>] riscv_pmu_ctr_get_width_mask+0x8/0x60
        [  212.942391] [<ffffffff80079922>] handle_percpu_devid_irq+0x98/0x1e8
        """;
    assertThat(analyze(report.formatted("000000000000000d")).failureClass().id())
        .isEqualTo("null-deref");
    assertThat(analyze(report.formatted("0000000000000002")).failureClass().id())
        .isNotEqualTo("null-deref");
  }

  /** lib/list_debug.c BUG()s under CONFIG_BUG_ON_DATA_CORRUPTION: the pc is in the checker. */
  @Test
  void bugInAListCheckerIsListCorruption() throws Exception {
    Diagnosis d =
        analyze(
            """
            [ 1626.839430] Internal error: Oops - BUG: 00000000f2000800 [#1]  SMP
            [ 1626.855594] CPU: 2 UID: 0 PID: 199 Comm: kworker/u24:33 Not tainted 6.17.0-rc7+ #22
            [ 1626.860010] pc : __list_del_entry_valid_or_report+0x148/0x200
            [ 1626.860601] lr : __list_del_entry_valid_or_report+0x148/0x200
            [ 1626.868167] Call trace:
            [ 1626.868382]  __list_del_entry_valid_or_report+0x148/0x200 (P)
            [ 1626.868876]  _free_cpntf_state_locked+0xd0/0x268 [nfsd]
            [ 1626.869368]  nfs4_laundromat+0x6f8/0x1058 [nfsd]
            """);
    assertThat(d.failureClass().id()).isEqualTo("list-corruption");
    assertThat(rules(d)).contains("list-corruption");
  }

  /**
   * kernel/locking/spinlock_debug.c spin_bug(): an uninitialised lock ("bad magic") is a bug, a
   * lock taken again by its owner ("recursion") a deadlock.
   */
  @Test
  void spinlockDebugReportsSplitIntoBugAndDeadlock() throws Exception {
    String report =
        """
        BUG: spinlock %s on CPU#0, zpool/4054
         lock: 0xffff88021a73de60, .magic: 00000000, .owner: <none>/-1, .owner_cpu: 0
        Pid: 4054, comm: zpool Not tainted 3.9.3 #11
        Call Trace:
         [<ffffffff81478ef8>] spin_dump+0x8c/0x91
         [<ffffffff812da097>] do_raw_spin_lock+0x127/0x130
         [<ffffffff812c2c1e>] cfq_init_queue+0x1fe/0x350
        """;
    assertThat(analyze(report.formatted("bad magic")).failureClass().id()).isEqualTo("bug");
    assertThat(analyze(report.formatted("recursion")).failureClass().id()).isEqualTo("deadlock");
  }

  /**
   * The module list shows no per-module flags (elided): the taint's O with a module frame on the
   * failing path fires out-of-tree-module without naming the module.
   */
  @Test
  void taintAloneFiresOutOfTreeModuleWhenTheModuleListIsElided() throws Exception {
    String report =
        """
        BUG: unable to handle kernel NULL pointer dereference at 0000000000000020
        IP: [<ffffffffa0a8f1c5>] mod_rq_state+0x35/0x3f0 [drbd]
        Oops: 0000 [#1] SMP
        Modules linked in: [...]
        CPU: 7 PID: 34440 Comm: drbd_r_r9 Tainted: %s 3.10.0-229.el7.x86_64 #1
        RIP: 0010:[<ffffffffa0a8f1c5>]  [<ffffffffa0a8f1c5>] mod_rq_state+0x35/0x3f0 [drbd]
        Call Trace:
         [<ffffffffa0a90d6c>] tl_clear+0x5c/0x70 [drbd]
         [<ffffffff810a5aef>] kthread+0xcf/0xe0
        """;
    Diagnosis tainted = analyze(report.formatted("P           O"));
    assertThat(rules(tainted)).contains("out-of-tree-module");
    assertThat(
            tainted.findings().stream()
                .filter(f -> f.rule().equals("out-of-tree-module"))
                .findFirst()
                .orElseThrow()
                .summary())
        .contains("the module list does not say which of drbd");
    assertThat(rules(analyze(report.formatted("G            "))))
        .doesNotContain("out-of-tree-module");
  }

  /**
   * kernel/panic.c __warn() never prints a fault message or a die header: an oops header right
   * after a WARN header whose body the paste elided opens a second report.
   */
  @Test
  void warningHeaderThenFaultHeaderAreTwoReports() throws Exception {
    Diagnosis d =
        analyze(
            """
            [  132.034989] WARNING: CPU: 13 PID: 13719 at mm/memremap.c:133 devm_memremap_pages_release+0x2d8/0x2e0
            [  133.464754] BUG: Unable to handle kernel data access at 0xc00c00010b204000
            [  133.464760] Faulting instruction address: 0xc00000000007580c
            [  133.464766] Oops: Kernel access of bad area, sig: 11 [#1]
            [  133.464901] NIP [c00000000007580c] vmemmap_free+0x2ac/0x3d0
            [  133.464906] LR [c0000000000757f8] vmemmap_free+0x298/0x3d0
            [  133.464910] Call Trace:
            [  133.464921] [c000007cbfd0f8d0] [c000000000370a44] section_deactivate+0x1a4/0x240
            [  133.464928] [c000007cbfd0f980] [c000000000386270] __remove_pages+0x3a0/0x590
            """);
    assertThat(d.report().oopses()).hasSize(2);
    assertThat(d.failureClass().id()).isEqualTo("warning");
    assertThat(rules(d)).contains("warning", "bad-paging-request");
  }
}
