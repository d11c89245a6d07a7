package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.LogRecord;

class LogLineParserTest {

  @Test
  void dmesgTimestamp() {
    LogLineParser.Parsed p = LogLineParser.parse("[    2.353519]  <TASK>");
    assertThat(p.timestampNanos()).isEqualTo(2_353_519_000L);
    assertThat(p.text()).isEqualTo(" <TASK>");
    assertThat(p.level()).isEqualTo(-1);
    assertThat(p.callerId()).isNull();
  }

  @Test
  void callerIdAfterAndInsideTimestamp() {
    LogLineParser.Parsed a = LogLineParser.parse("[   31.602137][ T8316] BUG: KASAN: x");
    assertThat(a.callerId()).isEqualTo("T8316");
    assertThat(a.text()).isEqualTo("BUG: KASAN: x");
    LogLineParser.Parsed b = LogLineParser.parse("[   31.602137] [    C1] Call Trace:");
    assertThat(b.callerId()).isEqualTo("C1");
    assertThat(b.text()).isEqualTo("Call Trace:");
    LogLineParser.Parsed c = LogLineParser.parse("[   31.602137 T12] RIP: 0010:foo+0x1/0x2");
    assertThat(c.callerId()).isEqualTo("T12");
    assertThat(c.timestampNanos()).isEqualTo(31_602_137_000L);
    assertThat(c.text()).isEqualTo("RIP: 0010:foo+0x1/0x2");
  }

  @Test
  void levelsAndKmsg() {
    LogLineParser.Parsed a = LogLineParser.parse("<4>[  100.000001] WARNING: CPU: 0 PID: 1 at x");
    assertThat(a.level()).isEqualTo(4);
    assertThat(a.timestampNanos()).isEqualTo(100_000_001_000L);
    assertThat(a.text()).startsWith("WARNING:");
    LogLineParser.Parsed k = LogLineParser.parse("6,339,5140900,-;NET: Registered protocol");
    assertThat(k.level()).isEqualTo(6);
    assertThat(k.timestampNanos()).isEqualTo(5_140_900_000L);
    assertThat(k.text()).isEqualTo("NET: Registered protocol");
    LogLineParser.Parsed kc = LogLineParser.parse("4,12,34,-,caller=T77;hello");
    assertThat(kc.callerId()).isEqualTo("T77");
    assertThat(kc.level()).isEqualTo(4);
  }

  /**
   * util-linux dmesg --time-format=iso: the message right after the time; an rsyslog ISO stamp (a
   * dot before the fraction) still has its host and tag.
   */
  @Test
  void dmesgIsoTime() {
    LogLineParser.Parsed a =
        LogLineParser.parse("2026-12-07T23:43:19,123456+00:00 BUG: unable to handle page fault");
    assertThat(a.text()).isEqualTo("BUG: unable to handle page fault");
    LogLineParser.Parsed b =
        LogLineParser.parse("2026-12-07T23:43:19,123456-05:00  dump_stack+0x58/0x80");
    assertThat(b.text()).isEqualTo(" dump_stack+0x58/0x80");
    LogLineParser.Parsed c =
        LogLineParser.parse("2026-12-07T23:43:19.123456+00:00 host kernel: Call Trace:");
    assertThat(c.text()).isEqualTo("Call Trace:");
    LogLineParser.Parsed d =
        LogLineParser.parse("2026-12-07T23:43:19.123456+00:00 BUG: not dmesg's");
    assertThat(d.text()).startsWith("2026-12-07T23:43:19.123456+00:00 ");
  }

  /** util-linux dmesg --time-format=delta: "[< 0.000123>]" before each message. */
  @Test
  void dmesgDeltaTime() {
    LogLineParser.Parsed a = LogLineParser.parse("[<    0.000123>] BUG: unable to handle");
    assertThat(a.text()).isEqualTo("BUG: unable to handle");
    LogLineParser.Parsed b = LogLineParser.parse("[<   12.500000>]  do_one_initcall+0x41/0x200");
    assertThat(b.text()).isEqualTo(" do_one_initcall+0x41/0x200");
    // a frame's address in brackets is no time
    LogLineParser.Parsed c = LogLineParser.parse("[<ffffffff81554521>] dump_stack+0x40/0x50");
    assertThat(c.text()).startsWith("[<ffffffff81554521>]");
    LogLineParser.Parsed d = LogLineParser.parse("[<80101234>] (show_stack) from [<8010abcd>]");
    assertThat(d.text()).startsWith("[<80101234>]");
  }

