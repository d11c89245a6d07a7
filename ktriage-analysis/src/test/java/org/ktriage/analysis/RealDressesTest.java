package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.PrimaryFailure;

/**
 * Real public crash reports in the dresses they were posted in (syslog and journal prefixes in
 * other locales, BusyBox logread, console captures, indented and quoted pastes, vendor printk
 * prefixes, debugger and decoded traces, i386/arm32/arm64/s390/ppc64/riscv register lines, traces
 * with no header). Each is read as a report, never refused; the class and the primary function are
 * those the text shows. Sources: {@code src/test/resources/dress/README.md}.
 */
class RealDressesTest {

  /**
   * One real text: its file, where it was published, the class and the primary function it shows
   * ({@code null}: the excerpt does not show the function).
   */
  record Dress(String file, String url, FailureClass failureClass, @Nullable String function) {
    @Override
    public String toString() {
      return file;
    }
  }

  static Stream<Dress> dresses() {
    return Stream.of(
        new Dress(
            "tab-syslog-trace-aqtion32.txt",
            "https://github.com/Aquantia/AQtion/issues/32",
            FailureClass.UNKNOWN,
            null),
        new Dress(
            "arm32-bare-trace-rpi4879.txt",
            "https://github.com/raspberrypi/linux/issues/4879",
            FailureClass.UNKNOWN,
            // the trace's head is vfree()'s own __vunmap(), __vfree(), vfree() (mm/vmalloc.c):
            // an allocator, so the blame is the caller that chose to free
            "__bpf_prog_free"),
        new Dress(
            "arm32-3.x-panic-kvisor44.txt",
            "https://github.com/kmu-embedded/k-hypervisor/issues/44",
            FailureClass.EXPLICIT_PANIC,
            null),
        new Dress(
            "arm32-3.x-warn-nospace-rpi123.txt",
            "https://github.com/raspberrypi/linux/issues/123",
            FailureClass.WARNING,
            "uart_get_baud_rate"),
        new Dress(
            "arm32-div0-openbmc3576.txt",
            "https://github.com/openbmc/openbmc/issues/3576",
            FailureClass.DIVIDE_ERROR,
            null),
        new Dress(
            "i386-3.7-eip-is-at-enhanceio25.txt",
            "https://github.com/stec-inc/EnhanceIO/issues/25",
            FailureClass.BUG,
            "scsi_setup_fs_cmnd"),
        new Dress(
            "lkl-generic-bug-lkl426.txt",
            "https://github.com/lkl/linux/issues/426",
            FailureClass.BUG,
            "irq_work_run_list"),
        new Dress(
            "netconsole-syslog-notag-imq72.txt",
            "https://github.com/imq/linuximq/issues/72",
            FailureClass.UNKNOWN,
            "nf_xfrm_me_harder"),
        new Dress(
            "x86-3.10-hardlockup-eoe-redpill21.txt",
            "https://github.com/RedPill-TTG/redpill-lkm/issues/21",
            FailureClass.HARD_LOCKUP,
            null),
        new Dress(
            "arm32-rpi-feh574.txt",
            "https://github.com/derf/feh/issues/574",
            FailureClass.NULL_DEREF,
            "seq_vprintf"),
        new Dress(
            "arm32-syslog-3.18-rpi1088.txt",
            "https://github.com/raspberrypi/linux/issues/1088",
            FailureClass.UNKNOWN,
            "sock_sendmsg"),
        new Dress(
            "arm32-warn-backtrace-rtl8723bu105.txt",
            "https://github.com/lwfinger/rtl8723bu/issues/105",
            FailureClass.WARNING,
            "__cfg80211_connect_result"),
        new Dress(
            "arm32-warn-notime-openbmc107.txt",
            "https://github.com/openbmc/openbmc/issues/107",
            FailureClass.WARNING,
            // kernel/softirq.c __local_bh_enable_ip() WARNs on its caller's context (hardirq or
            // interrupts disabled): the blame is the caller, dst_alloc() (ReportingFrames)
            "dst_alloc"),
        new Dress(
            "arm64-libretech8.txt",
            "https://github.com/libre-computer-project/libretech-linux/issues/8",
            FailureClass.PAGE_FAULT,
            // pc in mm/page_alloc.c page_frag_alloc_align(), an allocator (ReportingFrames): the
            // excerpt has no trace, the link register names the caller
            "free_reserved_area"),
        new Dress(
            "avm-mips-warning-at-freetz3.txt",
            "https://github.com/Freetz-NG/freetz-ng/issues/3",
            FailureClass.WARNING,
            "kdsld_net_xmit"),
        new Dress(
            "caller-padded-drgn421.txt",
            "https://github.com/osandov/drgn/issues/421",
            FailureClass.PAGE_FAULT,
            null),
        new Dress(
            "drgn-stack-trace-drgn92.txt",
            "https://github.com/osandov/drgn/issues/92",
            FailureClass.UNKNOWN,
            null),
        new Dress(
            "french-locale-quoted-liquorix10.txt",
            "https://github.com/damentz/liquorix-package/issues/10",
            FailureClass.NULL_DEREF,
            "drm_debugfs_init"),
        new Dress(
            "glued-syslogd-primihub387.txt",
            "https://github.com/primihub/primihub/issues/387",
            FailureClass.SOFT_LOCKUP,
            null),
        new Dress(
            "glued-syslogd-ts-irati396.txt",
            "https://github.com/IRATI/stack/issues/396",
            FailureClass.SOFT_LOCKUP,
            null),
        new Dress(
            "i386-2.6.6-eip-so67051646.txt",
            "https://stackoverflow.com/questions/67051646",
            FailureClass.PAGE_FAULT,
            null),
        new Dress(
            "indented-softlockup-sonic17358.txt",
            "https://github.com/sonic-net/sonic-buildimage/issues/17358",
            FailureClass.SOFT_LOCKUP,
            null),
        new Dress(
            "journal-ru-locale-fedora15757.txt",
            "https://ask.fedoraproject.org/t/laptop-freezes-after-kernel-bug/15757",
            FailureClass.LIST_CORRUPTION,
            "__dentry_kill"),
        new Dress(
            "kasan-decoded-mptcp433.txt",
            "https://github.com/multipath-tcp/mptcp_net-next/issues/433",
            FailureClass.USE_AFTER_FREE,
            null),
        new Dress(
            "kasan-old-tempesta646.txt",
            "https://github.com/tempesta-tech/tempesta/issues/646",
            FailureClass.USE_AFTER_FREE,
            null),
        new Dress(
            "lava-arm32-kernelci199.txt",
            "https://github.com/kernelci/kernelci-project/issues/199",
            FailureClass.NULL_DEREF,
            // pc and lr both in mm/slub.c __kmem_cache_alloc_node(), the slab allocator's body
            // (ReportingFrames): the excerpt shows no caller
            null),
        new Dress(
            "old-ip-uksm18.txt",
            "https://github.com/dolohow/uksm/issues/18",
            FailureClass.NULL_DEREF,
            "scan_vma_one_page"),
        new Dress(
            "openwrt-logread-arm64-omr585.txt",
            "https://github.com/Ysurac/openmptcprouter/issues/585",
            FailureClass.UNKNOWN,
            null),
        new Dress(
            "ppc64-skiboot194.txt",
            "https://github.com/open-power/skiboot/issues/194",
            FailureClass.UNKNOWN,
            "dbs_update_util_handler"),
        new Dress(
            "rhel6-rip-old-blk-869d4e7.txt",
            "https://gitea.rockhost.se/Piteball/android_kernel_samsung_msm8976/src/commit/869d4e7f52ada7136161a9ac343ecc000a77f46d",
            FailureClass.UNKNOWN,
            "blk_requeue_request"),
        new Dress(
            "riscv-quoted-opensbi35.txt",
            "https://github.com/riscv-software-src/opensbi/issues/35",
            FailureClass.NULL_DEREF,
            null),
        new Dress(
            "riscv-rcu-stall-tracexec179.txt",
            "https://github.com/kxxt/tracexec/pull/179",
            FailureClass.RCU_STALL,
            null),
        new Dress(
            "s390-cbl334.txt",
            "https://github.com/ClangBuiltLinux/continuous-integration2/issues/334",
            FailureClass.PAGE_FAULT,
            // the PSW is in lib/vsprintf.c number(), a helper formatting its caller's arguments
            // (ReportingFrames HELPER); no stack shows the caller, so the culprit is unknown
            null),
        new Dress(
            "sdb-dmesg-colon-sdb24.txt",
            "https://github.com/delphix/sdb/issues/24",
            FailureClass.UNKNOWN,
            "metaslab_largest_allocatable"),
        // measured as a held-out set before any change was made for them
        new Dress(
            "arm32-unhandled-fault-mwlwifi345.txt",
            "https://github.com/kaloz/mwlwifi/issues/345",
            FailureClass.PAGE_FAULT,
            "pcie_reset"),
        new Dress(
            "journal-cjk-month-arm64-hook7.txt",
            "https://github.com/WeiJiLab/kernel-inline-hook-framework/issues/7",
            FailureClass.PAGE_FAULT,
            null),
        new Dress(
            "arm64-nohead-talos7123.txt",
            "https://github.com/siderolabs/talos/issues/7123",
            FailureClass.UNKNOWN,
            "module_emit_plt_entry"),
        new Dress(
            "syslogd-wall-zfs743.txt",
            "https://github.com/openzfs/zfs/issues/743",
            FailureClass.NULL_DEREF,
            "__blkdev_get"),
        new Dress(
            "ppc64-bug-linuxppc153.txt",
            "https://github.com/linuxppc/linux/issues/153",
            FailureClass.BUG,
            null),
        new Dress(
            "arm64-trace-then-oops-rtw88-298.txt",
            "https://github.com/lwfinger/rtw88/issues/298",
            FailureClass.NULL_DEREF,
            null),
        new Dress(
            "syslog-nohost-bpftrace852.txt",
            "https://github.com/bpftrace/bpftrace/issues/852",
            FailureClass.NULL_DEREF,
            null),
        new Dress(
            "x86-4.x-ip-opencas37.txt",
            "https://github.com/Open-CAS/standalone-linux-io-tracer/issues/37",
            FailureClass.NULL_DEREF,
            "octf_trace_push"),
        new Dress(
            "x86-invalid-opcode-kvmutils6.txt",
            "https://github.com/bytedance/kvm-utils/issues/6",
            FailureClass.INVALID_OPCODE,
            "__send_ipi_mask"),
        new Dress(
            "arm64-nx-ubicloud1113.txt",
            "https://github.com/ubicloud/ubicloud/issues/1113",
            FailureClass.PAGE_FAULT,
            null));
  }

