package org.ktriage.ingest.input;

import java.nio.charset.StandardCharsets;

/** Signature tests for {@link InputFormats} lines. */
final class Magic {
  private Magic() {}

  /** Starts with these byte values. */
  static InputFormats.Sniff bytes(int... magic) {
    return (head, n) -> {
      if (n < magic.length) {
        return false;
      }
      for (int i = 0; i < magic.length; i++) {
        if ((head[i] & 0xff) != (magic[i] & 0xff)) {
          return false;
        }
      }
      return true;
    };
  }

  /** Starts with this ASCII text. */
  static InputFormats.Sniff text(String magic) {
    byte[] b = magic.getBytes(StandardCharsets.US_ASCII);
    int[] v = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      v[i] = b[i];
    }
    return bytes(v);
  }

  /**
   * Text: at most one byte in ten a control character other than the whitespace, escape and form
   * feed that console captures carry (consoles add colour escapes; serial captures add NULs).
   */
  static boolean kernelText(byte[] head, int n) {
    int control = 0;
    for (int i = 0; i < n; i++) {
      int b = head[i] & 0xff;
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != 0x1b && b != '\f') {
        control++;
      }
    }
    return control * 10 <= n;
  }
}
