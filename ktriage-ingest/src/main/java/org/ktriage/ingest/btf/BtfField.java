package org.ktriage.ingest.btf;

/**
 * A member reached by a path such as {@code "tasks.next"} or {@code "vectors[3]"}: its offset in
 * bits from the start of the outermost struct, its bitfield width (0 when not a bitfield), its
 * declared type and the type that declared type resolves to, and its size in bytes.
 */
public record BtfField(
    String path, long bitOffset, int bitfieldSize, BtfType type, BtfType resolved, long size) {

  /** Offset in bytes from the start of the outermost struct (rounded down for bitfields). */
  public long byteOffset() {
    return bitOffset >>> 3;
  }

  /** True for a bitfield member. */
  public boolean isBitfield() {
    return bitfieldSize != 0;
  }
}
