package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Hostile sizes of text (issue 12.4): one huge line, a file of NUL bytes, a Call Trace of a million
 * frames, decompression bombs given to {@code triage}, and a log of many reports. Each runs in a
 * child JVM with a 256 MiB heap: it must end (exit 0, 1, or a one-line exit 3), within CPU time
 * linear in the input's size, and say what it dropped. The files are made at test time under
 * target/; CI uses scaled-down sizes, {@code -Dktriage.hostile.full=true} (bench/hostile-sizes.sh)
 * the full ones: 2 GiB line, 1 GiB NUL, 10 million frames, 100 000 reports, 4 GiB bombs.
 */
class HostileTextSizeTest {
  private static final boolean FULL = Boolean.getBoolean("ktriage.hostile.full");
  private static final Path DIR = Path.of("target", "hostile-sizes");
  private static final int HEAP_MIB = 256;
  private static final long MIB = 1L << 20;
  private static final long LINE_BYTES = FULL ? 2048 * MIB : 64 * MIB;
  private static final long NUL_BYTES = FULL ? 1024 * MIB : 64 * MIB;
  private static final int FRAMES = FULL ? 10_000_000 : 1_000_000;
  private static final int REPORTS = FULL ? 100_000 : 10_000;

  /** Inflated size of each bomb: past ReadLimits.INFLATED_BYTES (1 GiB) either way. */
  private static final int BOMB_COPIES = FULL ? 64 : 20;

  private static final String OOPS_HEAD =
      "[  100.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
          + "[  100.000001] #PF: supervisor read access in kernel mode\n"
          + "[  100.000002] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
          + "[  100.000003] CPU: 1 PID: 42 Comm: kworker/1:1 Not tainted 6.18.0 #1\n"
          + "[  100.000004] RIP: 0010:list_del+0x10/0x40\n"
          + "[  100.000005] Call Trace:\n"
          + "[  100.000006]  <TASK>\n";

  @BeforeAll
  static void makeTheFiles() throws IOException {
    Files.createDirectories(DIR);
    make(
        "one-line.txt",
        out -> {
          // a report, then the line: the report says what was cut
          out.write(OOPS_HEAD.getBytes(StandardCharsets.US_ASCII));
          out.write("[  100.000008]  </TASK>\n".getBytes(StandardCharsets.US_ASCII));
          byte[] chunk = new byte[1 << 20];
          java.util.Arrays.fill(chunk, (byte) 'A');
          for (long n = 0; n < LINE_BYTES; n += chunk.length) {
            out.write(chunk);
          }
        });
    make(
        "nul.txt",
        out -> {
          byte[] chunk = new byte[1 << 20];
          for (long n = 0; n < NUL_BYTES; n += chunk.length) {
            out.write(chunk);
          }
        });
    make(
        "frames.txt",
        out -> {
          out.write(OOPS_HEAD.getBytes(StandardCharsets.US_ASCII));
          for (int i = 0; i < FRAMES; i++) {
            out.write(
                String.format("[  100.000007]  worker_thread+0x%x/0x400%n", i & 0x3ff)
                    .getBytes(StandardCharsets.US_ASCII));
          }
        });
    make(
        "reports.txt",
        out -> {
          for (int i = 0; i < REPORTS; i++) {
            out.write(OOPS_HEAD.getBytes(StandardCharsets.US_ASCII));
            out.write(
                ("[  100.000008]  process_one_work+0x1e2/0x3b0\n"
                        + "[  100.000009]  worker_thread+0x50/0x3a0\n"
                        + "[  100.000010]  </TASK>\n"
                        + "[  100.000011] ---[ end trace 0000000000000000 ]---\n")
                    .getBytes(StandardCharsets.US_ASCII));
          }
        });
    // bombs: one compressed stream of 64 MiB of NUL bytes, concatenated BOMB_COPIES times (gzip
    // members, xz and zstd streams and frames concatenate by their specifications)
    byte[] zeros = new byte[64 << 20];
    bomb("bomb.log.gz", compress(zeros, o -> new GZIPOutputStream(o, 1 << 16)));
    bomb("bomb.log.xz", compress(zeros, o -> new XZOutputStream(o, new LZMA2Options(0))));
    bomb("bomb.log.zst", compress(zeros, o -> new io.airlift.compress.zstd.ZstdOutputStream(o)));
  }

  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  interface Wrap {
    OutputStream wrap(OutputStream o) throws IOException;
  }

