package org.ktriage.ingest.btf;

/**
 * The u32 that follows an INT type: encoding bits (1 signed, 2 char, 4 bool), bit offset and the
 * number of value bits.
 */
public record BtfIntEncoding(int encoding, int bitOffset, int bits) {
  /** BTF_INT_SIGNED. */
  public static final int SIGNED = 1;

  /** BTF_INT_CHAR. */
  public static final int CHAR = 2;

  /** BTF_INT_BOOL. */
  public static final int BOOL = 4;

  /** True when the integer is signed. */
  public boolean signed() {
    return (encoding & SIGNED) != 0;
  }
}
