package org.ktriage.ingest.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.bin.FileDumpSource;

/**
 * Truncation and bit-flip suite over the real dumps: every case ends in an {@link
 * UnreadableInputException} with a one-line message naming the file, or a result (PARTIAL for
 * truncations), within a time bound; no other exception, hang or out-of-memory.
 */
class VmcoreRobustnessTest {
  private static final Duration PER_CASE = Duration.ofSeconds(30);

  /** A view of another source cut at {@code size} bytes. */
  static final class Truncated implements DumpSource {
    private final DumpSource inner;
    private final long size;

    Truncated(DumpSource inner, long size) {
      this.inner = inner;
      this.size = size;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public int read(long offset, byte[] dst, int dstOff, int len) throws IOException {
      if (offset >= size) {
        return 0;
      }
      return inner.read(offset, dst, dstOff, (int) Math.min(len, size - offset));
    }

    @Override
    public void close() {}
  }

  /** A view of another source with some bytes XORed. */
  static final class Flipped implements DumpSource {
    private final DumpSource inner;
    private final java.util.NavigableMap<Long, Integer> flips;

    Flipped(DumpSource inner, java.util.NavigableMap<Long, Integer> flips) {
      this.inner = inner;
      this.flips = flips;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public long size() {
      return inner.size();
    }

    @Override
    public int read(long offset, byte[] dst, int dstOff, int len) throws IOException {
      int n = inner.read(offset, dst, dstOff, len);
      for (Map.Entry<Long, Integer> e : flips.subMap(offset, offset + Math.max(n, 0)).entrySet()) {
        int i = dstOff + (int) (e.getKey() - offset);
        dst[i] = (byte) (dst[i] ^ e.getValue());
      }
      return n;
    }

    @Override
    public void close() {}
  }

  private record Outcome(int errors, int partial, int whole) {}

  private static int[] runCase(DumpSource src, boolean mustBePartial) {
    return assertTimeoutPreemptively(
        PER_CASE,
        () -> {
          try (Vmcore v = Vmcore.openSources(List.of(src))) {
            DumpContents c = VmcoreReader.lenient().read(v);
            if (mustBePartial) {
              assertThat(c.completeness().partial())
                  .as("truncated at %d but reported whole", src.size())
                  .isTrue();
            }
            return c.completeness().partial() ? new int[] {0, 1, 0} : new int[] {0, 0, 1};
          } catch (UnreadableInputException e) {
            assertThat(e.getMessage()).doesNotContain("\n").contains(src.name());
            return new int[] {1, 0, 0};
          }
        },
        () -> "case on " + src.name() + " (size " + src.size() + ") did not finish in time");
  }

  private static Outcome truncations(Path file, int firstMibStep, int randomLater, long seed)
      throws IOException {
    int[] sum = new int[3];
    try (FileDumpSource f = FileDumpSource.open(file)) {
      List<Long> cuts = new ArrayList<>();
      for (long at = 0; at < Math.min(1 << 20, f.size()); at += firstMibStep) {
        cuts.add(at);
      }
      Random r = new Random(seed);
      for (int i = 0; i < randomLater; i++) {
        cuts.add((1L << 20) + (long) (r.nextDouble() * (f.size() - (1 << 20) - 1)));
      }
      for (long cut : cuts) {
        int[] o = runCase(new Truncated(f, cut), true);
        for (int i = 0; i < 3; i++) {
          sum[i] += o[i];
        }
      }
    }
    return new Outcome(sum[0], sum[1], sum[2]);
  }

  private static Outcome flips(Path file, int cases, long seed) throws IOException {
    int[] sum = new int[3];
    try (FileDumpSource f = FileDumpSource.open(file)) {
      Random r = new Random(seed);
      for (int c = 0; c < cases; c++) {
        TreeMap<Long, Integer> flips = new TreeMap<>();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
          // mostly headers, bitmaps and descriptors; sometimes anywhere
          long bound = r.nextInt(4) == 0 ? f.size() : Math.min(f.size(), 1 << 20);
          flips.put((long) (r.nextDouble() * bound), 1 + r.nextInt(255));
        }
        int[] o = runCase(new Flipped(f, flips), false);
        for (int i = 0; i < 3; i++) {
          sum[i] += o[i];
        }
      }
    }
    return new Outcome(sum[0], sum[1], sum[2]);
  }

  @Test
  void truncatedKdumpCompressed() throws IOException {
    Outcome o = truncations(Fixtures.kdumpVmcore(), 4096, 50, 1);
    System.out.println("kdump truncations: " + o);
    assertThat(o.errors() + o.partial()).isEqualTo(256 + 50);
  }

  @Test
  void truncatedQemuFlattened() throws IOException {
    Outcome o = truncations(Fixtures.qemuVmcore(), 4096, 50, 2);
    System.out.println("qemu flattened truncations: " + o);
    assertThat(o.errors() + o.partial()).isEqualTo(256 + 50);
  }

  @Test
  void truncatedElf() throws IOException {
    Outcome o = truncations(Fixtures.kdumpElf(), 4096, 50, 3);
    System.out.println("elf truncations: " + o);
    assertThat(o.errors() + o.partial()).isEqualTo(256 + 50);
  }

  @Test
  void bitFlips() throws IOException {
    Outcome a = flips(Fixtures.kdumpVmcore(), 150, 11);
    Outcome b = flips(Fixtures.qemuVmcore(), 100, 12);
    Outcome c = flips(Fixtures.kdumpElf(), 100, 13);
    System.out.println("bit flips kdump " + a + " qemu " + b + " elf " + c);
    assertThat(a.errors() + a.partial() + a.whole()).isEqualTo(150);
  }
}