  @Test
  void syslogAndJournal() {
    LogLineParser.Parsed a =
        LogLineParser.parse("Nov 17 05:56:07 cpe kernel: [86525.123456] BUG: unable to handle");
    assertThat(a.timestampNanos()).isEqualTo(86_525_123_456_000L);
    assertThat(a.text()).isEqualTo("BUG: unable to handle");
    LogLineParser.Parsed b = LogLineParser.parse("Nov  7 05:56:07 cpe kernel: Call Trace:");
    assertThat(b.text()).isEqualTo("Call Trace:");
    LogLineParser.Parsed c =
        LogLineParser.parse("2019-11-17T05:56:07+0800 cpe kernel: RIP: 0010:x+0x1/0x2");
    assertThat(c.text()).isEqualTo("RIP: 0010:x+0x1/0x2");
    LogLineParser.Parsed d =
        LogLineParser.parse("2019-11-17T05:56:07.123456+08:00 cpe kernel: hello");
    assertThat(d.text()).isEqualTo("hello");
    LogLineParser.Parsed e =
        LogLineParser.parse("Nov 17 05:56:07 cpe systemd[1]: kernel BUG at nothing");
    assertThat(e.text()).startsWith("Nov 17");
    LogLineParser.Parsed f = LogLineParser.parse("[   12.345678] cpe kernel: Oops: 0000 [#1]");
    assertThat(f.text()).isEqualTo("Oops: 0000 [#1]");
    assertThat(f.timestampNanos()).isEqualTo(12_345_678_000L);
  }

  /** Prefixes as real reports carry them (sources in ktriage-analysis dress/README.md). */
  @Test
  void dressesOfRealReports() {
    // syslogd's wall message: the tag glued to the message
    LogLineParser.Parsed a =
        LogLineParser.parse(
            " kernel:NMI watchdog: BUG: soft lockup - CPU#3 stuck for 23s! [java:1]");
    assertThat(a.text()).startsWith("NMI watchdog: BUG: soft lockup");
    LogLineParser.Parsed b =
        LogLineParser.parse(" kernel:[ 1044.858108] BUG: soft lockup - CPU#5 stuck for 23s!");
    assertThat(b.timestampNanos()).isEqualTo(1_044_858_108_000L);
    assertThat(b.text()).startsWith("BUG: soft lockup");
    // localized months, BusyBox facility.level tags, OpenWrt logread with weekday and year
    assertThat(LogLineParser.parse("июл 27 14:08:04 laptop kernel: Call Trace:").text())
        .isEqualTo("Call Trace:");
    assertThat(
            LogLineParser.parse(
                    "8月 14 10:24:12 xxxx kernel: Internal error: Oops: 96000006 [#1] SMP")
                .text())
        .startsWith("Internal error: Oops");
    LogLineParser.Parsed mtk =
        LogLineParser.parse("[42476.987203] (0)[848:ndroid.systemui]runnable tasks:");
    assertThat(mtk.callerId()).isEqualTo("T848");
    assertThat(mtk.text()).isEqualTo("runnable tasks:");
    assertThat(LogLineParser.parse("> sept. 27 21:47:33 terence-arch kernel: PGD 0 P4D 0 ").text())
        .isEqualTo("PGD 0 P4D 0 ");
    // a log quoted with a bar in a kernel mailing-list post (syzbot report replies); a table row
    // keeps its bars
    assertThat(
            LogLineParser.parse(
                    "| Unable to handle kernel paging request at virtual address ffff7fffec73cf0f")
                .text())
        .isEqualTo("Unable to handle kernel paging request at virtual address ffff7fffec73cf0f");
    assertThat(LogLineParser.parse("|   ESR = 0x96000004").text()).isEqualTo("  ESR = 0x96000004");
    assertThat(LogLineParser.parse("|col|col|").text()).isEqualTo("|col|col|");
    LogLineParser.Parsed c =
        LogLineParser.parse(
            "Sun Sep  1 19:30:19 2019 kern.warn kernel: [138620.534103] Call trace:");
    assertThat(c.text()).isEqualTo("Call trace:");
    assertThat(c.level()).isEqualTo(4);
    assertThat(c.timestampNanos()).isEqualTo(138_620_534_103_000L);
    // AVM's printk puts the CPU right after the time
    LogLineParser.Parsed d =
        LogLineParser.parse(
            "Feb 25 20:33:54 fritz kern.debug kernel: [  183.060000][0]CPU: 0 PID: 0 Comm: swapper/0");
    assertThat(d.text()).startsWith("CPU: 0 PID: 0");
    assertThat(d.callerId()).isEqualTo("C0");
    assertThat(d.level()).isEqualTo(7);
    // indented pastes, LAVA console captures, sdb's "]:"
    assertThat(LogLineParser.parse("        [  797.740360] Read of size 8 by task k/2").text())
        .isEqualTo("Read of size 8 by task k/2");
    LogLineParser.Parsed e =
        LogLineParser.parse(
            "  22:55:37.496413  <0>[    5.832580] Internal error: Oops: 5 [#1] SMP ARM");
    assertThat(e.level()).isZero();
    assertThat(e.text()).startsWith("Internal error: Oops: 5");
    assertThat(LogLineParser.parse("[10086.884661]: Call Trace:").text()).isEqualTo("Call Trace:");
    // printk caller id padded inside its own bracket, and without a time
    LogLineParser.Parsed f =
        LogLineParser.parse("[    4.667611] [    T905] Oops: Oops: 0000 [#1] PREEMPT SMP NOPTI");
    assertThat(f.callerId()).isEqualTo("T905");
    assertThat(f.text()).startsWith("Oops: Oops:");
    LogLineParser.Parsed g = LogLineParser.parse("[  T661] BUG: kernel NULL pointer dereference");
    assertThat(g.callerId()).isEqualTo("T661");
    assertThat(g.text()).startsWith("BUG: kernel NULL");
    // what stays text
    assertThat(LogLineParser.parse("   [<c0150612>] sys_read+0x42/0x70").text())
        .isEqualTo("   [<c0150612>] sys_read+0x42/0x70");
    assertThat(LogLineParser.parse("Call Trace:").text()).isEqualTo("Call Trace:");
    assertThat(LogLineParser.parse("Oops 5 Preempt SMP").text()).isEqualTo("Oops 5 Preempt SMP");
    assertThat(LogLineParser.parse("   see the log below").text())
        .isEqualTo("   see the log below");
  }

