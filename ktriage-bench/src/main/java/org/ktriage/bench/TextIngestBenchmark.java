package org.ktriage.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.ktriage.ingest.text.TextReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of text ingestion ({@link TextReader}: normalization, report splitting, log window)
 * over a generated kernel log of mostly ordinary lines with an oops every {@code oopsEvery} lines.
 * Megabytes per second = {@link #MEGABYTES} × operations per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TextIngestBenchmark {
  /** Size of the generated log in MiB. */
  public static final int MEGABYTES = 64;

  @Param({"100000"})
  public int oopsEvery;

  private byte[] log = new byte[0];

  private static final String[] NOISE = {
    "eth0: link up, 1000 Mbps, full duplex, lpa 0x45E1",
    "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.",
    "audit: type=1400 audit(1700000000.123:42): apparmor=\"STATUS\" operation=\"profile_load\"",
    "usb 1-1: new high-speed USB device number 2 using ehci-pci",
    "systemd[1]: Started Journal Service.",
    "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready",
    "random: crng init done",
    "[drm] Initialized qxl 0.1.0 20120117 for 0000:00:02.0 on minor 0",
  };

  // one string per kernel log line, as the log holds them
  @SuppressWarnings("StringConcatToTextBlock")
  private static final String OOPS =
      String.join(
          "\n",
          "BUG: kernel NULL pointer dereference, address: 0000000000000008",
          "#PF: supervisor read access in kernel mode",
          "#PF: error_code(0x0000) - not-present page",
          "PGD 0 P4D 0",
          "Oops: 0000 [#1] PREEMPT SMP NOPTI",
          "CPU: 1 PID: 104 Comm: insmod Tainted: G           OE      6.1.0-56-amd64 #1",
          "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2 04/01/2014",
          "RIP: 0010:demo_touch+0x5/0x12 [demo]",
          "Code: 0f 1f 44 00 00 48 8b 47 08 <48> 83 00 01 c3",
          "RSP: 0018:ffffcf0dc03c3b40 EFLAGS: 00000246",
          "RAX: 0000000000000031 RBX: ffffffffc0311000 RCX: c0000000ffffefff",
          "RDX: 0000000000000000 RSI: 00000000ffffefff RDI: 0000000000000000",
          "CR2: 0000000000000008 CR3: 0000000002f04000 CR4: 0000000000750ef0",
          "Call Trace:",
          " <TASK>",
          " demo_init+0x1d/0x1000 [demo]",
          " do_one_initcall+0x59/0x220",
          " ? do_set_pte+0x189/0x1d0",
          " entry_SYSCALL_64_after_hwframe+0x6e/0xd8",
          " </TASK>",
          "Modules linked in: demo(OE) pvpanic qemu_fw_cfg [last unloaded: old(OE)]",
          "---[ end trace 0000000000000000 ]---");

  @Setup(Level.Trial)
  public void generate() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MEGABYTES * 1024 * 1024 + 4096);
    long line = 0;
    StringBuilder sb = new StringBuilder(128);
    while (out.size() < MEGABYTES * 1024 * 1024) {
      line++;
      long us = line * 1371;
      String[] texts =
          line % oopsEvery == 0
              ? OOPS.split("\n", -1)
              : new String[] {NOISE[(int) (line % NOISE.length)]};
      for (String t : texts) {
        sb.setLength(0);
        sb.append('[').append(String.format("%5d.%06d", us / 1_000_000, us % 1_000_000));
        sb.append("] ").append(t).append('\n');
        out.writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
      }
    }
    log = out.toByteArray();
  }

  @Benchmark
  public int ingest() throws IOException {
    TextReader.TextResult r = TextReader.read(new ByteArrayInputStream(log), "bench.log");
    return r.oopses().size() + r.log().size();
  }
}
