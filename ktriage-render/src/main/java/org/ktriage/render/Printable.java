package org.ktriage.render;

/**
 * Makes input text safe to show: control bytes (C0, DEL, C1, which include terminal escape
 * sequences) become visible {@code \xNN} escapes, so a crafted log line cannot drive a terminal.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} with every control character except tab replaced by {@code \xNN}. */
  public static String clean(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
      if (control) {
        if (out == null) {
          out = new StringBuilder(text.length() + 8);
          out.append(text, 0, i);
        }
        out.append(String.format("\\x%02x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
