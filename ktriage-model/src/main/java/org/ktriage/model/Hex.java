package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/** Formatting of addresses as the JSON contract wants them: lower-case hex with {@code 0x}. */
public final class Hex {
  private Hex() {}

  public static String addr(long value) {
    return "0x" + Long.toHexString(value);
  }

  public static @Nullable String addrOrNull(@Nullable Long value) {
    return value == null ? null : addr(value);
  }

  /** Zero-padded 16-digit form without prefix, as the kernel prints registers. */
  public static String reg(long value) {
    return String.format("%016x", value);
  }
}
