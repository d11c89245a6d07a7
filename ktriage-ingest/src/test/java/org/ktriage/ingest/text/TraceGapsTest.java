package org.ktriage.ingest.text;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.SourceSpan;

/**
 * Traces that a paste or a busy console breaks: another subsystem's line between frames, an elision
 * mark, frames cut to their names, a program-counter line wrapped by a mail client. The lines are
 * from real reports of the wild corpus (corpus/wild/tune, sources in their headers).
 */
class TraceGapsTest {

  private static List<Oops> parse(String... raw) {
    List<LogRecord> records = new ArrayList<>();
    for (String line : raw) {
      LogLineParser.Parsed p = LogLineParser.parse(line);
      records.add(
          new LogRecord(
              records.size(),
              p.timestampNanos(),
              -1,
              null,
              p.text(),
              SourceSpan.line("gaps.log", records.size() + 1)));
    }
    return OopsParser.parse(records);
  }

  private static List<String> functions(Oops o) {
    List<String> out = new ArrayList<>();
    o.trace().forEach(s -> s.frames().stream().map(Frame::function).forEach(out::add));
    return out;
  }

  @Test
  void aForeignLineBetweenHeadingAndFramesDoesNotEndTheTrace() {
    // 3.x-x86_64-ext4-handle-dirty-metadata-mark-buffer-dirty-warn.txt: the SCSI layer's
    // message printed by another CPU right after "Call Trace:"
    Oops o =
        parse(
                "[   47.395783] ------------[ cut here ]------------",
                "[   47.403327] WARNING: CPU: 3 PID: 2420 at fs/buffer.c:1117 mark_buffer_dirty+0xcd/0xe0",
                "[   47.405093] Modules linked in:",
                "[   47.407322] CPU: 3 PID: 2420 Comm: fsstress Not tainted 3.10.0-862.14.0.6.x86_64 #136",
                "[   47.413142] Call Trace:",
                "[   47.413473] sd 1:0:0:0: rejecting I/O to offline device",
                "[   47.414805]  [<ffffffffa604697f>] dump_stack+0x19/0x1b",
                "[   47.415866]  [<ffffffffa5895988>] __warn+0xd8/0x100",
                "[   47.418115]  [<ffffffffa5a5aecd>] mark_buffer_dirty+0xcd/0xe0",
                "[   47.419247]  [<ffffffffa5af6a78>] __ext4_handle_dirty_metadata+0x1a8/0x220",
                "[   47.436468] ---[ end trace f8ed64a9adfa868b ]---")
            .get(0);
    assertThat(functions(o))
        .containsExactly(
            "dump_stack", "__warn", "mark_buffer_dirty", "__ext4_handle_dirty_metadata");
  }

  @Test
  void unrelatedLinesAfterTheTraceStillEndTheReport() {
    // two foreign lines are held; a third line that is no frame ends the report, and the held
    // lines are not part of it
    List<Oops> oopses =
        parse(
            "[   47.403327] WARNING: CPU: 3 PID: 2420 at fs/buffer.c:1117 mark_buffer_dirty+0xcd/0xe0",
            "[   47.407322] CPU: 3 PID: 2420 Comm: fsstress Not tainted 3.10.0-862.14.0.6.x86_64 #136",
            "[   47.413142] Call Trace:",
            "[   47.414805]  [<ffffffffa604697f>] dump_stack+0x19/0x1b",
            "[   47.419247]  [<ffffffffa5af6a78>] __ext4_handle_dirty_metadata+0x1a8/0x220",
            "[   47.420000] sd 1:0:0:0: rejecting I/O to offline device",
            "[   47.420001] sd 1:0:0:0: rejecting I/O to offline device",
            "[   47.420002] sd 1:0:0:0: rejecting I/O to offline device",
            "[   47.420003]  [<ffffffffa5abeec1>] __ext4_new_inode+0x921/0x1350");
    Oops o = oopses.get(0);
    assertThat(functions(o)).containsExactly("dump_stack", "__ext4_handle_dirty_metadata");
    assertThat(o.lines()).noneMatch(r -> r.text().contains("rejecting I/O"));
  }

  @Test
  void namesOnlyFramesAndAnElisionMarkMakeATrace() {
    // 6.x-x86_64-raid5-reshape-frozen-suspend-wait-woken-hung-task.txt: a hung task pasted
    // without the "Call Trace:" heading, offsets stripped, frames cut with "[...]"
    Oops o =
        parse(
                "  INFO: task (udev-worker):63822 blocked for more than 122 seconds.",
                "        Not tainted 6.18.0-rc2-g0555b5424915-dirty #153",
                "  \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                "  __schedule",
                "  schedule",
                "  schedule_timeout",
                "  wait_woken",
                "  raid5_make_request",
                "  md_handle_request",
                "  md_submit_bio",
                "  [...]",
                "  blkdev_read_iter",
                "  vfs_read")
            .get(0);
    assertThat(functions(o))
        .containsExactly(
            "__schedule",
            "schedule",
            "schedule_timeout",
            "wait_woken",
            "raid5_make_request",
            "md_handle_request",
            "md_submit_bio",
            "blkdev_read_iter",
            "vfs_read");
  }

  @Test
  void aWordAtTheLeftEdgeIsNoFrame() {
    assertThat(ReportLine.bareNameFrame("schedule", 0, SourceSpan.line("x", 1))).isNull();
    assertThat(ReportLine.bareNameFrame("  disables this message.", 2, SourceSpan.line("x", 1)))
        .isNull();
    assertThat(
            requireNonNull(
                    ReportLine.bareNameFrame("  parse_pkt.isra.32", 2, SourceSpan.line("x", 1)))
                .function())
        .isEqualTo("parse_pkt.isra.32");
  }

