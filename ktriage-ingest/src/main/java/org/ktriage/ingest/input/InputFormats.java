package org.ktriage.ingest.input;

import io.airlift.compress.bzip2.BZip2HadoopStreams;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.InputFormat;
import org.tukaani.xz.XZInputStream;

/**
 * Every input format ktriage reads, one line each, sorted by id: its magic (recognised by the first
 * bytes, never by the file name) and its reader. A new format is one line here plus its reader. A
 * compressed container is unwrapped and what it holds is recognised again; a dump is read by random
 * access (a dump that arrives as a stream is spooled to a temporary file first); text is streamed
 * to {@link org.ktriage.ingest.text.TextReader}, which tells the dresses of a kernel log (console,
 * dmesg, vmcore-dmesg, journalctl -k, syslog) and a pasted {@code crash} session apart line by
 * line. The parts of a split kdump are each a {@link #KDUMP}.
 */
@SuppressWarnings("ImmutableEnumChecker") // sniff and reader are stateless lambdas
public enum InputFormats {
  BZIP2(
      "bzip2",
      (head, n) -> n >= 4 && Magic.text("BZh").matches(head, n) && head[3] >= '1' && head[3] <= '9',
      new Container(in -> new BZip2HadoopStreams().createInputStream(in))),
  ELF("vmcore-elf", Magic.bytes(0x7f, 'E', 'L', 'F'), new Dump(InputFormat.VMCORE_ELF)),
  FLATTENED("vmcore-flattened", Magic.text("makedumpfile"), new Dump(InputFormat.VMCORE_FLATTENED)),
  GZIP("gzip", Magic.bytes(0x1f, 0x8b), new Container(in -> new GZIPInputStream(in, 1 << 16))),
  KDUMP("vmcore-kdump", Magic.text("KDUMP   "), new Dump(InputFormat.VMCORE_KDUMP)),
  LZ4("lz4", Magic.bytes(0x04, 0x22, 0x4d, 0x18), new Container(Lz4FrameInputStream::new)),
  LZOP(
      "lzop",
      Magic.bytes(0x89, 'L', 'Z', 'O', 0, '\r', '\n', 0x1a, '\n'),
      new Container(LzopInputStream::new)),
  TEXT("text", Magic::kernelText, new Text()),
  XZ("xz", Magic.bytes(0xfd, '7', 'z', 'X', 'Z', 0), new Container(XZInputStream::new)),
  ZSTD("zstd", Magic.bytes(0x28, 0xb5, 0x2f, 0xfd), new Container(ZstdInputStream::new));

  /** How a format is recognised from the first bytes of an input. */
  @FunctionalInterface
  public interface Sniff {
    /** True when {@code head[0..n)} starts an input of this format. */
    boolean matches(byte[] head, int n);
  }

  /** How a format is read. */
  public sealed interface Reader permits Container, Dump, Text {}

  /** A compressed container: a stream of what it holds. */
  public record Container(Unwrap unwrap) implements Reader {}

  /** Opens the inflating stream of a container. */
  @FunctionalInterface
  public interface Unwrap {
    /** The decompressed stream over {@code in}. */
    InputStream open(InputStream in) throws IOException;
  }

  /** A memory dump, read by random access through {@link org.ktriage.ingest.dump.Vmcore}. */
  public record Dump(InputFormat format) implements Reader {}

  /** Kernel log text or a crash session, streamed line by line. */
  public record Text() implements Reader {}

  /** Bytes looked at to recognise an input. */
  public static final int SNIFF_BYTES = 64 * 1024;

  private final String id;
  private final Sniff sniff;
  private final Reader reader;

  InputFormats(String id, Sniff sniff, Reader reader) {
    this.id = id;
    this.sniff = sniff;
    this.reader = reader;
  }

  /** Stable id, used in messages. */
  public String id() {
    return id;
  }

  /** The reader of this format. */
  public Reader reader() {
    return reader;
  }

  /**
   * The format whose magic {@code head[0..n)} starts with, text when it reads as text, or null
   * (binary data of no known format, or nothing at all).
   */
  public static @Nullable InputFormats sniff(byte[] head, int n) {
    if (n == 0) {
      return null;
    }
    for (InputFormats f : values()) {
      if (f != TEXT && f.sniff.matches(head, n)) {
        return f;
      }
    }
    return TEXT.sniff.matches(head, n) ? TEXT : null;
  }
}
