package org.ktriage.ingest.bin;

import java.io.Closeable;
import java.io.IOException;

/**
 * Random-access bytes of one logical dump file (a plain file, or the file a flattened stream
 * describes); reads never load more than asked for.
 */
public interface DumpSource extends Closeable {
  /** The path or name used in error messages. */
  String name();

  /** Logical size in bytes. */
  long size();

  /**
   * Reads up to {@code len} bytes at logical offset {@code offset}; returns how many were read
   * (fewer only at the end of the data, or where a flattened stream has no data).
   */
  int read(long offset, byte[] dst, int dstOff, int len) throws IOException;

  /** Reads exactly {@code len} bytes or throws {@link CorruptDumpException} naming what was cut. */
  default byte[] readFully(long offset, int len, String what) throws IOException {
    if (offset < 0 || len < 0 || offset > size() || size() - offset < len) {
      throw new CorruptDumpException(
          name()
              + ": "
              + what
              + " at offset "
              + offset
              + " needs "
              + len
              + " bytes but the file has "
              + size());
    }
    byte[] b = new byte[len];
    int n = read(offset, b, 0, len);
    if (n != len) {
      throw new CorruptDumpException(
          name() + ": " + what + " at offset " + offset + " is cut short: " + n + " of " + len);
    }
    return b;
  }
}
