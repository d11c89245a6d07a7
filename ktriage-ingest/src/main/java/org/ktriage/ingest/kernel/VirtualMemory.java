package org.ktriage.ingest.kernel;

import java.nio.charset.StandardCharsets;
import org.ktriage.ingest.UnreadableInputException;

/**
 * Kernel virtual memory of a crashed kernel, as the readers of this package need it: a strict read
 * that fails with a one-line {@link UnreadableInputException} when any byte is absent.
 */
public interface VirtualMemory {
  /** Reads {@code len} bytes at {@code virtAddr} into {@code dst[off..off+len)}. */
  void read(long virtAddr, byte[] dst, int off, int len) throws UnreadableInputException;

  /** Reads a little-endian u64. */
  default long readU64Le(long virtAddr) throws UnreadableInputException {
    byte[] b = new byte[8];
    read(virtAddr, b, 0, 8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[i] & 0xffL);
    }
    return v;
  }

  /** Reads a little-endian u32. */
  default long readU32Le(long virtAddr) throws UnreadableInputException {
    byte[] b = new byte[4];
    read(virtAddr, b, 0, 4);
    return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
  }

  /** Reads a little-endian u16. */
  default int readU16Le(long virtAddr) throws UnreadableInputException {
    byte[] b = new byte[2];
    read(virtAddr, b, 0, 2);
    return (b[0] & 0xff) | (b[1] & 0xff) << 8;
  }

  /** Reads a NUL-terminated string of at most {@code max} bytes (the rest is cut). */
  default String readCString(long virtAddr, int max) throws UnreadableInputException {
    byte[] b = new byte[max];
    read(virtAddr, b, 0, max);
    int n = 0;
    while (n < max && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  /** True when all of {@code [virtAddr, virtAddr+len)} can be read. */
  default boolean isReadable(long virtAddr, int len) {
    try {
      read(virtAddr, new byte[len], 0, len);
      return true;
    } catch (UnreadableInputException e) {
      return false;
    }
  }
}
