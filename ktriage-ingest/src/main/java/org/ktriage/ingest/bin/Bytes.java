package org.ktriage.ingest.bin;

/** Fixed-width field access in byte arrays, byte order and width in each method name. */
public final class Bytes {
  private Bytes() {}

  public static int readU8(byte[] b, int off) {
    return b[off] & 0xff;
  }

  public static int readU16Le(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  public static int readI32Le(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  public static long readU32Le(byte[] b, int off) {
    return readI32Le(b, off) & 0xffffffffL;
  }

  public static long readU64Le(byte[] b, int off) {
    return readU32Le(b, off) | readU32Le(b, off + 4) << 32;
  }

  public static long readI64Be(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[off + i] & 0xff);
    }
    return v;
  }

  /** NUL-terminated ASCII string within {@code [off, off+max)}. */
  public static String readCString(byte[] b, int off, int max) {
    int end = off;
    int limit = Math.min(b.length, off + max);
    while (end < limit && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** Printable rendering of raw bytes for error messages ({@code \xNN} for the rest). */
  public static String quote(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = off; i < Math.min(b.length, off + len); i++) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.append('"').toString();
  }
}