  private static Path resource(String file) throws Exception {
    return Path.of(RealDressesTest.class.getResource("/dress/" + file).toURI());
  }

  @ParameterizedTest
  @MethodSource("dresses")
  void readAsAReportWithTheClassAndFunctionTheTextShows(Dress dress) throws Exception {
    CrashReport report = Reports.ingest(resource(dress.file()));
    assertThat(report.oopses()).as("a report is found in %s", dress.url()).isNotEmpty();
    Diagnosis d = new Analyzer().analyze(report);
    assertThat(d.ruleFailures()).isEmpty();
    assertThat(d.failureClass()).as("class").isEqualTo(dress.failureClass());
    if (dress.function() != null) {
      PrimaryFailure p = d.primary();
      assertThat(p).as("primary").isNotNull();
      assertThat(java.util.Objects.requireNonNull(p).function())
          .as("primary function")
          .isEqualTo(dress.function());
    }
  }

  /** A trace with no header gets a report that says so and is PARTIAL. */
  @ParameterizedTest
  @MethodSource("dresses")
  void aTraceWithoutHeaderIsPartialAndSaysSo(Dress dress) throws Exception {
    CrashReport report = Reports.ingest(resource(dress.file()));
    boolean traceOnly =
        report.completeness().problems().stream().anyMatch(p -> p.contains("no report header"));
    assertThat(traceOnly).isEqualTo(dress.failureClass() == FailureClass.UNKNOWN);
    if (traceOnly) {
      assertThat(report.completeness().partial()).isTrue();
      assertThat(report.oopses()).hasSize(1);
      assertThat(report.oopses().get(0).trace()).isNotEmpty();
    }
  }

  /** A trace with no header gets a title that says so and names a function of the trace. */
  @org.junit.jupiter.api.Test
  void aTraceWithoutHeaderIsTitledAsACallTrace() throws Exception {
    Diagnosis d = new Analyzer().analyze(Reports.ingest(resource("tab-syslog-trace-aqtion32.txt")));
    assertThat(d.title())
        .isEqualTo("call trace in " + java.util.Objects.requireNonNull(d.primary()).function());
  }

  /** The drgn trace is read frame by frame, innermost first. */
  @org.junit.jupiter.api.Test
  void drgnFramesAreRead() throws Exception {
    CrashReport report = Reports.ingest(resource("drgn-stack-trace-drgn92.txt"));
    List<String> functions =
        report.oopses().get(0).trace().stream()
            .flatMap(s -> s.frames().stream())
            .map(org.ktriage.model.Frame::function)
            .toList();
    assertThat(functions)
        .startsWith("__schedule", "schedule", "schedule_hrtimeout_range_clock")
        .endsWith("entry_SYSCALL_64")
        .hasSize(8);
  }
}
