package org.ktriage.ingest.kallsyms;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * {@code kallsyms_names} as the kernel stores it (kernel/kallsyms.c {@code
 * kallsyms_expand_symbol()}): per symbol a length (one byte, two when the first has bit 7 set,
 * v6.1+) then that many indexes into the 256 tokens; the first expanded character is the type
 * letter. Kept as read and expanded one name at a time, so a table used for address lookups never
 * expands the names it is not asked for.
 */
final class CompressedNames implements SymbolNames {
  private final byte[] raw;

  /** Where each symbol's length starts in {@code raw}, in the kernel's order. */
  private final int[] at;

  private final byte[][] tokens;

  /** The kernel's index of the table's entry {@code i}, or null when the orders are the same. */
  private final int @Nullable [] order;

  /**
   * The names expanded, once {@link #decoded} was asked for (a lookup by name): used from then on.
   */
  private volatile @Nullable DecodedNames decoded;

  CompressedNames(byte[] raw, int[] at, byte[][] tokens, int @Nullable [] order) {
    this.raw = raw;
    this.at = at;
    this.tokens = tokens;
    this.order = order;
  }

  /** The same names with the table's entry {@code i} being the kernel's symbol {@code order[i]}. */
  CompressedNames inOrder(int[] order) {
    return new CompressedNames(raw, at, tokens, order);
  }

  private int kernelIndex(int i) {
    int[] o = order;
    return o == null ? i : o[i];
  }

  /** Expands symbol {@code k} (kernel order) into {@code out}; returns the length written. */
  private int expand(int k, byte[] out) {
    int p = at[k];
    int len = raw[p++] & 0xff;
    if ((len & 0x80) != 0) {
      len = (len & 0x7f) | (raw[p++] & 0xff) << 7;
    }
    int got = 0;
    for (int t = 0; t < len; t++) {
      byte[] tok = tokens[raw[p + t] & 0xff];
      int n = Math.min(tok.length, out.length - got);
      System.arraycopy(tok, 0, out, got, n);
      got += n;
    }
    return got;
  }

  /** The longest name kept: the kernel's are under KSYM_NAME_LEN (512); a hostile one is cut. */
  private static final int MAX_NAME = 1 << 16;

  private byte[] scratch = new byte[512];

  /** Expands the kernel's symbol {@code k} into {@link #scratch}; returns its length. */
  private int expand(int k) {
    int len = expand(k, scratch);
    if (len == scratch.length && scratch.length < MAX_NAME) {
      scratch = new byte[MAX_NAME];
      len = expand(k, scratch);
    }
    return len;
  }

  private synchronized String nameOf(int k) {
    int len = expand(k);
    return len == 0 ? "" : new String(scratch, 1, len - 1, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String name(int i) {
    DecodedNames d = decoded;
    return d != null ? d.name(i) : nameOf(kernelIndex(i));
  }

  /**
   * The type letter: the first character of the expanded name, so the first byte of its first
   * non-empty token; no name is expanded for it ({@link KallsymsTable#lookup} asks the type of
   * every alias at an address).
   */
  @Override
  public char type(int i) {
    DecodedNames d = decoded;
    if (d != null) {
      return d.type(i);
    }
    int p = at[kernelIndex(i)];
    int len = raw[p++] & 0xff;
    if ((len & 0x80) != 0) {
      len = (len & 0x7f) | (raw[p++] & 0xff) << 7;
    }
    for (int t = 0; t < len; t++) {
      byte[] tok = tokens[raw[p + t] & 0xff];
      if (tok.length > 0) {
        return (char) (tok[0] & 0xff);
      }
    }
    return '?';
  }

  /** True when the kernel's symbol {@code k} is named {@code name}. */
  boolean kernelNameIs(int k, String name) {
    return nameOf(k).equals(name);
  }

  @Override
  public synchronized DecodedNames decoded() {
    DecodedNames d = decoded;
    if (d == null) {
      DecodedNames.Builder b = new DecodedNames.Builder(at.length);
      for (int i = 0; i < at.length; i++) {
        int len = expand(kernelIndex(i));
        b.add(scratch, len > 0 ? 1 : 0, len, len > 0 ? (char) (scratch[0] & 0xff) : '?');
      }
      d = b.build();
      decoded = d;
    }
    return d;
  }
}
