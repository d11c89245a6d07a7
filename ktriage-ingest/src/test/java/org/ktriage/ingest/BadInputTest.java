package org.ktriage.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.ingest.text.TextReader;
import org.ktriage.model.CrashReport;
import org.ktriage.model.InputFormat;
import org.ktriage.model.Oops;
import org.ktriage.testkit.Shared;

class BadInputTest {
  @TempDir Path tmp;

  @Test
  void emptyFile() throws IOException {
    Path p = Files.createFile(tmp.resolve("empty.log"));
    assertThatThrownBy(() -> Ingest.read(List.of(p), Strictness.LENIENT))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessage(p + ": empty file");
  }

  @Test
  void missingFile() {
    Path p = tmp.resolve("nope.log");
    assertThatThrownBy(() -> Ingest.read(List.of(p), Strictness.LENIENT))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessage(p + ": no such file");
  }

  @Test
  void garbageBytes() throws IOException {
    byte[] junk = new byte[100_000];
    new Random(7).nextBytes(junk);
    Path p = Files.write(tmp.resolve("junk.bin"), junk);
    assertThatThrownBy(() -> Ingest.read(List.of(p), Strictness.LENIENT))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessageStartingWith(p + ": binary data");
  }

  @Test
  void unrelatedText() throws IOException {
    Path p = Files.writeString(tmp.resolve("poem.txt"), "roses are red\nviolets are blue\n");
    assertThatThrownBy(() -> Ingest.read(List.of(p), Strictness.LENIENT))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessage(p + ": no kernel log, oops report or crash output found");
  }

  /**
   * One syslog line the kernel facility logged (ABRT's oops_full_hostname.test: a machine check
   * notice with the host's full name) is a kernel log, never refused: read, with no crash in it.
   */
  @Test
  void syslogKernelLineIsKernelText() throws Exception {
    Path p =
        Files.writeString(
            tmp.resolve("messages"),
            "Oct 12 23:25:16 coprbox.den kernel: mce: [Hardware Error]: Machine check events"
                + " logged\n");
    CrashReport r = Ingest.read(List.of(p), Strictness.LENIENT);
    assertThat(r.log()).hasSize(1);
    assertThat(r.log().get(0).text()).startsWith("mce: [Hardware Error]");
    // another facility's lines are not the kernel's
    Path other =
        Files.writeString(
            tmp.resolve("daemon.log"), "Oct 12 23:25:16 coprbox.den ntpd[1330]: synchronized\n");
    assertThatThrownBy(() -> Ingest.read(List.of(other), Strictness.LENIENT))
        .isInstanceOf(UnreadableInputException.class);
  }

