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
  void coreApisThatWarnOnTheirCallersMisuseAreNotCulpritsButStayInTitles() {
    // one name per family as real reports print them: drivers/gpio/gpiolib.c (can-sleep WARN),
    // net/core/xdp.c ("Driver BUG"), arch/x86/kernel/fpu/core.c (FPU in softirq),
    // arch/s390/pci/pci_dma.c and kernel/dma/debug.c (the driver's mapping), the crypto API
    // and its AEAD templates, drivers/pci/access.c, kernel/irq/msi.c, drivers/of/dynamic.c,
    // net/bluetooth/hci_core.c, drivers/tty/serdev, fs/proc/generic.c, drivers/regulator,
    // drivers/clk, drivers/base/power/qos.c, kernel/fork.c
    for (String f :
        new String[] {
          "gpiod_set_value",
          "gpiod_set_raw_value_cansleep",
          "__gpio_set_value",
          "xdp_rxq_info_unreg",
          "__xdp_rxq_info_reg",
          "kernel_fpu_begin_mask",
          "kernel_neon_begin",
          "dma_update_cpu_trans",
          "s390_dma_unmap_pages",
          "check_for_illegal_area",
          "crypto_aead_encrypt",
          "scatterwalk_map_and_copy",
          "crypto_gcm_init_common",
          "pci_bus_set_ops",
          "pci_read_config_dword",
          "msi_lock_descs",
          "pci_disable_msi",
          "__of_changeset_entry_invert",
          "hci_unregister_dev",
          "serdev_device_write_flush",
          "tty_driver_flush_buffer",
          "proc_register",
          "remove_proc_entry",
          "_regulator_disable",
          "clk_core_disable",
          "dev_pm_qos_remove_request",
          "__put_task_struct",
          "dql_completed",
          "dma_release_channel",
          "dmaengine_terminate_sync",
          "free_netdev",
          "irq_work_queue_on",
          "__kvmalloc_node",
          "kvmalloc_node_noprof",
          "copy_overflow",
          "unlock_page",
          "folio_unlock",
          "clear_inode",
          "__brelse",
          "of_node_put",
          "vb2_buffer_done",
          "blk_mq_start_request",
          "napi_enable",
          "devm_kfree",
          "__x86_indirect_thunk_rax",
          "read_word_at_a_time",
          "hex_string",
          "dev_vprintk_emit",
          "mutex_remove_waiter",
          "do_raw_spin_unlock",
          "init_timer_key",
          "debug_lockdep_rcu_enabled",
          "kcsan_setup_watchpoint",
          "handle_overflow",
          "warn_bogus_irq_restore",
          "free_large_kmalloc",
          "alloc_page_interleave",
          "cleanup_srcu_struct",
          "find_lock_entries",
          "__kobject_del",
          "__reiserfs_panic",
          "el1_sync_handler",
          "perf_trace_lock",
          "print_unlock_imbalance_bug",
          "hlock_class",
          "kmemleak_alloc",
          "create_object",
          "pcpu_mem_zalloc",
          "rcu_preempt_sleep_check",
          "call_rwsem_down_read_failed",
          "ldsem_down_write",
          "synchronize_net"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isTrue();
      assertThat(ReportingFrames.titleSkips().stream().anyMatch(f::matches)).as(f).isFalse();
    }
    // their callers and neighbours stay ordinary code
    for (String f :
        new String[] {
          "mxt_probe",
          "mana_destroy_rxq",
          "nft_pipapo_avx2_lookup",
          "mlx5e_sq_xmit_mpwqe",
          "crypt_message",
          "pnv_php_disable_irq",
          "of_pci_remove_node",
          "hci_uart_unregister_device",
          "qca_serdev_shutdown",
          "gpiochip_add_data_with_key",
          "xdp_do_redirect",
          "pci_scan_bridge_extend",
          "tty_port_close",
          "crypto_alloc_aead",
          "regulator_get_voltage"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isFalse();
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

  @Test
  void coreLibraryHelpersBlameTheCallerThatPassedTheirArguments() {
    // one name per family, as syzkaller's corpus and the wild reports print them: lib/string.c,
    // lib/checksum.c, lib/crc*.c, lib/hexdump.c, lib/scatterlist.c, lib/iov_iter.c, lib/idr.c,
    // lib/bitmap.c, include/linux/cpumask.h, lib/percpu-refcount.c, lib/ref_tracker.c,
    // net/core/skbuff.c, include/net/dst.h, arm64 cache maintenance, kernel/dma, mm/memory.c,
    // arch page-table helpers, drivers/base, fs/sysfs, kernel/irq, kernel/workqueue.c,
    // kernel/kthread.c, kernel/time/hrtimer.c, kernel/notifier.c, drivers/usb/core/message.c,
    // fs/inode.c, kernel/cfi.c, fs/btrfs and xfs assertion reporters, MMIO and MSR accessors
    for (String f :
        new String[] {
          "sized_strscpy",
          "kstrtouint",
          "csum_partial_copy_generic",
          "crc_itu_t",
          "crc32_lsb_pclmul_sse",
          "hex_dump_to_buffer",
          "sg_copy_buffer",
          "iov_iter_advance",
          "copy_page_to_iter",
          "ida_free",
          "radix_tree_node_alloc",
          "__bitmap_weight",
          "cpumask_next",
          "percpu_ref_kill_and_confirm",
          "ref_tracker_free",
          "skb_panic",
          "skb_over_panic",
          "pskb_expand_head",
          "kfree_skb_list",
          "consume_skb",
          "dst_release",
          "dcache_clean_poc",
          "__dma_inv_area",
          "v7_dma_inv_range",
          "arch_sync_dma_for_device",
          "dma_direct_map_page",
          "swiotlb_tbl_map_single",
          "dma_pool_free",
          "vm_insert_page",
          "remap_pfn_range",
          "radix__pud_hugepage_update",
          "set_pte_at",
          "__check_racy_pte_update",
          "iounmap",
          "device_release_driver",
          "driver_register",
          "sysfs_warn_dup",
          "kernfs_remove_by_name_ns",
          "request_threaded_irq",
          "__setup_irq",
          "insert_work",
          "kthread_queue_work",
          "hrtimer_start_range_ns",
          "blocking_notifier_chain_register",
          "call_rcu",
          "usb_control_msg",
          "iput",
          "__cfi_check",
          "handle_cfi_failure",
          "assertfail",
          "assert_slb_presence",
          "readl",
          "ioread32",
          "__raw_readb",
          "native_read_msr"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isTrue();
      // never a title's skip: syzkaller's title rules name these frames in their titles
      assertThat(ReportingFrames.titleSkips().stream().anyMatch(f::matches)).as(f).isFalse();
    }
  }

  @Test
  void reportingAndTracingFramesStillChosenAreNotCulprits() {
    // kernel/panic.c printers, the s390 and x86 unwinders (not a title skip: syzkaller titles a
    // fault in the unwinder by it), the function-graph tracer's trampoline, lock primitives and
    // might-sleep callees
    for (String f :
        new String[] {
          "print_tainted",
          "panic_print_sys_info",
          "unwind_next_frame",
          "__unwind_start",
          "return_to_handler",
          "ftrace_graph_caller",
          "ftrace_return_to_handler",
          "ftrace_stub",
          "arch_spin_lock_wait",
          "osq_lock",
          "mutex_trylock",
          "rtnl_lock",
          "console_lock",
          "__cond_resched",
          "preempt_schedule_irq",
          "retint_kernel",
          "irqentry_exit",
          "program_check_exception"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isTrue();
    }
    assertThat(ReportingFrames.titleSkips().stream().anyMatch("__unwind_start"::matches)).isFalse();
  }

  @Test
  void busyWaitLeavesArePassedOverOnlyByAWatchdogsReport() {
    // the halt a paravirt spinlock waits in, cpu_relax(), delays, clock reads, the
    // interrupt-enable a pending timer interrupt lands on: a watchdog found them running; a
    // stack-protector or fault report inside them still names them
    for (String f :
        new String[] {
          "native_safe_halt",
          "rep_nop",
          "delay_halt_tpause",
          "ktime_get",
          "read_tsc",
          "arch_local_irq_enable",
          "native_irq_enable",
          "touch_nmi_watchdog"
        }) {
      assertThat(ReportingFrames.isBusyWait(f)).as(f).isTrue();
      assertThat(ReportingFrames.isReporting(f)).as(f).isFalse();
      assertThat(ReportingFrames.isSignatureSkip(f)).as(f).isFalse();
    }
  }

  @Test
  void namesThatOnlyLookLikeTheLibraryAreOrdinaryCode() {
    // drivers/md's own bitmap (bitmap_get_stats, bitmap_startwrite before the md_ prefix), the
    // scsi generic driver's sg_*() file operations, lib/test_kasan.c's kmalloc_oob_right(),
    // mm/percpu-vm.c pcpu_alloc_pages(), skb_segment() (GSO does its own work)
    for (String f :
        new String[] {
          "bitmap_get_stats",
          "bitmap_startwrite",
          "sg_ioctl",
          "sg_read",
          "kmalloc_oob_right",
          "pcpu_alloc_pages",
          "skb_segment",
          "__skb_flow_dissect",
          "pmd_advanced_tests"
        }) {
      assertThat(ReportingFrames.isReporting(f)).as(f).isFalse();
    }
  }
}
