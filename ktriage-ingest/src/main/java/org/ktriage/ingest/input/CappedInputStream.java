package org.ktriage.ingest.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.ReadLimits;

/**
 * A decompressed stream that ends, instead of failing, where its container stops giving data: at
 * its cap ({@link ReadLimits#INFLATED_BYTES} unless the caller sets a smaller one), or where the
 * compressed data is cut or corrupt after some of it was inflated. What was inflated up to there is
 * read as the input; {@link #ending()} says why the rest was not (a problem that marks the report
 * PARTIAL). Corrupt data before the first inflated byte is an {@link UnreadableInputException}:
 * nothing of the input could be read.
 */
final class CappedInputStream extends FilterInputStream {
  private static final int READ_BYTES = 4096;

  private final long cap;
  private final String name;
  private final String container;
  private long total;
  private @Nullable String ending;
  private boolean capReached;

  CappedInputStream(InputStream in, long cap, String name, String container) {
    super(in);
    this.cap = cap;
    this.name = name;
    this.container = container;
  }

  /** Why the stream ended before its container's end, or null when it was read whole. */
  @Nullable String ending() {
    return ending;
  }

  /** True when the stream ended at its cap with more data inflating behind it. */
  boolean capReached() {
    return capReached;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (ending != null) {
      return -1;
    }
    long left = cap - total;
    if (left <= 0) {
      if (wrapped(() -> super.read()) < 0) {
        return -1; // the container ends exactly at the cap
      }
      capReached = true;
      ending =
          name
              + ": "
              + container
              + " data inflates beyond "
              + size(cap)
              + " ("
              + (cap == ReadLimits.INFLATED_BYTES ? "ReadLimits.INFLATED_BYTES" : "the cap")
              + "): only the first "
              + size(cap)
              + " were read";
      return -1;
    }
    // small reads: a decompressor that fails inside a read may lose what that read had inflated
    // (zstd fills the whole request, then throws on the cut block); a request no larger than its
    // block's remainder is served before it touches the cut
    int n = wrapped(() -> super.read(b, off, (int) Math.min(Math.min(len, left), READ_BYTES)));
    if (n > 0) {
      total += n;
    }
    return n;
  }

  /** A cap as said in the problem: in whole MiB or KiB when it is one, else in bytes. */
  static String size(long bytes) {
    if (bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  /** Some decompressors (xz) throw their stored failure here too: the next read reports it. */
  @Override
  public int available() {
    if (ending != null) {
      return 0;
    }
    try {
      return super.available();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private interface Read {
    int run() throws IOException;
  }

  /**
   * Decompressors throw what they like on cut or bad data: before the first inflated byte that is
   * one unreadable-input line; after it, the end of what can be read, said by {@link #ending()}.
   */
  private int wrapped(Read r) throws IOException {
    try {
      return r.run();
    } catch (IOException | RuntimeException e) {
      if (total == 0 && e instanceof UnreadableInputException u) {
        String m = String.valueOf(u.getMessage());
        throw m.startsWith(name + ": ") ? u : new UnreadableInputException(name + ": " + m, u);
      }
      if (total == 0) {
        throw new CorruptContainerException(
            name + ": corrupt " + container + " data: " + Inputs.oneLine(e), e);
      }
      ending =
          name
              + ": the "
              + container
              + " data is cut or corrupt after "
              + total
              + " inflated bytes ("
              + Inputs.oneLine(e)
              + "): the rest was not read";
      return -1;
    }
  }
}
