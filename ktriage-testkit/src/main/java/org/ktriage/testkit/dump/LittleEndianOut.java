package org.ktriage.testkit.dump;

import java.io.ByteArrayOutputStream;

/** Little- and big-endian field writers for the synthetic dump writers. */
final class LittleEndianOut {
  private LittleEndianOut() {}

  static void u16(ByteArrayOutputStream o, int v) {
    o.write(v);
    o.write(v >>> 8);
  }

  static void u32(ByteArrayOutputStream o, long v) {
    for (int i = 0; i < 4; i++) {
      o.write((int) (v >>> (8 * i)));
    }
  }

  static void u64(ByteArrayOutputStream o, long v) {
    for (int i = 0; i < 8; i++) {
      o.write((int) (v >>> (8 * i)));
    }
  }

  static void u64Be(ByteArrayOutputStream o, long v) {
    for (int i = 7; i >= 0; i--) {
      o.write((int) (v >>> (8 * i)));
    }
  }

  static void pad(ByteArrayOutputStream o, int len, int align) {
    while (len % align != 0) {
      o.write(0);
      len++;
    }
  }

  static void putU64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  static void putU32(byte[] b, int off, long v) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  static void putU16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }
}
