package org.ktriage.ingest.text;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Regular-expression macros for the report tables, in the style of syzkaller's {@code pkg/report}:
 * {@code {{ADDR}}}, {@code {{FUNC}}}, {@code {{PC}}}, {@code {{SRC}}}, {@code {{HEX}}}, {@code
 * {{MOD}}}.
 */
public final class Macros {
  private static final Map<String, String> MACROS =
      Map.of(
          "{{ADDR}}", "(?:0x)?[0-9a-fA-F]{1,16}",
          "{{HEX}}", "(?:0x)?[0-9a-fA-F]+",
          "{{FUNC}}", "[a-zA-Z0-9_.$]+",
          "{{PC}}", "[a-zA-Z0-9_.$]+\\+0x[0-9a-f]+/0x[0-9a-f]+",
          "{{SRC}}", "[^\\s:]+:\\d+",
          "{{MOD}}", "[a-zA-Z0-9_-]+");

  private Macros() {}

  /** The template with every macro replaced by its regular expression. */
  public static String expand(String template) {
    String out = template;
    for (Map.Entry<String, String> e : MACROS.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Compiles the expanded template. */
  public static Pattern compile(String template) {
    return Pattern.compile(expand(template));
  }
}
