package org.ktriage.model.kind;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one table of frames that are never the culprit, on names real reports print. */
class ReportingFramesTest {

  @Test
  void coreApisThatAssertOnTheirCallersArgumentsHandTheBlameToTheCaller() {
    // drivers/usb/core/urb.c usb_submit_urb() "BOGUS urb xfer"; drivers/base/core.c
    // put_device(); kernel/locking/mutex-debug.c mutex_destroy(); kernel/dma/direct.c
    // dma_direct_free(); drivers/infiniband/core/cma.c rdma_accept()
    for (String f :
        new String[] {
          "usb_submit_urb",
          "put_device",
          "mutex_destroy",
          "dma_direct_free",
          "rdma_accept",
          "iommu_dma_unmap_phys",
          "smp_call_function_many_cond",
          "__xa_insert",
          "__wake_up_common",
          "kmem_cache_destroy",
          // drivers/virtio/virtio.c; mm/slab.c "serious usage bugs"
          "virtio_check_driver_offered_feature",
          "__kmem_cache_create",
          "kmem_cache_create_usercopy"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isTrue();
    }
  }

  @Test
  void printersAndDetectorsAreNeverTheCulpritAndNeverTheTitleFrame() {
    for (String f :
        new String[] {
          "spin_dump",
          "report_size_overflow",
          "warn_alloc",
          "print_context_stack",
          "walk_stackframe",
          "rcu_check_gp_kthread_starvation"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isTrue();
      assertThat(ReportingFrames.titleSkips().stream().anyMatch(f::matches)).as(f).isTrue();
    }
  }

  @Test
  void coreEntryPointsThatTrustTheirCallersObjectHandTheBlameToTheCaller() {
    // drivers/net/phy/phy.c (a MAC driver's phydev), block/blk-mq.c (a driver's request_queue),
    // kernel/sched/deadline.c (a CPU number the caller computed), drivers/scsi/hosts.c,
    // drivers/base/core.c, lib/kobject.c, fs/sysfs, lib/klist.c, lib/rbtree.c
    for (String f :
        new String[] {
          "phy_ethtool_gset",
          "phy_ethtool_ksettings_get",
          "blk_mq_stop_hw_queues",
          "blk_mq_quiesce_queue",
          "dl_cpu_busy",
          "scsi_host_put",
          "device_del",
          "device_unregister",
          "kobject_add_internal",
          "kobject_uevent_env",
          "sysfs_remove_group",
          "klist_next",
          "rb_erase",
          "__rb_erase_color",
          "_dev_err",
          "kmemdup",
          // lockdep's irq-state tracking (kernel/locking/lockdep.c,
          // kernel/trace/trace_preemptirq.c)
          "mark_held_locks",
          "trace_hardirqs_on_caller"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isTrue();
      // never a title's skip: syzkaller's title rules decide titles
      assertThat(ReportingFrames.titleSkips().stream().anyMatch(f::matches)).as(f).isFalse();
    }
  }

  @Test
  void compilerClonesAreTheirSourceFunction() {
    assertThat(ReportingFrames.isReporting("usb_submit_urb.part.0")).isTrue();
    assertThat(CloneSuffixes.strip("__kernfs_remove.part.0")).isEqualTo("__kernfs_remove");
    assertThat(CloneSuffixes.strip("foo.constprop.0.cold")).isEqualTo("foo");
  }

  @Test
  void theCallersThemselvesAreOrdinaryCode() {
    // the functions the wild reports' fixes changed: the callers of the APIs above
    for (String f :
        new String[] {
          "smsusb_init_device",
          "ata_scsi_add_hosts",
          "sr_block_release",
          "spin_lock_init_queue",
          "ath12k_qmi_free_target_mem_chunk",
          "smb_direct_accept_client",
          "sk_msg_recvmsg",
          "read_lock_page_table",
          "kfence_protect",
          "virtblk_getgeo",
          "lan78xx_get_settings",
          "blkback_changed",
          "cpuset_can_attach",
          "kmem_cache_dup",
          "ppr_get",
          "br_add_if"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isFalse();
    }
  }
}
