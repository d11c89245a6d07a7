package org.ktriage.ingest.btf;

import java.nio.charset.StandardCharsets;

/** Comparing a NUL-terminated name in a BTF string section with a Java string, in place. */
final class BtfStrings {
  private BtfStrings() {}

  /** The UTF-8 bytes of a name (BTF names are ASCII in practice; UTF-8 as {@link Btf} decodes). */
  static byte[] utf8(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether the NUL-terminated string at {@code at} (ending no later than {@code limit}) is exactly
   * {@code want}.
   */
  static boolean equalsAt(byte[] blob, int at, int limit, byte[] want) {
    int n = want.length;
    if (at + n > limit) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (blob[at + k] != want[k]) {
        return false;
      }
    }
    return at + n == limit || blob[at + n] == 0;
  }
}
