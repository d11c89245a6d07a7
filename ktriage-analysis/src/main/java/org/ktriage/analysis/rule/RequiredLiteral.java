package org.ktriage.analysis.rule;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The longest run of plain characters that every match of a rule's log pattern contains, so that a
 * line without it is passed over by {@link String#contains} instead of a regex search. Rules' log
 * patterns are mostly a kernel message's fixed words ("kernel BUG at", "self-detected stall on
 * CPU") around a few captures, and a log has up to {@code MAX_LOG_LINES} lines for each of them.
 *
 * <p>Conservative: only characters at the top level of the pattern, outside groups, classes and
 * escapes, not made optional by a quantifier, count; a pattern with a top-level alternation or
 * inline flags has no required literal (the empty string: every line is searched).
 */
final class RequiredLiteral {
  private static final ConcurrentHashMap<Pattern, String> CACHE = new ConcurrentHashMap<>();

  private RequiredLiteral() {}

  /** The pattern's required literal, computed once per compiled pattern. */
  static String of(Pattern p) {
    return CACHE.computeIfAbsent(p, RequiredLiteral::compute);
  }

  /** Whether a line may match: it holds the required literal (or there is none). */
  static boolean mayMatch(Pattern p, String line) {
    String literal = of(p);
    return literal.isEmpty() || line.contains(literal);
  }

  static String compute(Pattern p) {
    if (p.flags() != 0) {
      return "";
    }
    String re = p.pattern();
    String best = "";
    StringBuilder run = new StringBuilder();
    int depth = 0;
    int i = 0;
    while (i < re.length()) {
      char c = re.charAt(i);
      if (depth > 0) {
        // inside a group: only its end matters (escapes and classes skipped whole)
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '[') {
          i = classEnd(re, i);
          if (i < 0) {
            return "";
          }
          continue;
        }
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          i++;
          i = skipQuantifier(re, i);
          continue;
        }
        i++;
        continue;
      }
      switch (c) {
        case '|' -> {
          return ""; // a top-level alternative need not contain anything
        }
        case '(' -> {
          if (re.startsWith("(?", i)
              && i + 2 < re.length()
              && "<:=!>".indexOf(re.charAt(i + 2)) < 0) {
            return ""; // inline flags such as (?i) change what a literal means
          }
          best = longer(best, run);
          run.setLength(0);
          depth = 1;
          i++;
        }
        case '[' -> {
          best = longer(best, run);
          run.setLength(0);
          i = classEnd(re, i);
          if (i < 0) {
            return "";
          }
          i = skipQuantifier(re, i);
        }
        case '\\' -> {
          // an escape: a class (\S, \d), an anchor (\b) or a quoted character; none is counted
          best = longer(best, run);
          run.setLength(0);
          if (i + 1 < re.length() && re.charAt(i + 1) == 'Q') {
            return "";
          }
          i = skipQuantifier(re, i + 2);
        }
        case '.', '^', '$' -> {
          best = longer(best, run);
          run.setLength(0);
          i = skipQuantifier(re, i + 1);
        }
        case '?', '*', '{', '+' -> {
          // the character before is optional or repeated: it leaves the run (and '+' keeps one
          // copy, but the run after it is not adjacent any more)
          if (c != '+' && run.length() > 0) {
            run.setLength(run.length() - 1);
          }
          best = longer(best, run);
          run.setLength(0);
          i = skipQuantifier(re, i);
        }
        default -> {
          run.append(c);
          i++;
        }
      }
    }
    return depth == 0 ? longer(best, run) : "";
  }

  private static String longer(String best, StringBuilder run) {
    return run.length() > best.length() ? run.toString() : best;
  }

  /** The index after a character class starting at {@code at}, or -1 when it does not end. */
  private static int classEnd(String re, int at) {
    int i = at + 1;
    if (i < re.length() && re.charAt(i) == '^') {
      i++;
    }
    if (i < re.length() && re.charAt(i) == ']') {
      i++;
    }
    int depth = 1;
    while (i < re.length()) {
      char c = re.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '[') {
        depth++;
      } else if (c == ']' && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    return -1;
  }

  /**
   * The index after any quantifier (?, *, +, {n,m}, with a lazy or possessive mark) at {@code at}.
   */
  private static int skipQuantifier(String re, int at) {
    int i = at;
    while (i < re.length()) {
      char c = re.charAt(i);
      if (c == '?' || c == '*' || c == '+') {
        i++;
      } else if (c == '{') {
        int close = re.indexOf('}', i);
        if (close < 0) {
          return re.length();
        }
        i = close + 1;
      } else {
        break;
      }
    }
    return i;
  }
}
