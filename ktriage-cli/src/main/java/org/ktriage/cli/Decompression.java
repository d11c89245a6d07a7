package org.ktriage.cli;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.tukaani.xz.XZInputStream;

/**
 * Recognises gzip, xz and zstd files by their magic bytes (not their names) and inflates them to a
 * temporary file for the readers, refusing to write more than a fixed cap.
 */
final class Decompression {
  /** Inflated logs larger than this are cut and reported as too large. */
  static final long MAX_INFLATED_BYTES = 1L << 30;

  /** The input's compression, or NONE. */
  enum Kind {
    NONE,
    GZIP,
    XZ,
    ZSTD
  }

  /** Thrown when a compressed input is corrupt or inflates beyond the cap. */
  static final class DecompressionException extends IOException {
    private static final long serialVersionUID = 1L;

    DecompressionException(String message) {
      super(message);
    }
  }

  private Decompression() {}

  static Kind sniff(Path file) throws IOException {
    byte[] head = new byte[6];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Kind.GZIP;
    }
    if (n >= 6
        && (head[0] & 0xff) == 0xfd
        && head[1] == '7'
        && head[2] == 'z'
        && head[3] == 'X'
        && head[4] == 'Z'
        && head[5] == 0) {
      return Kind.XZ;
    }
    if (n >= 4
        && (head[0] & 0xff) == 0x28
        && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return Kind.ZSTD;
    }
    return Kind.NONE;
  }

  /**
   * Inflates a compressed file into a new temporary file (the caller deletes it); null when the
   * file is not compressed.
   */
  static @Nullable Path inflate(Path file) throws IOException {
    Kind kind = sniff(file);
    if (kind == Kind.NONE) {
      return null;
    }
    Path tmp = Files.createTempFile("ktriage-", ".log");
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        InputStream in = open(kind, raw);
        OutputStream out = Files.newOutputStream(tmp)) {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
        total += r;
        if (total > MAX_INFLATED_BYTES) {
          throw new DecompressionException(
              kind.name().toLowerCase(java.util.Locale.ROOT)
                  + " input inflates beyond "
                  + (MAX_INFLATED_BYTES >> 20)
                  + " MiB");
        }
        out.write(buf, 0, r);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      if (e instanceof DecompressionException d) {
        throw d;
      }
      throw new DecompressionException(
          "corrupt " + kind.name().toLowerCase(java.util.Locale.ROOT) + " data: " + e.getMessage());
    }
    return tmp;
  }

  private static InputStream open(Kind kind, InputStream raw) throws IOException {
    return switch (kind) {
      case GZIP -> new GZIPInputStream(raw, 64 * 1024);
      case XZ -> new XZInputStream(raw);
      case ZSTD -> new ZstdInputStream(raw);
      case NONE -> raw;
    };
  }
}
