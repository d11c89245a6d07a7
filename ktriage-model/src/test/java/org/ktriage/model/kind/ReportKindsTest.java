package org.ktriage.model.kind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktriage.model.FailureClass;

/** The kind tables on lines and frame names the kernel prints. */
class ReportKindsTest {

  @Test
  void everyHeaderPatternIsFullyExpanded() {
    for (ReportKind k : ReportKinds.HEADERS) {
      assertThat(k.pattern().pattern()).as(k.family()).doesNotContain("{{");
    }
  }

  @Test
  void theArm32DivisionByZeroLineIsOneEntryWithItsTitle() {
    ReportKinds.Match m =
        Objects.requireNonNull(ReportKinds.match("Division by zero in kernel.", 0));
    assertThat(m.kind().failureClass()).isEqualTo(FailureClass.DIVIDE_ERROR);
    assertThat(m.kind().role()).isEqualTo(ReportRole.OPENS);
    assertThat(m.kind().title()).isNotNull();
    assertThat(ReportKinds.titleFormats()).contains(m.kind().title());
  }

  /**
   * One kind's header found anywhere in a line, with its named groups: kernel/hung_task.c
   * check_hung_task prints "INFO: task %s:%d blocked for more than %ld seconds.", a comm may hold
   * spaces and colons; a line cut after "more than" is still the header, without its seconds.
   */
  @Test
  void findReadsOneKindsHeaderWithItsGroupsAnywhereInTheLine() {
    ReportKinds.Match m =
        Objects.requireNonNull(
            ReportKinds.find(
                "<3>[  369.632194] INFO: task kworker/u8:2 x:12659 blocked for more than 120"
                    + " seconds.",
                "hung-task"));
    assertThat(m.matcher().group("comm")).isEqualTo("kworker/u8:2 x");
    assertThat(m.matcher().group("pid")).isEqualTo("12659");
    assertThat(m.matcher().group("seconds")).isEqualTo("120");
    ReportKinds.Match dying =
        Objects.requireNonNull(
            ReportKinds.find("INFO: task syz:7 can't die for more than 143 seconds.", "hung-task"));
    assertThat(dying.matcher().group("seconds")).isEqualTo("143");
    ReportKinds.Match cut =
        Objects.requireNonNull(
            ReportKinds.find("INFO: task syz:7 blocked for more than", "hung-task"));
    assertThat(cut.matcher().group("seconds")).isNull();
    // the literal in the wrong place, another kind's header, an unknown family
    assertThat(ReportKinds.find("INFO: task syz blocked for more than 120 seconds.", "hung-task"))
        .isNull();
    assertThat(
            ReportKinds.find("Kernel panic - not syncing: hung_task: blocked tasks", "hung-task"))
        .isNull();
    assertThat(ReportKinds.find("INFO: task syz:7 blocked for more than", "no-such-kind")).isNull();
    // kernel/panic.c panic(): "Kernel panic - not syncing: %s", behind a console dress
    ReportKinds.Match panic =
        Objects.requireNonNull(
            ReportKinds.find(
                "[   12.5] CPU: 0 Kernel panic - not syncing: Fatal exception", "panic"));
    assertThat(panic.matcher().group("msg")).isEqualTo("Fatal exception");
  }

