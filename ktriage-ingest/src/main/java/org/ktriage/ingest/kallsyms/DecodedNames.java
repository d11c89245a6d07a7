package org.ktriage.ingest.kallsyms;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Names back to back as the kernel stores them once expanded (Latin-1 bytes, no NUL): name {@code
 * i} is {@code bytes[end(i - 1), end(i))}. A {@link String} is made only for a symbol asked for,
 * not for the 100 000-200 000 symbols of a kernel.
 */
final class DecodedNames implements SymbolNames {
  private final byte[] bytes;
  private final int[] ends;
  private final char[] types;

  DecodedNames(byte[] bytes, int[] ends, char[] types) {
    this.bytes = bytes;
    this.ends = ends;
    this.types = types;
  }

  int start(int i) {
    return i == 0 ? 0 : ends[i - 1];
  }

  int end(int i) {
    return ends[i];
  }

  byte[] bytes() {
    return bytes;
  }

  int size() {
    return ends.length;
  }

  @Override
  public String name(int i) {
    int from = start(i);
    return new String(bytes, from, ends[i] - from, StandardCharsets.ISO_8859_1);
  }

  @Override
  public char type(int i) {
    return types[i];
  }

  @Override
  public DecodedNames decoded() {
    return this;
  }

  /** The same names in the order {@code order} gives (entry {@code i} is name {@code order[i]}). */
  DecodedNames reordered(int[] order) {
    int n = order.length;
    byte[] b = new byte[bytes.length];
    int[] e = new int[n];
    char[] t = new char[n];
    int at = 0;
    for (int i = 0; i < n; i++) {
      int k = order[i];
      int from = start(k);
      System.arraycopy(bytes, from, b, at, ends[k] - from);
      at += ends[k] - from;
      e[i] = at;
      t[i] = types[k];
    }
    return new DecodedNames(b, e, t);
  }

  /** Names appended back to back into one growing byte array, with their end offsets. */
  static final class Builder {
    private byte[] bytes;
    private int[] ends;
    private final StringBuilder types = new StringBuilder();
    private int count;
    private int size;

    Builder(int expected) {
      // a hint only: a count read from a dump may lie, so start small and grow
      int hint = Math.min(Math.max(16, expected), 1 << 18);
      this.bytes = new byte[hint * 24];
      this.ends = new int[hint];
    }

    void add(byte[] b, int from, int to, char type) {
      int len = to - from;
      if (size + len > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
      }
      System.arraycopy(b, from, bytes, size, len);
      size += len;
      if (count == ends.length) {
        ends = Arrays.copyOf(ends, ends.length * 2);
      }
      ends[count++] = size;
      types.append(type);
    }

    void add(String name, char type) {
      byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
      add(b, 0, b.length, type);
    }

    int count() {
      return count;
    }

    DecodedNames build() {
      return new DecodedNames(
          Arrays.copyOf(bytes, size), Arrays.copyOf(ends, count), types.toString().toCharArray());
    }
  }
}
