package org.ktriage.ingest.kdump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.mm.PageState;

/**
 * A kdump header claims its bitmaps' size ({@code max_mapnr}, {@code bitmap_blocks}); the file
 * holds what it holds. Opening a 64 KiB head of the real lab dump whose header claims 2^33 page
 * frames (a 1 GiB dumped bitmap) reads the bitmap the file holds and no more, where it used to
 * count the set bits of 1 GiB of zeros past the end of the file (1 024 reads of 1 MiB).
 */
class KdumpBitmapBoundTest {
  /** Counts the bytes asked for past the end of the file. */
  private static final class Counting implements DumpSource {
    private final byte[] data;
    long askedPastEnd;

    Counting(byte[] data) {
      this.data = data;
    }

    @Override
    public String name() {
      return "cut.vmcore";
    }

    @Override
    public long size() {
      return data.length;
    }

    @Override
    public int read(long offset, byte[] dst, int dstOff, int len) {
      long end = offset + len;
      if (end > data.length) {
        askedPastEnd += end - Math.max(offset, data.length);
      }
      if (offset < 0 || offset >= data.length || len <= 0) {
        return 0;
      }
      int n = (int) Math.min(len, data.length - offset);
      System.arraycopy(data, (int) offset, dst, dstOff, n);
      return n;
    }

    @Override
    public void close() {}
  }

  @Test
  void bitmapClaimedPastTheEndOfTheFileCostsWhatTheFileHolds() throws IOException {
    Path dump =
        Path.of(Objects.requireNonNull(System.getProperty("ktriage.shared")))
            .resolve("lab/fixtures/timer-after-unload-kdump.vmcore");
    byte[] head;
    try (InputStream in = Files.newInputStream(dump)) {
      head = in.readNBytes(64 << 10);
    }
    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    int blockSize = b.getInt(428);
    assertThat(b.getInt(8)).as("header_version").isGreaterThanOrEqualTo(6);
    long frames = 1L << 33;
    // two bitmaps of frames/8 bytes each, in blocks; max_mapnr_64 in kdump_sub_header (v6+)
    b.putInt(436, (int) (2 * (frames / 8) / blockSize));
    b.putLong(blockSize + 96, frames);
    Counting src = new Counting(head);
    long start = System.nanoTime();
    try (KdumpCompressedReader r = KdumpCompressedReader.open(src)) {
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(src.askedPastEnd).as("bytes asked past the end").isLessThan(2L << 20);
      assertThat(tookMs).as("ms to open").isLessThan(2_000);
      assertThat(r.problems()).anyMatch(p -> p.contains("the dump is truncated"));
      // nothing past the file is dumped, and the file holds no page data
      assertThat(r.nextStoredPfn(1L << 32, frames)).isEqualTo(frames);
      assertThat(r.storedBytes()).isZero();
      assertThat(r.readPage(frames - 1, new byte[blockSize])).isNotEqualTo(PageState.PRESENT);
    }
  }
}
