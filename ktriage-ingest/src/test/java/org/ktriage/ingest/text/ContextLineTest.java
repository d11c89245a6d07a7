package org.ktriage.ingest.text;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;

/** The {@code CPU: … PID: … Comm: …} line across kernel eras (formats.md §7.3 forms). */
class ContextLineTest {

  static Oops oneReport(String... lines) {
    List<LogRecord> records = new ArrayList<>();
    for (String l : lines) {
      records.add(LogLineParser.record(l, records.size(), "t.log", records.size() + 1));
    }
    List<Oops> oopses = OopsParser.parse(records);
    assertThat(oopses).hasSize(1);
    return oopses.get(0);
  }

  @Test
  void rhel7MarkerBeforeRelease() {
    Oops o =
        oneReport(
            "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008",
            "IP: [<ffffffffa01c2031>] demo_get+0x11/0x40 [demo]",
            "Oops: 0000 [#1] SMP",
            "CPU: 1 PID: 777 Comm: democtl Tainted: G           OE  ------------   "
                + "3.10.0-1160.el7.x86_64 #1",
            "RIP: 0010:[<ffffffffa01c2031>]  [<ffffffffa01c2031>] demo_get+0x11/0x40 [demo]",
            "Call Trace:",
            " [<ffffffffa01c20a2>] demo_ioctl+0x42/0x60 [demo]",
            " [<ffffffff81256ad0>] do_vfs_ioctl+0x3a0/0x5b0",
            "RIP  [<ffffffffa01c2031>] demo_get+0x11/0x40 [demo]",
            " RSP <ffff88003a5fbd60>",
            "CR2: 0000000000000008");
    assertThat(o.faultAddress()).isEqualTo(8L);
    assertThat(o.cpu()).isEqualTo(1);
    assertThat(o.comm()).isEqualTo("democtl");
    assertThat(o.release()).isEqualTo("3.10.0-1160.el7.x86_64");
    assertThat(o.taint()).isNotNull();
    ExceptionFrame ip = requireNonNull(o.ip());
    assertThat(ip.where()).isEqualTo("demo_get+0x11");
    assertThat(ip.ip()).isEqualTo(0xffffffffa01c2031L);
    assertThat(ip.module()).isEqualTo("demo");
    assertThat(o.trace().get(0).frames()).extracting(f -> f.module()).containsExactly("demo", null);
  }

  @Test
  void uidAndKdumpForms() {
    Oops o =
        oneReport(
            "BUG: kernel NULL pointer dereference, address: 0000000000000018",
            "Oops: Oops: 0000 [#1] PREEMPT SMP NOPTI",
            "CPU: 2 UID: 0 PID: 4242 Comm: demo ctl Kdump: loaded Tainted: G           OE      "
                + "6.12.7-demo #1",
            "RIP: 0010:demo_get+0x12/0x50 [demo]",
            "Call Trace:",
            " <TASK>",
            " demo_ioctl+0x3a/0x90 [demo 0123456789abcdef0123456789abcdef01234567]",
            " </TASK>",
            "Modules linked in: demo(OE) xt_tcpudp",
            " nf_tables(E) [last unloaded: olddemo(OE)]",
            "---[ end trace 0000000000000000 ]---");
    assertThat(o.dieHeader()).isEqualTo("Oops: Oops: 0000 [#1] PREEMPT SMP NOPTI");
    assertThat(o.dieCounter()).isEqualTo(1);
    assertThat(o.cpu()).isEqualTo(2);
    assertThat(o.pid()).isEqualTo(4242);
    assertThat(o.comm()).isEqualTo("demo ctl");
    assertThat(o.release()).isEqualTo("6.12.7-demo");
    assertThat(requireNonNull(o.taint()).compact()).isEqualTo("G OE");
    assertThat(o.trace().get(0).frames().get(0).module()).isEqualTo("demo");
    assertThat(o.modules())
        .extracting(m -> m.name())
        .containsExactly("demo", "xt_tcpudp", "nf_tables");
    assertThat(o.modules().get(0).taintFlags()).isEqualTo("OE");
    assertThat(o.lastUnloaded()).isEqualTo("olddemo");
    assertThat(o.complete()).isTrue();
  }

  @Test
  void oldPidAndProcessForms() {
    Oops o =
        oneReport(
            "BUG: unable to handle kernel paging request at ffff88002bde1e40",
            "Oops: 0002 [#1] SMP",
            "Pid: 4070, comm: syz-executor Not tainted 2.6.32-431.el6.x86_64 #1 QEMU",
            "RIP: 0010:[<ffffffff82d4e304>]  [<ffffffff82d4e304>] __memset+0x24/0x30",
            "Process syz-executor (pid: 4070, threadinfo ffff880066be8000, task ffff880066be2280)",
            "Call Trace:",
            " <IRQ>  [<ffffffff8108>] ? irq_fn+0x1/0x2",
            " <EOI>  [<ffffffff8109>] task_fn+0x3/0x4");
    assertThat(o.pid()).isEqualTo(4070);
    assertThat(o.comm()).isEqualTo("syz-executor");
    assertThat(o.release()).isEqualTo("2.6.32-431.el6.x86_64");
    assertThat(o.trace()).hasSize(2);
    assertThat(o.trace().get(0).frames().get(0).reliable()).isFalse();
    assertThat(o.trace().get(1).frames().get(0).function()).isEqualTo("task_fn");
    assertThat(o.complete()).isFalse();
  }
}