  @Test
  void aWrappedRipLineKeepsItsFunction() {
    // 4.x-x86_64-ipv6-icmp6-send-no-dst-kasan-gpf.txt: the mail wrapped "%pS" to the next line
    Oops o =
        parse(
                "general protection fault: 0000 [#1] SMP KASAN",
                "Modules linked in:",
                "CPU: 0 PID: 3859 Comm: a.out Not tainted 4.9.0-rc6+ #429",
                "task: ffff8800666d4200 task.stack: ffff880067348000",
                "RIP: 0010:[<ffffffff833617ec>]  [<ffffffff833617ec>]",
                "icmp6_send+0x5fc/0x1e30 net/ipv6/icmp.c:451",
                "RSP: 0018:ffff88006734f2c0  EFLAGS: 00010206",
                "Call Trace:",
                " [<ffffffff83364ddc>] icmpv6_param_prob+0x2c/0x40 net/ipv6/icmp.c:557",
                " ...")
            .get(0);
    ExceptionFrame ip = requireNonNull(o.ip());
    assertThat(ip.function()).isEqualTo("icmp6_send");
    assertThat(ip.registers().get("RIP")).isEqualTo(0xffffffff833617ecL);
    assertThat(ip.registers().get("RSP")).isEqualTo(0xffff88006734f2c0L);
    assertThat(functions(o)).containsExactly("icmpv6_param_prob");
  }

  @Test
  void arm32FramesWithoutHeadingOpenTheTraceAfterAHeaderWithoutContextLine() {
    // 3.x-arm-rt-sect-fault-irqs-off-force-sig-rt-spinlock-sleep-old-unwind.txt: __might_sleep()
    // prints no "CPU:" line before dump_stack(), and the old unwinder prints "[<pc>] (f+off/size)"
    Oops o =
        parse(
                "[ 512.742724] BUG: sleeping function called from invalid context at kernel/rtmutex.c:658",
                "[ 512.743000] in_atomic(): 0, irqs_disabled(): 128, pid: 994, name: a",
                "[ 512.743360] irq event stamp: 0",
                "[ 512.744013] softirqs last enabled at (0): [<c0426370>] copy_process+0x3b0/0x11c0",
                "[ 512.744631] [<c041872c>] (unwind_backtrace+0x0/0x104)",
                "[ 512.745001] [<c09af0c4>] (dump_stack+0x20/0x24)",
                "[ 512.745355] [<c0462490>] (__might_sleep+0x1dc/0x1e0)",
                "[ 512.745717] [<c09b6770>] (rt_spin_lock+0x34/0x6c)",
                "[ 512.746073] [<c0441bf0>] (do_force_sig_info+0x34/0xf0)",
                "[ 512.748181] Exception stack(0xecaa1fb0 to 0xecaa1ff8)")
            .get(0);
    assertThat(functions(o))
        .containsExactly(
            "unwind_backtrace", "dump_stack", "__might_sleep", "rt_spin_lock", "do_force_sig_info");
    assertThat(o.trace().get(0).frames().get(1).address()).isEqualTo(0xc09af0c4L);
  }

  @Test
  void aModuleWrappedToTheNextLineStaysWithItsFrame() {
    // %pS prints a module symbol "f+0xoff/0xsize [mod]"; a mail wrapped the "[mod]" of the IP line
    // and of frames to the next line. Dave Johansen's report to linux-media, 2011-02-06
    // (https://lore.kernel.org/linux-media/AANLkTinn1XHifYy+PZTaTLP87NAqCind35iO7CBmdU-c@mail.gmail.com/)
    Oops o =
        parse(
                "[ 1244.872037] BUG: unable to handle kernel paging request at 0000010100000028",
                "[ 1244.872057] IP: [<ffffffffa0034563>] videobuf_dma_unmap+0x43/0xb0",
                "[videobuf_dma_sg]",
                "[ 1244.872074] PGD 0",
                "[ 1244.872087] Oops: 0000 [#1] SMP",
                "[ 1244.873106] Call Trace:",
                "[ 1244.873138]  [<ffffffffa0b6a11a>] cx23885_free_buffer+0x5a/0xa0 [cx23885]",
                "[ 1244.873170]  [<ffffffffa0b6bd4e>] dvb_buf_release+0xe/0x10 [cx23885]",
                "[ 1244.873200]  [<ffffffffa011e457>] videobuf_queue_cancel+0xf7/0x120",
                "[videobuf_core]",
                "[ 1244.873244]  [<ffffffffa011e4e7>] __videobuf_read_stop+0x17/0x70",
                "[videobuf_core]",
                "[ 1244.873416]  [<ffffffff8107f266>] kthread+0x96/0xa0",
                "[ 1244.873442]  [<ffffffff8100aee4>] kernel_thread_helper+0x4/0x10")
            .get(0);
    List<String> modules = new ArrayList<>();
    o.trace().forEach(seg -> seg.frames().forEach(f -> modules.add(String.valueOf(f.module()))));
    assertThat(functions(o))
        .containsExactly(
            "cx23885_free_buffer",
            "dvb_buf_release",
            "videobuf_queue_cancel",
            "__videobuf_read_stop",
            "kthread",
            "kernel_thread_helper");
    assertThat(modules)
        .containsExactly("cx23885", "cx23885", "videobuf_core", "videobuf_core", "null", "null");
    ExceptionFrame ip = requireNonNull(o.ip());
    assertThat(ip.function()).isEqualTo("videobuf_dma_unmap");
    assertThat(ip.module()).isEqualTo("videobuf_dma_sg");
  }
}
