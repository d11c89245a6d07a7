package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ktriage.model.FailureClass;

/**
 * Core APIs that WARN or BUG on their caller's misuse (issue 11 item 4) on real reports: the
 * primary is the first caller outside the API's family, while the report's site stays the API.
 */
class CallerMisuseFamiliesTest {

  private static Primary wild(String name) throws Exception {
    return Inputs.primary(Inputs.wildTuneFacts(name));
  }

  private static Primary shared(String relative) throws Exception {
    return Inputs.primary(Inputs.facts(relative));
  }

  @Test
  void gpiolibsCanSleepWarnBlamesTheDriverThatDroveTheLine() throws Exception {
    // drivers/gpio/gpiolib.c gpiod_set_value(): WARN_ON(chip->can_sleep) for mxt_probe()'s
    // reset line behind a serializer (arm32 3.14 unwinder)
    Primary p = wild("3.x-arm-atmel-mxt-probe-gpiod-set-value-cansleep-warn-old-unwind.txt");
    assertThat(p.failureClass()).isEqualTo(FailureClass.WARNING);
    assertThat(p.function()).isEqualTo("mxt_probe");
    assertThat(p.module()).isEqualTo("atmel_mxt_ts");
  }

  @Test
  void xdpRxqDriverBugWarnBlamesTheDriversTeardown() throws Exception {
    // net/core/xdp.c xdp_rxq_info_unreg(): "Driver BUG" for an rxq info never registered
    assertThat(
            wild("5.x-x86_64-sles-azure-mana-destroy-rxq-unregistered-xdp-rxq-warn.txt").function())
        .isEqualTo("mana_destroy_rxq");
  }

  @Test
  void kernelFpuInSoftirqWarnBlamesTheSimdUser() throws Exception {
    // arch/x86/kernel/fpu/core.c kernel_fpu_begin_mask(): WARN_ON_FPU(!irq_fpu_usable())
    assertThat(wild("5.x-x86_64-debian-nft-pipapo-avx2-lookup-fpu-in-softirq-warn.txt").function())
        .isEqualTo("nft_pipapo_avx2_lookup");
  }

  @Test
  void s390DmaUnmapOfAnInvalidEntryBlamesTheDriverThatUnmapped() throws Exception {
    // arch/s390/pci/pci_dma.c dma_update_cpu_trans() <- s390_dma_unmap_pages() <-
    // dma_unmap_page_attrs() <- mlx5e_sq_xmit_mpwqe()
    assertThat(
            wild("5.x-s390x-rhel9-mlx5e-sq-xmit-mpwqe-unmap-on-map-failure-dma-warn.txt")
                .function())
        .isEqualTo("mlx5e_sq_xmit_mpwqe");
  }

  @Test
  void anAeadTemplatesBugOnItsUsersRequestBlamesTheUser() throws Exception {
    // crypto/gcm.c crypto_gcm_init_common(): sg_set_buf() BUG_ON(!virt_addr_valid()) on the
    // request cifs allocated with kvzalloc()
    assertThat(wild("6.x-x86_64-cifs-crypt-message-kvzalloc-creq-sg-set-buf-bug.txt").function())
        .isEqualTo("crypt_message");
  }

  @Test
  void msiTeardownOnAFreedDeviceBlamesTheHotplugDriver() throws Exception {
    // mutex_lock() <- kernel/irq/msi.c msi_lock_descs() <- pci_disable_msi() <-
    // pnv_php_disable_irq()
    assertThat(
            wild("6.x-ppc64le-powernv-pnv-php-disable-irq-freed-msi-data-null-deref.txt")
                .function())
        .isEqualTo("pnv_php_disable_irq");
  }

  @Test
  void aProcRegistrationWarnBlamesTheRegisteringCaller() throws Exception {
    // syzkaller report/181: fs/proc/generic.c proc_register() "already registered" for the
    // clusterip target's per-netns entry
    Primary p = shared("corpus/syzkaller/report/181");
    assertThat(p.failureClass()).isEqualTo(FailureClass.WARNING);
    assertThat(p.function()).isEqualTo("clusterip_tg_check");
  }

  @Test
  void freeingARegisteredNetdevBlamesTheErrorPathThatFreedIt() throws Exception {
    // syzkaller report/578: net/core/dev.c free_netdev() BUG_ON(dev->reg_state !=
    // NETREG_UNREGISTERED) for rtnl_newlink()'s error path
    Primary p = shared("corpus/syzkaller/report/578");
    assertThat(p.failureClass()).isEqualTo(FailureClass.BUG);
    assertThat(p.function()).isEqualTo("__rtnl_newlink");
  }

  @Test
  void unlockingAFolioThatIsNotLockedBlamesTheFilesystem() throws Exception {
    // syzkaller report/741: mm/filemap.c folio_unlock() VM_BUG_ON_FOLIO(!folio_test_locked())
    // for f2fs_sync_node_pages(), the function syzkaller's title names too
    assertThat(shared("corpus/syzkaller/report/741").function()).isEqualTo("f2fs_sync_node_pages");
  }

  @Test
  void helpersSyzkallersTitlesPassOverHandTheBlameToTheFunctionTheTitleNames() throws Exception {
    // report/358: a #GP in the retpoline thunk of run_timer_softirq()'s indirect call
    // (arch/x86/lib/retpoline.S); report/568: arm64's el1_sync_handler() exception entry under
    // a tag-based KASAN report; report/704: mm/filemap.c find_lock_entries() walking the
    // mapping btrfs_evict_inode() truncates (the file's FRAME label); report/377: lib/vsprintf.c
    // hex_string() formatting dlfb_usb_probe()'s buffer through dev_vprintk_emit()
    assertThat(shared("corpus/syzkaller/report/358").function()).isEqualTo("run_timer_softirq");
    assertThat(shared("corpus/syzkaller/report/568").function()).isEqualTo("io_submit_sqes");
    assertThat(shared("corpus/syzkaller/report/704").function()).isEqualTo("btrfs_evict_inode");
    assertThat(shared("corpus/syzkaller/report/377").function()).isEqualTo("dlfb_usb_probe");
  }

  @Test
  void aWarnInsideTheRegistrationItselfIsNotHandedToTheTransport() throws Exception {
    // syzkaller report/406: the refcount WARN under hci_register_dev()'s own device_add() is
    // the Bluetooth core's, not vhci's (hci_register_dev() is not a caller-misuse entry)
    assertThat(shared("corpus/syzkaller/report/406").function()).isEqualTo("hci_register_dev");
  }
}
