package org.ktriage.model;

/**
 * The kernel taint string as printed after {@code Tainted:} (e.g. {@code "G OE "}), or {@code "Not
 * tainted"}.
 */
public record Taint(String flags) {
  public static final Taint NONE = new Taint("");

  public boolean isTainted() {
    return !flags.isBlank() && !flags.equals("Not tainted");
  }

  /** True when the taint letter is set (e.g. 'O' out-of-tree, 'E' unsigned, 'P' proprietary). */
  public boolean has(char letter) {
    return flags.indexOf(letter) >= 0;
  }

  /** Letters collapsed with single spaces removed, e.g. {@code "G OE"} for the JSON contract. */
  public String compact() {
    return flags.trim().replaceAll("\\s+", " ");
  }
}
