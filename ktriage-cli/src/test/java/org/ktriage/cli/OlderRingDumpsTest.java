package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ktriage.testkit.dump.KdumpWriter;
import org.ktriage.testkit.dump.SyntheticKernel;
import org.ktriage.testkit.dump.SyntheticKernel.LogLine;

/**
 * Dumps of each kernel log ring the kernel has used, built by the testkit, through {@code dmesg},
 * {@code analyze} and {@code dump}: the lockless printk_ringbuffer (v5.10+), {@code struct
 * printk_log} records (v3.5–v5.9) and the plain character ring before 3.5 ({@code log_end}), the
 * older two wrapped around the end of their buffer. The log holds a 2.6.32-style oops (the RHEL 6
 * generation): {@code dmesg} prints it line for line, {@code analyze} gives the same class, title
 * and culprit as the same lines read as a console log, and {@code dump} (no kallsyms, no BTF in
 * these dumps) refuses in one line.
 */
class OlderRingDumpsTest {
  @TempDir Path dir;

  /** The log buffers, newest first. */
  enum Ring {
    LOCKLESS,
    PRINTK_LOG,
    PLAIN_LOG_BUF
  }

  private static final String[] OOPS = {
    "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008",
    "IP: [<ffffffffa0012005>] lab_null_deref_touch+0x5/0x12 [lab_null_deref]",
    "PGD 3c4a1067 PUD 3c5b2067 PMD 0 ",
    "Oops: 0002 [#1] SMP ",
    "last sysfs file: /sys/module/lab_null_deref/initstate",
    "CPU 0 ",
    "Modules linked in: lab_null_deref(U) virtio_blk virtio_pci virtio_ring virtio",
    "",
    "Pid: 97, comm: insmod Not tainted 2.6.32-754.el6.x86_64 #1 QEMU Standard PC",
    "RIP: 0010:[<ffffffffa0012005>]  [<ffffffffa0012005>] lab_null_deref_touch+0x5/0x12"
        + " [lab_null_deref]",
    "RSP: 0018:ffff88003c4b7e98  EFLAGS: 00010246",
    "RAX: 0000000000000000 RBX: ffffffffa0014000 RCX: 0000000000000000",
    "RDX: 0000000000000000 RSI: 0000000000000246 RDI: 0000000000000000",
    "Process insmod (pid: 97, threadinfo ffff88003c4b6000, task ffff88003d1e0ab0)",
    "Stack:",
    " ffff88003c4b7eb8 ffffffffa001702c 0000000000000000 ffffffffa0014000",
    "Call Trace:",
    " [<ffffffffa001702c>] lab_null_deref_init+0x2c/0x40 [lab_null_deref]",
    " [<ffffffff8100204c>] do_one_initcall+0x3c/0x1d0",
    " [<ffffffff810bc291>] sys_init_module+0xe1/0x250",
    " [<ffffffff8100b0d2>] system_call_fastpath+0x16/0x1b",
    "Code: 00 00 00 00 00 55 48 89 e5 <83> 47 08 01 c9 c3 00 00 00 00 00 00 00 00 00 00 00 ",
    "RIP  [<ffffffffa0012005>] lab_null_deref_touch+0x5/0x12 [lab_null_deref]",
    " RSP <ffff88003c4b7e98>",
    "CR2: 0000000000000008",
    "---[ end trace a7919e7f17c0a725 ]---",
    "Kernel panic - not syncing: Fatal exception",
  };

  private static List<LogLine> lines() {
    List<LogLine> out = new ArrayList<>();
    out.add(LogLine.of(1_000_000_000L, 6, "lab_null_deref: loading"));
    long ts = 5_123_456_000L;
    for (String l : OOPS) {
      out.add(LogLine.of(ts, l.startsWith("BUG") || l.startsWith("Kernel panic") ? 0 : 4, l));
      ts += 1000;
    }
    return out;
  }

  private static String expectedDmesg() {
    StringBuilder s = new StringBuilder();
    for (LogLine l : lines()) {
      s.append(
              String.format(
                  Locale.ROOT,
                  "[%5d.%06d] ",
                  l.timestampNanos() / 1_000_000_000L,
                  l.timestampNanos() % 1_000_000_000L / 1000))
          .append(new String(l.text(), StandardCharsets.UTF_8))
          .append('\n');
    }
    return s.toString();
  }

  private Path dump(Ring ring) throws Exception {
    SyntheticKernel k = new SyntheticKernel().lines(lines());
    switch (ring) {
      case LOCKLESS -> k.ring(6, 13).start(0, 0);
      // both older rings wrap: the first records sit near the end of a 4 KiB buffer
      case PRINTK_LOG -> k.structuredLog(true).ring(6, 12).start(0, 4096 - 256);
      case PLAIN_LOG_BUF -> k.plainLog(true).ring(6, 12).start(0, 8192 - 200);
    }
    k.build();
    Path p = dir.resolve(ring.name().toLowerCase(Locale.ROOT) + ".vmcore");
    Files.write(p, new KdumpWriter().vmcoreinfo(k.vmcoreinfo()).toBytes(k.image()));
    return p;
  }

  @ParameterizedTest
  @EnumSource(Ring.class)
  void dmesgAnalyzeAndDumpReadEveryRing(Ring ring) throws Exception {
    Path dump = dump(ring);
    Run dmesg = Run.of("dmesg", dump.toString());
    assertThat(dmesg.exitCode()).as(dmesg.err()).isZero();
    assertThat(dmesg.out()).isEqualTo(expectedDmesg());

    // the same lines as a console log give the same diagnosis
    Path console = dir.resolve("console.log");
    Files.writeString(console, expectedDmesg());
    Run fromDump = Run.of("analyze", "--format", "json", dump.toString());
    Run fromConsole = Run.of("analyze", "--format", "json", console.toString());
    assertThat(fromDump.exitCode()).as(fromDump.err()).isZero();
    assertThat(fromConsole.exitCode()).as(fromConsole.err()).isZero();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    var d = json.readTree(fromDump.out());
    var c = json.readTree(fromConsole.out());
    assertThat(d.path("class").asText()).isEqualTo(c.path("class").asText()).isNotEmpty();
    assertThat(d.path("title").asText()).isEqualTo(c.path("title").asText()).isNotEmpty();
    assertThat(d.path("primary").path("function").asText())
        .isEqualTo(c.path("primary").path("function").asText())
        .isEqualTo("lab_null_deref_touch");
    assertThat(d.path("kernel").path("release").asText()).endsWith("-synthetic");

    // no kallsyms and no BTF in these dumps: the object views refuse in one line
    Run ps = Run.of("dump", dump.toString(), "ps");
    assertThat(ps.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(ps.errLines()).isEqualTo(1);
    assertThat(ps.err()).startsWith("ktriage: ");
  }
}
