package org.ktriage.ingest.input;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.IOException;
import java.io.InputStream;
import org.ktriage.ingest.UnreadableInputException;

/**
 * The content of an LZ4 frame stream (what the {@code lz4} tool writes): per frame the magic
 * 0x184D2204 (LE), a FLG byte (version 01, block independence, block checksum, content size,
 * content checksum, dictionary id), a BD byte (block maximum size 64 KiB to 4 MiB), the optional
 * 8-byte content size and 4-byte dictionary id, a header checksum byte; then blocks of a u32 (LE)
 * size (high bit: stored uncompressed; 0: end of frame), the data and an optional 4-byte checksum;
 * then an optional 4-byte content checksum. Skippable frames (magic 0x184D2A5x) are skipped;
 * concatenated frames are read in turn. Checksums are not verified. Frames with linked blocks
 * ({@code lz4 -BD}) are refused.
 */
final class Lz4FrameInputStream extends BlockInputStream {
  private static final int MAGIC = 0x184D2204;

  private final Lz4Decompressor decompressor = new Lz4Decompressor();
  private byte[] compressed = new byte[0];
  private boolean inFrame;
  private boolean blockChecksum;
  private boolean contentChecksum;
  private int maxBlock;

  Lz4FrameInputStream(InputStream in) {
    super(in);
  }

  /** Decodes the next block; false at the clean end of the stream. */
  @Override
  boolean fill() throws IOException {
    if (!inFrame && !frameHeader()) {
      return false;
    }
    long size = u32();
    if (size == 0) {
      if (contentChecksum) {
        bytes(4);
      }
      inFrame = false;
      pos = limit = 0;
      return true;
    }
    boolean stored = (size & 0x80000000L) != 0;
    int n = (int) (size & 0x7fffffffL);
    if (n > maxBlock) {
      throw corrupt("block of " + n + " bytes exceeds the frame's maximum of " + maxBlock);
    }
    byte[] data = bytes(n);
    if (blockChecksum) {
      in.skipNBytes(4);
    }
    if (block.length < maxBlock) {
      block = new byte[maxBlock];
    }
    if (stored) {
      System.arraycopy(data, 0, block, 0, n);
      limit = n;
    } else {
      try {
        limit = decompressor.decompress(data, 0, n, block, 0, maxBlock);
      } catch (MalformedInputException e) {
        throw corrupt("block does not decompress: " + e.getMessage());
      }
    }
    pos = 0;
    return true;
  }

  /** Reads a frame header (skipping skippable frames); false at the clean end of the stream. */
  private boolean frameHeader() throws IOException {
    while (true) {
      int first = in.read();
      if (first < 0) {
        return false;
      }
      byte[] rest = bytes(3);
      int magic = first | (rest[0] & 0xff) << 8 | (rest[1] & 0xff) << 16 | (rest[2] & 0xff) << 24;
      if ((magic & 0xfffffff0) == 0x184D2A50) {
        in.skipNBytes(u32());
        continue;
      }
      if (magic != MAGIC) {
        throw corrupt(String.format("frame magic 0x%08x where 0x%08x was expected", magic, MAGIC));
      }
      byte[] fd = bytes(2);
      int flg = fd[0] & 0xff;
      if ((flg >>> 6) != 1) {
        throw corrupt("frame version " + (flg >>> 6) + " (1 expected)");
      }
      if ((flg & 0x20) == 0) {
        throw new UnreadableInputException(
            "lz4 frame with linked blocks (lz4 -BD) is not read; recompress without -BD");
      }
      blockChecksum = (flg & 0x10) != 0;
      contentChecksum = (flg & 0x04) != 0;
      int bd = (fd[1] >>> 4) & 7;
      if (bd < 4) {
        throw corrupt("block maximum size code " + bd + " (4 to 7 expected)");
      }
      maxBlock = 1 << (8 + 2 * bd);
      bytes(((flg & 0x08) != 0 ? 8 : 0) + ((flg & 0x01) != 0 ? 4 : 0) + 1);
      inFrame = true;
      return true;
    }
  }

  private long u32() throws IOException {
    byte[] b = bytes(4);
    return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
  }

  private byte[] bytes(int n) throws IOException {
    if (compressed.length < n) {
      compressed = new byte[n];
    }
    byte[] b = n <= 16 ? new byte[n] : compressed;
    int got = in.readNBytes(b, 0, n);
    if (got != n) {
      throw corrupt("stream cut short inside a frame");
    }
    return b;
  }

  private static UnreadableInputException corrupt(String what) {
    return new UnreadableInputException("corrupt lz4 data: " + what);
  }
}
