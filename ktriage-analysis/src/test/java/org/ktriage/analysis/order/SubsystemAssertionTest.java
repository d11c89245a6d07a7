package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.signature.CrashTitles;
import org.ktriage.model.FailureClass;

/**
 * A subsystem's own assertion line (drbd's D_ASSERT/expect, ZFS's SPL VERIFY/ASSERT) is a report of
 * its own and, when it comes first, the primary failure: it supplies class, culprit and title; a
 * hang of the asserting task that follows is its consequence. Real reports from the subsystems'
 * issue trackers.
 */
class SubsystemAssertionTest {

  private static String title(CrashFacts f) {
    return Objects.requireNonNull(CrashTitles.of(f.report())).title();
  }

  @Test
  void drbdAssertionStormNamesTheAssertingFunction() throws Exception {
    // https://github.com/LINBIT/drbd/issues/140 (drbd 9.3.2, put_ldev reference underflow)
    CrashFacts f =
        Inputs.factsOfText(
            "drbd pvc-3892ecbd/0 drbd1438: ASSERTION i >= 0 FAILED in put_ldev\n"
                + "drbd pvc-af4c0b35/0 drbd1001: ASSERTION i >= 0 FAILED in put_ldev\n");
    Primary p = Objects.requireNonNull(f.primary());
    assertThat(p.failureClass()).isEqualTo(FailureClass.BUG);
    assertThat(p.function()).isEqualTo("put_ldev");
    assertThat(title(f)).isEqualTo("ASSERTION FAILED in put_ldev");
  }

  @Test
  void splVerifyBeforeTheHungTaskOfTheAssertingThreadIsThePrimary() throws Exception {
    // https://github.com/openzfs/zfs/issues/16685 (zfs 2.3.0, 6.12): spl_panic() parks the
    // asserting thread, which khungtaskd reports three minutes later; the lines between the two
    // reports were left out of the post
    String k = "Apr 15 14:25:38 localhost kernel: ";
    String h = "Apr 15 14:28:28 localhost kernel: ";
    String text =
        String.join(
            "\n",
            k + "VERIFY(avl_find(tree, new_node, &where) == NULL) failed",
            k + "PANIC at avl.c:624:avl_add()",
            k + "Showing stack for process 2039419",
            k
                + "CPU: 8 UID: 1000 PID: 2039419 Comm: cp Tainted: P     U  W  OE      "
                + "6.12.10-arch1-1 #1 ac0cff2c6581af0a10f6e278cbc98026cc1e3dec",
            k + "Hardware name: Dell Inc. XPS 16 9640/0X06JY, BIOS 1.8.0 08/15/2024",
            h + "INFO: task cp:2039419 blocked for more than 122 seconds.",
            h + "      Tainted: P     U  W  OE      6.12.10-arch1-1 #1",
            h + "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this" + " message.",
            h
                + "task:cp              state:D stack:0     pid:2039419 tgid:2039419"
                + " ppid:1      flags:0x00004006",
            h + "Call Trace:",
            h + " <TASK>",
            h + " __schedule+0x3b0/0x12b0",
            h + " schedule+0x27/0xf0",
            h + " spl_panic+0x109/0x10b [spl 190a48ff29fdb81d59ca0ec9329e486aa8def5cc]",
            h + " ? __kmalloc_noprof+0x189/0x3f0",
            h + " avl_add+0x98/0xa0 [zfs 9a6c8247350e8e5a8c08b5f6bfde436e7eb851de]",
            h
                + " zfsctl_snapshot_mount+0x85d/0x9b0 [zfs"
                + " 9a6c8247350e8e5a8c08b5f6bfde436e7eb851de]",
            h
                + " zpl_snapdir_automount+0x10/0x20 [zfs"
                + " 9a6c8247350e8e5a8c08b5f6bfde436e7eb851de]",
            h + " __traverse_mounts+0x8c/0x210",
            h + " step_into+0x342/0x780",
            "");
    CrashFacts f = Inputs.factsOfText(text);
    assertThat(f.reports())
        .extracting(ReportView::failureClass)
        .containsExactly(FailureClass.BUG, FailureClass.HUNG_TASK);
    assertThat(CauseLinks.between(f.reports().get(0), f.reports().get(1)))
        .contains(CauseLink.SAME_TASK);
    Primary p = Objects.requireNonNull(f.primary());
    assertThat(p.failureClass()).isEqualTo(FailureClass.BUG);
    assertThat(p.function()).isEqualTo("avl_add");
    assertThat(title(f)).isEqualTo("VERIFY failed in avl_add");
  }

