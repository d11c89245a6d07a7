package org.ktriage.ingest.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One report header format: a literal {@code prefix} the line must start with (the cheap check), a
 * pattern that must match from there, the report family, and how the header behaves.
 *
 * @param family short family id (e.g. {@code page-fault}, {@code warning}); a reader fact, not a
 *     classification
 * @param prefix literal start of the line, or empty for a rule found by {@code contains}
 * @param contains literal the line must contain (for rules with an empty prefix), or empty
 * @param pattern the expanded pattern, matched with {@code find} from the prefix position; group
 *     {@code addr} (if any) is the fault address
 * @param role how the header opens or joins a report
 */
public record HeaderRule(
    String family, String prefix, String contains, Pattern pattern, Role role) {

  /** How a header line behaves. */
  public enum Role {
    /** Opens a report on its own. */
    OPENS,
    /** Opens a report only if a body (CPU line, trace, registers) follows soon. */
    TENTATIVE,
    /** A die header ({@code Oops: 0002 [#1]}): joins the open report or opens one. */
    DIE,
    /** {@code Kernel panic - not syncing:}: ends the open report or opens a panic-only one. */
    PANIC,
    /** Joins a recent report of the same family (OOM kill after oom-killer invocation). */
    JOINS_OOM,
    /** Opens a report closed by the next {@code ====} line (sanitizer reports). */
    DELIMITED
  }

  /** A rule from a template with macros. */
  public static HeaderRule of(String family, String prefix, String template, Role role) {
    return new HeaderRule(family, prefix, "", Macros.compile(template), role);
  }

  /** A rule found anywhere in the line by a literal. */
  public static HeaderRule containing(String family, String literal, String template, Role role) {
    return new HeaderRule(family, "", literal, Macros.compile(template), role);
  }

  /** The match at {@code from}, or null. */
  public @Nullable Matcher match(String text, int from) {
    Matcher m = pattern.matcher(text);
    m.region(from, text.length());
    return m.lookingAt() ? m : null;
  }
}
