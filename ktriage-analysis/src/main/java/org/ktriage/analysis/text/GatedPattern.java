package org.ktriage.analysis.text;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A regular expression searched only in a text that holds one of the literals every match of it
 * holds (the fixed words of its alternatives), found in one pass over the text's chars: most log
 * lines hold none and cost no regex search. The literals are the caller's claim about the pattern;
 * tests check it on every line of the corpora. A case-insensitive pattern's literals are found
 * ignoring ASCII case.
 */
public final class GatedPattern {
  private final Pattern pattern;
  private final Literals gate;

  private GatedPattern(Pattern pattern, Literals gate) {
    this.pattern = pattern;
    this.gate = gate;
  }

  /** The pattern and the literals of which every match holds at least one. */
  public static GatedPattern of(Pattern pattern, List<String> literals) {
    boolean ignoreCase =
        (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0 || pattern.pattern().startsWith("(?i)");
    return new GatedPattern(
        pattern, ignoreCase ? Literals.ignoringAsciiCase(literals) : Literals.of(literals));
  }

  public Pattern pattern() {
    return pattern;
  }

  /** The literals of which every match holds one. */
  public Literals gate() {
    return gate;
  }

  /** False when the text holds none of the literals, so the pattern cannot match. */
  public boolean mayMatch(String text) {
    return gate.containsAny(text);
  }

  /** Whether the pattern finds a match in the text ({@link java.util.regex.Matcher#find()}). */
  public boolean find(String text) {
    return gate.containsAny(text) && pattern.matcher(text).find();
  }
}