  @Test
  void splVerify3BlamesTheCallerOfSplPanic() throws Exception {
    // https://github.com/openzfs/zfs/issues/17812 (zfs 2.3.2, 6.12.53)
    String t = "[39307.8947";
    String text =
        String.join(
            "\n",
            t + "54] VERIFY3(zfs_rs_get_end(rs, rt) >= end) failed (498722471936 >= 498724454400)",
            t + "68] PANIC at range_tree.c:503:zfs_range_tree_remove_impl()",
            t + "75] Showing stack for process 11931",
            t
                + "79] CPU: 1 UID: 0 PID: 11931 Comm: z_wr_iss Tainted: P          IO      "
                + " 6.12.53-0-lts #1-Alpine",
            t + "90] Call Trace:",
            t + "93]  <TASK>",
            t + "96]  dump_stack_lvl+0x5d/0x90",
            "[39307.894809]  spl_panic+0xf9/0x110 [spl]",
            "[39307.894842]  ? zfs_btree_find+0x170/0x240 [zfs]",
            "[39307.895110]  zfs_range_tree_remove_impl+0x8dd/0xf40 [zfs]",
            "[39307.895406]  space_map_load_callback+0x26/0xb0 [zfs]",
            "[39307.895687]  space_map_iterate+0x19d/0x420 [zfs]",
            "[39307.896249]  space_map_load_length+0x7d/0x100 [zfs]",
            "[39307.896526]  metaslab_load+0x185/0x9b0 [zfs]",
            "");
    CrashFacts f = Inputs.factsOfText(text);
    Primary p = Objects.requireNonNull(f.primary());
    assertThat(p.failureClass()).isEqualTo(FailureClass.BUG);
    assertThat(p.function()).isEqualTo("zfs_range_tree_remove_impl");
    assertThat(title(f)).isEqualTo("VERIFY failed in zfs_range_tree_remove_impl");
  }

  @Test
  void splVerifyOfTheOldSplBlamesTheCallerOfItsPanicPath() throws Exception {
    // https://github.com/openzfs/spl/issues/97 (SPL 0.6.0, 3.3)
    String text =
        String.join(
            "\n",
            "[ 1758.539412] VERIFY(!RW_LOCK_HELD(&l->l_rwlock)) failed",
            "[ 1758.539429] SPLError: 1942:0:(zap.c:444:zap_leaf_pageout()) SPL PANIC",
            "[ 1758.539443] SPL: Showing stack for process 1942",
            "[ 1758.539445] Pid: 1942, comm: arc_reclaim Tainted: P           O"
                + " 3.3.1-3.fc16.x86_64 #1",
            "[ 1758.539447] Call Trace:",
            "[ 1758.539456]  [<ffffffffa01544d7>] spl_debug_dumpstack+0x27/0x40 [spl]",
            "[ 1758.539461]  [<ffffffffa0155764>] spl_debug_bug+0x84/0xf0 [spl]",
            "[ 1758.539489]  [<ffffffffa0257e8e>] zap_leaf_pageout+0x7e/0x80 [zfs]",
            "[ 1758.539500]  [<ffffffffa01fc279>] dbuf_evict_user+0x49/0x80 [zfs]",
            "[ 1758.539512]  [<ffffffffa01fdec9>] dbuf_clear+0x29/0x150 [zfs]",
            "[ 1758.539523]  [<ffffffffa01fe006>] dbuf_evict+0x16/0x30 [zfs]",
            "[ 1758.539534]  [<ffffffffa01fe066>] dbuf_do_evict+0x46/0x70 [zfs]",
            "[ 1758.539544]  [<ffffffffa01f3c60>] arc_do_user_evicts+0x50/0xd0 [zfs]",
            "[ 1758.539554]  [<ffffffffa01f7d2e>] arc_reclaim_thread+0xae/0x140 [zfs]",
            "[ 1758.539570]  [<ffffffffa015be38>] thread_generic_wrapper+0x78/0x90 [spl]",
            "[ 1758.539579]  [<ffffffff81079af3>] kthread+0x93/0xa0",
            "[ 1758.539583]  [<ffffffff815fd3a4>] kernel_thread_helper+0x4/0x10",
            "");
    Primary p = Objects.requireNonNull(Inputs.factsOfText(text).primary());
    assertThat(p.failureClass()).isEqualTo(FailureClass.BUG);
    assertThat(p.function()).isEqualTo("zap_leaf_pageout");
  }

  @Test
  void splAssertionWithItsLocationNamesTheFunction() throws Exception {
    // https://github.com/openzfs/zfs/issues/2801 (the stack after it was not posted)
    CrashFacts f =
        Inputs.factsOfText(
            "SPLError: 190622:0:(sa.c:1538:sa_find_idx_tab()) ASSERTION((IS_SA_BONUSTYPE(bonustype)"
                + " && SA_HDR_SIZE_MATCH_LAYOUT(hdr, tb)) || !IS_SA_BONUSTYPE(bonustype)) failed\n"
                + "SPLError: 190622:0:(sa.c:1538:sa_find_idx_tab()) SPL PANIC\n");
    Primary p = Objects.requireNonNull(f.primary());
    assertThat(p.failureClass()).isEqualTo(FailureClass.BUG);
    assertThat(p.function()).isEqualTo("sa_find_idx_tab");
    assertThat(title(f)).isEqualTo("ASSERTION failed in sa_find_idx_tab");
  }
}
