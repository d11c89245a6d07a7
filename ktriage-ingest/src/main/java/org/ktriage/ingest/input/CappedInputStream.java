package org.ktriage.ingest.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.ktriage.ingest.UnreadableInputException;

/** A decompressed stream that fails with one line once it has given more than its cap. */
final class CappedInputStream extends FilterInputStream {
  private final long cap;
  private final String name;
  private final String container;
  private long total;

  CappedInputStream(InputStream in, long cap, String name, String container) {
    super(in);
    this.cap = cap;
    this.name = name;
    this.container = container;
  }

  @Override
  public int read() throws IOException {
    int b = wrapped(() -> super.read());
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = wrapped(() -> super.read(b, off, len));
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long s = wrapped(() -> (int) super.skip(Math.min(n, Integer.MAX_VALUE)));
    count(s);
    return s;
  }

  private interface Read {
    int run() throws IOException;
  }

  /** Decompressors throw what they like on bad data; ours is one unreadable-input line. */
  private int wrapped(Read r) throws IOException {
    try {
      return r.run();
    } catch (UnreadableInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new UnreadableInputException(
          name + ": corrupt " + container + " data: " + Inputs.oneLine(e), e);
    }
  }

  private void count(long n) throws UnreadableInputException {
    total += n;
    if (total > cap) {
      throw new UnreadableInputException(
          name
              + ": "
              + container
              + " data inflates beyond "
              + (cap >> 20)
              + " MiB (ReadLimits.INFLATED_BYTES)");
    }
  }
}