  @Test
  void dmesgHumanTime() {
    LogLineParser.Parsed p = LogLineParser.parse("[Tue Nov 17 05:56:07 2019] Call Trace:");
    assertThat(p.text()).isEqualTo("Call Trace:");
    assertThat(p.wallClockEpochSeconds()).isNotNull();
    assertThat(p.timestampNanos()).isNull();
  }

  @Test
  void plainTextUntouched() {
    assertThat(LogLineParser.parse(" <IRQ>").text()).isEqualTo(" <IRQ>");
    assertThat(LogLineParser.parse("").text()).isEmpty();
    assertThat(LogLineParser.parse("[<ffffffff8108>] foo+0x1/0x2").text())
        .isEqualTo("[<ffffffff8108>] foo+0x1/0x2");
    assertThat(LogLineParser.parse("[ 1").text()).isEqualTo("[ 1");
    assertThat(LogLineParser.parse("<").text()).isEqualTo("<");
    assertThat(LogLineParser.parse("12,").text()).isEqualTo("12,");
  }

  @Test
  void readerHandlesCrlfAnsiNulInvalidUtf8AndLongLines() throws IOException {
    byte[] head =
        "[    1.000000] a\r\n\u001b[0;32m[    2.000000] b\u001b[0m\r\r\nc\0d\n"
            .getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xff, (byte) 0xc3, 'x', '\n'};
    byte[] longLine = new byte[LineReader.MAX_LINE_BYTES + 100];
    java.util.Arrays.fill(longLine, (byte) 'z');
    longLine[longLine.length - 1] = '\n';
    byte[] tail = "last".getBytes(StandardCharsets.UTF_8);
    ByteArrayInputStream in = new ByteArrayInputStream(concat(head, bad, longLine, tail));
    List<LogRecord> out = new ArrayList<>();
    try (LogReader r = new LogReader(in, "x.log")) {
      r.forEachRemaining(out::add);
      assertThat(r.truncatedLines()).isEqualTo(1);
    }
    assertThat(out).extracting(LogRecord::text).startsWith("a", "b", "cd");
    assertThat(out.get(1).timestampNanos()).isEqualTo(2_000_000_000L);
    assertThat(out.get(3).text()).contains("x").contains("\uFFFD");
    assertThat(out.get(4).text()).hasSize(LineReader.MAX_LINE_BYTES);
    assertThat(out.get(5).text()).isEqualTo("last");
    assertThat(out.get(5).source().line()).isEqualTo(6);
    assertThat(out).extracting(LogRecord::seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, o, p.length);
      o += p.length;
    }
    return all;
  }

  /**
   * Prefix forms seen in real public reports (lines quoted from them): the time cut out of the
   * bracket, blanks before the closing bracket, dmesg --human's relative times and minute stamps, a
   * ramdump parser's bare seconds, a printk level left after a glued time.
   */
  @Test
  void timeBracketsOfRealPastes() {
    // CachyOS kernel-patches 5.14/cfs.patch (commit message quoting a RHEL 8 oops)
    LogLineParser.Parsed empty = LogLineParser.parse("  [] Oops: 0000 [#1] SMP PTI");
    assertThat(empty.text()).isEqualTo("Oops: 0000 [#1] SMP PTI");
    assertThat(empty.timestampNanos()).isNull();
    // ksmbd: lkml report of rdma_accept's lockdep assertion (a collector padding the bracket)
    LogLineParser.Parsed padded =
        LogLineParser.parse("[   63.212080 ] RIP: 0010:rdma_accept+0x17a/0x350");
    assertThat(padded.timestampNanos()).isEqualTo(63_212_080_000L);
    assertThat(padded.text()).isEqualTo("RIP: 0010:rdma_accept+0x17a/0x350");
    // util-linux dmesg -H: a minute stamp, then times relative to the line before
    LogLineParser.Parsed minute =
        LogLineParser.parse("  [Oct 2 02:15] ------------[ cut here ]------------");
    assertThat(minute.text()).isEqualTo("------------[ cut here ]------------");
    LogLineParser.Parsed rel =
        LogLineParser.parse("  [  +0.000005] RIP: 0010:drm_open_helper+0x134/0x150");
    assertThat(rel.text()).isEqualTo("RIP: 0010:drm_open_helper+0x134/0x150");
    assertThat(rel.timestampNanos()).as("a relative time is not a time since boot").isNull();
    // a Qualcomm ramdump's dmesg: "secs.usec:   <level> text"
    LogLineParser.Parsed ramdump =
        LogLineParser.parse("191.786261:   <2> pc : bt_for_each+0x114/0x1a4");
    assertThat(ramdump.timestampNanos()).isEqualTo(191_786_261_000L);
    assertThat(ramdump.level()).isEqualTo(2);
    assertThat(ramdump.text()).isEqualTo("pc : bt_for_each+0x114/0x1a4");
    // a ppc 4.4 console that dropped KERN_SOH but kept KERN_DEFAULT's 'd' after a glued time
    LogLineParser.Parsed leaked =
        LogLineParser.parse(
            "[17179954.674331]dCPU: 0 PID: 1262 Comm: TICK Tainted: P        W  O    4.4.176 #1");
    assertThat(leaked.text()).startsWith("CPU: 0 PID: 1262");
    LogLineParser.Parsed glued =
        LogLineParser.parse("[17179954.674410]NIP [c001b1a8] __div64_32+0x60/0xa0");
    assertThat(glued.text()).startsWith("NIP [c001b1a8]");
  }

  /** Tab-indented syslog lines (a report pasted into a GitHub issue, Aquantia/AQtion#32). */
  @Test
  void tabIndentedSyslog() {
    LogLineParser.Parsed p =
        LogLineParser.parse(
            "\tFeb  1 23:13:13 mypc kernel: [    8.091290]  netlink_rcv_skb+0x55/0x100");
    assertThat(p.timestampNanos()).isEqualTo(8_091_290_000L);
    assertThat(p.text()).isEqualTo(" netlink_rcv_skb+0x55/0x100");
  }

  /** Ordinary text that looks like a stamp is left alone. */
  @Test
  void textThatOnlyLooksLikeAStamp() {
    assertThat(LogLineParser.parse("1.5: not a time").text()).isEqualTo("1.5: not a time");
    assertThat(LogLineParser.parse("[Note] something").text()).isEqualTo("[Note] something");
    assertThat(LogLineParser.parse("[   1.000000]clocksource: x").text())
        .isEqualTo("clocksource: x");
  }
}