  private static void make(String name, Writer w) throws IOException {
    Path p = DIR.resolve(name + (FULL ? ".full" : ""));
    if (Files.isRegularFile(p)) {
      return;
    }
    Path tmp = DIR.resolve(name + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
      w.write(out);
    }
    Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static byte[] compress(byte[] data, Wrap wrap) throws IOException {
    var buf = new java.io.ByteArrayOutputStream();
    try (OutputStream o = wrap.wrap(buf)) {
      o.write(data);
    }
    return buf.toByteArray();
  }

  private static void bomb(String name, byte[] stream) throws IOException {
    make(
        name,
        out -> {
          for (int i = 0; i < BOMB_COPIES; i++) {
            out.write(stream);
          }
        });
  }

  private static Path file(String name) {
    return DIR.resolve(name + (FULL ? ".full" : ""));
  }

  /** The run ended in time and heap, with a report or one line; its whole output. */
  private static String run(String command, Path input, long sizeBytes) throws Exception {
    // linear: 10 s of start-up and slack, then at least 8 MiB of input per CPU second
    long cpuLimit = 10_000 + sizeBytes / (8 * MIB) * 1000;
    JavaRun r = JavaRun.of(HEAP_MIB, 10 * cpuLimit, null, command, input.toString());
    String what = command + " " + input.getFileName() + " (" + sizeBytes / MIB + " MiB)";
    assertThat(r.timedOut()).as("%s still running after %d ms", what, r.millis()).isFalse();
    assertThat(r.err()).as("%s: internal error or trace", what).doesNotContain("internal error");
    assertThat(r.err()).as(what).doesNotContain("\tat ").doesNotContain("OutOfMemory");
    assertThat(r.cpuMillis()).as("%s CPU ms (limit %d)", what, cpuLimit).isLessThan(cpuLimit);
    if (r.exitCode() == ExitCode.UNREADABLE && command.equals("analyze")) {
      assertThat(r.errLines()).as("%s: exit 3 with one line: %s", what, r.err()).isEqualTo(1);
    } else if (r.exitCode() == ExitCode.UNREADABLE) {
      // triage: every input unreadable; its table says why
      assertThat(r.out()).as("%s: %s", what, r.err()).contains("unreadable");
    } else {
      assertThat(r.exitCode()).as("%s exit: %s", what, r.err()).isIn(0, 1);
    }
    return r.out() + r.err();
  }

  @Test
  void oneHugeLineIsCutAndSaid() throws Exception {
    String out = run("analyze", file("one-line.txt"), LINE_BYTES);
    assertThat(out).contains("list_del").contains("longer than").contains("were cut");
  }

  @Test
  void nulBytesEndInTimeAndHeap() throws Exception {
    String out = run("analyze", file("nul.txt"), NUL_BYTES);
    // a file of NUL bytes has no log in it: no crash, or one line saying it is not text
    assertThat(out).doesNotContain("Call Trace");
  }

  @Test
  void aMillionFrameCallTraceKeepsItsHeadAndSaysSo() throws Exception {
    Path f = file("frames.txt");
    String out = run("analyze", f, Files.size(f));
    assertThat(out).contains("list_del").contains("PARTIAL").contains("has more than 5000 lines");
  }

  @Test
  void aLogOfManyReportsKeepsTheFirstAndSaysHowManyWereNot() throws Exception {
    Path f = file("reports.txt");
    String out = run("analyze", f, Files.size(f));
    assertThat(out).contains("list_del").contains("kept the first 2000 reports");
  }

  @Test
  void decompressionBombsGivenToTriageStopAtTheInflatedCap() throws Exception {
    List<String> outs = new ArrayList<>();
    for (String name : List.of("bomb.log.gz", "bomb.log.xz", "bomb.log.zst")) {
      Path f = file(name);
      // linear in what is inflated (up to the 1 GiB cap), not in the few MiB on disk
      String out = run("triage", f, 1024 * MIB);
      outs.add(out);
      // NUL bytes inflate to binary data, refused from the inflated head without inflating the
      // rest; a text bomb would stop at the inflated cap (MiB)
      assertThat(out).as(name).containsAnyOf("binary data", "MiB");
    }
    assertThat(outs).hasSize(3);
  }
}