  @Test
  void directoryOfUnrelatedFiles() throws IOException {
    Path d = Files.createDirectory(tmp.resolve("var-crash-host"));
    Files.writeString(d.resolve("notes.txt"), "nothing to see\n");
    Files.write(d.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    assertThatThrownBy(() -> Ingest.read(List.of(d), Strictness.LENIENT))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessageStartingWith(d + ": no vmcore-dmesg.txt");
  }

  @Test
  void binaryDumpGoesToTheVmcoreReader() throws IOException {
    Path p = Files.write(tmp.resolve("vmcore"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    assertThatThrownBy(() -> Ingest.read(List.of(p), Strictness.LENIENT))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessage(p + ": ELF header at offset 0 needs 64 bytes but the file has 8");
  }

  @Test
  void kdumpDirectoryReadsTextAndNotesTheDump() throws IOException {
    Path d = Files.createDirectory(tmp.resolve("127.0.0.1-2026-11-24-22:13:37"));
    Files.copy(
        Shared.path("lab/out/timer-after-unload-kdump/console.log"), d.resolve("vmcore-dmesg.txt"));
    Files.write(d.resolve("vmcore"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    Files.write(d.resolve("kexec-dmesg.log.gz.part"), new byte[] {1, 2, 3});
    CrashReport r = Ingest.read(List.of(d), Strictness.LENIENT);
    assertThat(r.sources().get(0).format()).isEqualTo(InputFormat.KDUMP_DIRECTORY);
    assertThat(r.oopses()).isNotEmpty();
    assertThat(r.cpus()).isNotEmpty();
    assertThat(r.completeness().partial()).isTrue();
    assertThat(r.completeness().problems())
        .anyMatch(
            p -> p.endsWith("vmcore: ELF header at offset 0 needs 64 bytes but the file has 8"));
  }

  @Test
  void logCutMidOopsIsPartial() throws IOException {
    List<String> lines = Files.readAllLines(Shared.path("lab/out/timer-after-unload/console.log"));
    int cut = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("run_timer_softirq+")) {
        cut = i + 1;
        break;
      }
    }
    assertThat(cut).isPositive();
    int cutLine = cut;
    Path p = Files.write(tmp.resolve("cut.log"), lines.subList(0, cut));
    CrashReport r = Ingest.read(List.of(p), Strictness.LENIENT);
    Oops o = r.oopses().get(0);
    assertThat(o.complete()).isFalse();
    assertThat(o.trace().get(0).frames())
        .extracting(f -> f.function())
        .containsExactly("run_timer_softirq");
    assertThat(r.completeness().partial()).isTrue();
    assertThat(r.completeness().problems()).anyMatch(s -> s.contains("is cut at line " + cutLine));
    assertThatThrownBy(() -> Ingest.read(List.of(p), Strictness.STRICT))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessageContaining("is cut");
  }

  @Test
  void byteAtATimeGivesTheSameReports() throws IOException {
    Path log = Shared.path("lab/out/soft-lockup/console.log");
    TextReader.TextResult whole;
    try (InputStream in = Files.newInputStream(log)) {
      whole = TextReader.read(in, "x");
    }
    TextReader.TextResult trickle;
    try (InputStream in = new OneByte(Files.newInputStream(log))) {
      trickle = TextReader.read(in, "x");
    }
    assertThat(trickle.oopses()).isEqualTo(whole.oopses());
    assertThat(trickle.log()).isEqualTo(whole.log());
  }

  @Test
  void largeNoiseStreamIsBounded() throws IOException {
    long size = 200L * 1024 * 1024;
    byte[] oops = Files.readAllBytes(Shared.path("lab/out/null-deref/console.log"));
    TextReader.TextResult r = TextReader.read(new NoiseStream(size, oops), "noise");
    assertThat(r.logLines()).isGreaterThan(2_000_000L);
    assertThat(r.log()).hasSize(TextReader.LOG_WINDOW);
    assertThat(r.oopses()).isNotEmpty();
    assertThat(r.completeness().problems()).anyMatch(s -> s.contains("kept the last 20000"));
  }

  /** Hands out one byte per read call. */
  static final class OneByte extends InputStream {
    private final InputStream in;

    OneByte(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return len == 0 ? 0 : in.read(b, off, 1);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Generated kernel-log noise of a given size with a real oops log in the middle. */
  static final class NoiseStream extends InputStream {
    private final long size;
    private final byte[] oops;
    private long pos;
    private byte[] chunk = new byte[0];
    private int chunkPos;
    private long lineNo;
    private boolean oopsSent;

    private static final byte[][] NOISE = new byte[4096][];

    static {
      for (int i = 0; i < NOISE.length; i++) {
        long us = i * 137L;
        NOISE[i] =
            String.format(
                    "[%5d.%06d] eth0: link up, 1000 Mbps full duplex, flow %d rx/tx queue %d%n",
                    us / 1_000_000, us % 1_000_000, i % 7, i % 16)
                .getBytes(StandardCharsets.US_ASCII);
      }
    }

    NoiseStream(long size, byte[] oops) {
      this.size = size;
      this.oops = oops;
    }

    private boolean refill() {
      if (pos >= size) {
        return false;
      }
      if (!oopsSent && pos >= size / 2) {
        chunk = oops;
        oopsSent = true;
      } else {
        lineNo++;
        chunk = NOISE[(int) (lineNo % NOISE.length)];
      }
      chunkPos = 0;
      return true;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = 0;
      while (n < len) {
        if (chunkPos >= chunk.length && !refill()) {
          break;
        }
        int take = Math.min(len - n, chunk.length - chunkPos);
        System.arraycopy(chunk, chunkPos, b, off + n, take);
        chunkPos += take;
        n += take;
        pos += take;
      }
      return n == 0 ? -1 : n;
    }
  }
}
