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
          "kmem_cache_destroy"
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
          "kfence_protect"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isFalse();
    }
  }
}
