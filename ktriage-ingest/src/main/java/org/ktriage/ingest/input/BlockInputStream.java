package org.ktriage.ingest.input;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream decoded one block at a time (lz4 frames, lzop files): the subclass's {@link #fill()}
 * decodes the next block into {@link #block}{@code [pos..limit)}; reading hands that out.
 */
abstract class BlockInputStream extends InputStream {
  final InputStream in;
  byte[] block = new byte[0];
  int pos;
  int limit;
  private boolean eof;

  BlockInputStream(InputStream in) {
    this.in = in;
  }

  /** Decodes the next block into {@link #block}; false at the end of the stream. */
  abstract boolean fill() throws IOException;

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos == limit) {
      if (eof || !fill()) {
        eof = true;
        return -1;
      }
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(block, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