  /** Headers as the kernel's format strings print them, with the class each proves. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // arch/mips/kernel/traps.c die() of die_if_kernel() messages
        "do_cpu invoked from kernel context![#1]:|DIE|bug",
        "Kernel bug detected[#1]:|DIE|bug",
        "Unhandled kernel unaligned access[#2]:|DIE|page-fault",
        // kernel/watchdog_hld.c's message behind another watchdog driver's name
        "BookE Watchdog detected hard LOCKUP on cpu 0|OPENS|hard-lockup",
        // kernel/rcu/tree_stall.h print_cpu_stall_info, the stall's headline lost
        "rcu:     3-....: (24002 ticks this GP) idle=13e/1/0x4000000000000002 softirq=722/722"
            + " fqs=12001|TENTATIVE|rcu-stall",
        "rcu: 	1-...0: (1 GPs behind) idle=5a6/1/0x4000000000000000 softirq=1/2 fqs=0"
            + "|TENTATIVE|rcu-stall",
        // PaX size_overflow (report_size_overflow)
        "PAX: size overflow detected in function dmu_read fs/dmu.c:781 cicus.366_14"
            + "|OPENS|undefined-behavior",
      })
  void headersOfOtherDriversAndArchesOpenTheirReports(String line, String role, String cls) {
    ReportKinds.Match m = Objects.requireNonNull(ReportKinds.match(line, 0), line);
    assertThat(m.kind().role().name()).isEqualTo(role);
    assertThat(m.kind().failureClass().id()).isEqualTo(cls);
  }

  @Test
  void theRcuStallCpuLineIsNotABootMessage() {
    assertThat(ReportKinds.match("rcu: Preemptible hierarchical RCU implementation.", 0)).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Kernel panic - not syncing: Fatal exception in interrupt|panic",
        "PANIC: \"Oops: 0002 [#1] SMP PTI\" (check log for details)|panic",
        "BUG: kernel NULL pointer dereference, address: 0000000000000008|oops",
        "watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [insmod:1234]|oops",
        "Division by zero in kernel.|oops",
        "WARNING: CPU: 0 PID: 1 at kernel/time/timer.c:1118 add_timer+0x20/0x30|warning",
        "------------[ cut here ]------------|warning",
        "WARNING: possible circular locking dependency detected|warning",
        "lab_timer: loading out-of-tree module taints kernel.|module",
        "ata1: SATA link up 6.0 Gbps (SStatus 133 SControl 300)|''",
      })
  void logLinesAreMarkedByTheirKind(String line, String kind) {
    assertThat(LineKinds.of(line).id()).isEqualTo(kind);
  }

  @ParameterizedTest
  @CsvSource({
    "panic,true,true",
    "nmi_panic,true,true",
    "vpanic,true,true",
    "dump_backtrace,false,true",
    "kasan_report,false,true",
    "__asan_load8,false,true",
    "__schedule_bug,false,true",
    "nmi_cpu_backtrace,false,true",
    "delay_tsc,false,true",
    "refcount_warn_saturate,false,true",
    "__might_resched,false,true",
    "__list_add_valid_or_report,false,true",
    "warn_slowpath_fmt,false,true",
    "schedule,false,true",
    "occ_get_powr_avg,false,false",
    "___might_sleep,false,true",
    "__stack_chk_fail,false,true",
    "wait_for_common,false,true",
    "__mutex_lock.constprop.0,false,true",
    "memcpy,false,true",
    "kfree,false,true",
    "kmalloc_oob_right,false,false",
    "refcount_sub_and_test,false,true",
    "run_timer_softirq,false,false",
    // kernel/panic.c panic_smp_self_stop(): a second CPU entering panic() parks there; not
    // panic() itself, never a culprit
    "panic_smp_self_stop,false,true",
    // vzalloc/vmalloc take the caller's size and GFP context; kzalloc is the inline wrapper
    "vzalloc,false,true",
    "vmalloc,false,true",
    "kzalloc,false,true",
    "might_alloc,false,true",
    // leaf copy/clear and parsing helpers blame the caller that handed them the page or string
    "copy_user_huge_page,false,true",
    "clear_page_erms,false,true",
    "parse_option_str,false,true",
    "compat_put_bitmap,false,true",
    // core APIs that assert on their caller's task, locking or RCU protection
    "kthread_stop,false,true",
    "__writeback_inodes_sb_nr,false,true",
    "css_id,false,true",
    // KASAN's hooks report; its shadow management (mm/kasan/init.c) is ordinary code
    "kasan_check_range,false,true",
    "__kasan_slab_free,false,true",
    "kasan_remove_zero_shadow,false,false",
    "kasan_populate_vmalloc,false,false",
    // counter-examples: callers of those helpers are code to blame
    "kthread_create_on_node,false,false",
    "prf_open,false,false",
    "copy_process,false,false",
    "cmdline_parse_kernelcore,false,false",
    "__hwasan_check_x0_67043363,false,true",
    "__phys_addr,false,true",
    "drop_nlink,false,true",
    "lock_timer_base,false,true",
    "schedule_on_each_cpu,false,true",
    "xas_start,false,true",
    "udf_rmdir,false,false",
    "mptcp_pm_del_add_timer,false,false",
    "timer_setup,false,false",
  })
  void reportingFramesAreKnownByRole(String function, boolean panic, boolean reporting) {
    assertThat(ReportingFrames.isPanic(function)).isEqualTo(panic);
    assertThat(ReportingFrames.isReporting(function)).isEqualTo(reporting);
  }

  @Test
  void signaturesSkipLockPrimitivesButNotTheScheduler() {
    assertThat(ReportingFrames.isSignatureSkip("_raw_spin_lock_irqsave")).isTrue();
    // the caller of a lock primitive is blamed, not the primitive
    assertThat(ReportingFrames.isReporting("_raw_spin_lock_irqsave")).isTrue();
    assertThat(ReportingFrames.isSignatureSkip("schedule")).isFalse();
    assertThat(ReportingFrames.isSignatureSkip("nmi_panic.cold")).isTrue();
  }
}
