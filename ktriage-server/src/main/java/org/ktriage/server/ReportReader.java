package org.ktriage.server;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.model.CrashReport;
import org.tukaani.xz.XZInputStream;

/**
 * The one seam between the service and the ingest layer: turns the bytes of an uploaded report (any
 * text input {@code ktriage analyze} reads, raw or gzip/xz/zstd-compressed) into a {@link
 * CrashReport}. Decompression happens here, bounded by a cap, so a decompression bomb costs at most
 * the cap in temporary disk and never memory; the plain text then goes through {@link Ingest#read}
 * as a file, exactly as {@code analyze} reads it. When ingest grows an input-format registry that
 * reads streams, only this class changes.
 */
final class ReportReader {
  /** Compressions recognised by their magic bytes (RFC 1952, the xz format, RFC 8878). */
  enum Compression {
    NONE,
    GZIP,
    XZ,
    ZSTD;

    static Compression sniff(byte[] b) {
      if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
        return GZIP;
      }
      if (b.length >= 6
          && (b[0] & 0xff) == 0xfd
          && b[1] == '7'
          && b[2] == 'z'
          && b[3] == 'X'
          && b[4] == 'Z'
          && b[5] == 0) {
        return XZ;
      }
      if (b.length >= 4
          && (b[0] & 0xff) == 0x28
          && (b[1] & 0xff) == 0xb5
          && (b[2] & 0xff) == 0x2f
          && (b[3] & 0xff) == 0xfd) {
        return ZSTD;
      }
      return NONE;
    }

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Path tmpDir;
  private final long maxInflatedBytes;

  ReportReader(Path tmpDir, long maxInflatedBytes) {
    this.tmpDir = tmpDir;
    this.maxInflatedBytes = maxInflatedBytes;
  }

  /** What a reader makes of an upload: the report, and the path its sources and evidence name. */
  interface Consumer<T> {
    T accept(CrashReport report, String readPath) throws IOException;
  }

  /**
   * Reads an uploaded report and hands it, with the temporary path its sources and evidence name,
   * to {@code then} before the temporary file goes away.
   *
   * @throws ApiException 413 when it inflates beyond the cap, 422 when it is not a kernel report
   */
  <T> T read(byte[] body, String name, Consumer<T> then) throws IOException {
    Files.createDirectories(tmpDir);
    Path dir = Files.createTempDirectory(tmpDir, "upload-");
    Path file = dir.resolve(name);
    try {
      Compression c = Compression.sniff(body);
      if (c == Compression.NONE) {
        Files.write(file, body);
      } else {
        inflate(c, body, file);
      }
      CrashReport report;
      try {
        report = Ingest.read(List.of(file), Strictness.LENIENT);
      } catch (UnreadableInputException e) {
        String m = String.valueOf(e.getMessage());
        String prefix = file + ": ";
        throw new ApiException(
            422,
            "not a readable kernel report: "
                + ServerMessages.oneLine(m.startsWith(prefix) ? m.substring(prefix.length()) : m));
      }
      return then.accept(report, file.toString());
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private void inflate(Compression c, byte[] body, Path out) throws IOException {
    try (InputStream in = open(c, new ByteArrayInputStream(body));
        OutputStream o = Files.newOutputStream(out)) {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
        total += r;
        if (total > maxInflatedBytes) {
          throw new ApiException(
              413,
              c.id()
                  + " body inflates beyond the limit of "
                  + (maxInflatedBytes >> 20)
                  + " MiB (decompression bomb?)");
        }
        o.write(buf, 0, r);
      }
    } catch (ApiException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ApiException(
          400, "corrupt " + c.id() + " body: " + ServerMessages.oneLine(e.getMessage()));
    }
  }

  private static InputStream open(Compression c, InputStream raw) throws IOException {
    return switch (c) {
      case GZIP -> new GZIPInputStream(raw, 64 * 1024);
      case XZ -> new XZInputStream(raw, 64 * 1024);
      case ZSTD -> new ZstdInputStream(raw);
      case NONE -> raw;
    };
  }
}
