package org.ktriage.ingest.kdump;

import io.airlift.compress.lzo.LzoDecompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * Page compressions of the kdump-compressed format, one line each: the {@code page_desc.flags} bit
 * (shared with the header status) and how to decompress a page.
 */
public enum PageCompression {
  ZLIB(0x01, "zlib"),
  LZO(0x02, "lzo"),
  SNAPPY(0x04, "snappy"),
  ZSTD(0x20, "zstd");

  /** All compression bits. */
  public static final int MASK = 0x01 | 0x02 | 0x04 | 0x20;

  private final int flag;
  private final String id;

  PageCompression(int flag, String id) {
    this.flag = flag;
    this.id = id;
  }

  /** The flag bit. */
  public int flag() {
    return flag;
  }

  /** Lower-case name. */
  public String id() {
    return id;
  }

  /** The compression a page_desc.flags value names, or null for a raw page. */
  public static @Nullable PageCompression ofFlags(int flags) {
    for (PageCompression c : values()) {
      if ((flags & c.flag) != 0) {
        return c;
      }
    }
    return null;
  }

  /**
   * Decompresses {@code in} into {@code out}; returns the decompressed length or -1 when the data
   * is malformed.
   */
  public int decompress(byte[] in, int inLen, byte[] out) {
    try {
      return switch (this) {
        case ZLIB -> inflate(in, inLen, out);
        case LZO -> new LzoDecompressor().decompress(in, 0, inLen, out, 0, out.length);
        case SNAPPY -> new SnappyDecompressor().decompress(in, 0, inLen, out, 0, out.length);
        case ZSTD -> new ZstdDecompressor().decompress(in, 0, inLen, out, 0, out.length);
      };
    } catch (RuntimeException e) {
      // the decompressors report malformed input with unchecked exceptions of several types
      return -1;
    }
  }

  private static int inflate(byte[] in, int inLen, byte[] out) {
    Inflater inf = new Inflater();
    try {
      inf.setInput(in, 0, inLen);
      int n = 0;
      while (n < out.length && !inf.finished()) {
        int k = inf.inflate(out, n, out.length - n);
        if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        n += k;
      }
      return inf.finished() ? n : -1;
    } catch (DataFormatException e) {
      return -1;
    } finally {
      inf.end();
    }
  }
}
