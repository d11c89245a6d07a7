package org.ktriage.analysis.text;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The longest run of plain characters that every match of a rule's log pattern contains, so that a
 * line without it is passed over by {@link String#contains} instead of a regex search (a rule's log
 * pattern on each log line, a title format on a report's text). Rules' log patterns are mostly a
 * kernel message's fixed words ("kernel BUG at", "self-detected stall on CPU") around a few
 * captures, and a log has up to {@code MAX_LOG_LINES} lines for each of them.
 *
 * <p>Conservative: only characters at the top level of the pattern, outside groups, classes and
 * escapes, not made optional by a quantifier, count; a pattern with a top-level alternation, inline
 * flags or a flag other than {@code UNIX_LINES}, {@code MULTILINE} and {@code DOTALL} has no
 * required literal (the empty string: every line is searched).
 */
public final class RequiredLiteral {
  private static final ConcurrentHashMap<Pattern, String> CACHE = new ConcurrentHashMap<>();

  private RequiredLiteral() {}

  /** The pattern's required literal, computed once per compiled pattern. */
  public static String of(Pattern p) {
    return CACHE.computeIfAbsent(p, RequiredLiteral::compute);
  }

  /** Whether a line may match: it holds the required literal (or there is none). */
  public static boolean mayMatch(Pattern p, String line) {
    String literal = of(p);
    return literal.isEmpty() || line.contains(literal);
  }

  public static String compute(Pattern p) {
    // flags that change what a literal matches (case, comments, canonical equivalence) leave no
    // literal; those of line ends and dots do not change it
    int neutral = Pattern.UNIX_LINES | Pattern.MULTILINE | Pattern.DOTALL;
    return (p.flags() & ~neutral) != 0 ? "" : new Scan(p.pattern()).literal();
  }

  /** One left-to-right scan of a pattern's source, keeping the longest top-level run. */
  private static final class Scan {
    private final String re;
    private final StringBuilder run = new StringBuilder();
    private String best = "";
    private int depth;
    private int i;

    /** Set when the pattern has no required literal at all. */
    private boolean none;

    Scan(String re) {
      this.re = re;
    }

    String literal() {
      while (i < re.length() && !none) {
        if (depth > 0) {
          inGroup(re.charAt(i));
        } else {
          topLevel(re.charAt(i));
        }
      }
      return none || depth != 0 ? "" : longer(best, run);
    }

    /** Inside a group only its end matters (escapes and classes skipped whole). */
    private void inGroup(char c) {
      switch (c) {
        case '\\' -> {
          // a quotation could hide a group's end
          none = i + 1 < re.length() && re.charAt(i + 1) == 'Q';
          i += 2;
        }
        case '[' -> {
          i = classEnd(re, i);
          none = i < 0;
        }
        case '(' -> {
          depth++;
          i++;
        }
        case ')' -> {
          depth--;
          i = skipQuantifier(re, i + 1);
        }
        default -> i++;
      }
    }

    private void topLevel(char c) {
      switch (c) {
        case '|' -> none = true; // a top-level alternative need not contain anything
        case '(' -> {
          if (re.startsWith("(?", i)
              && i + 2 < re.length()
              && "<:=!>".indexOf(re.charAt(i + 2)) < 0) {
            none = true; // inline flags such as (?i) change what a literal means
            return;
          }
          endRun();
          depth = 1;
          i++;
        }
        case '[' -> {
          endRun();
          i = classEnd(re, i);
          if (i < 0) {
            none = true;
            return;
          }
          i = skipQuantifier(re, i);
        }
        case '\\' -> {
          // an escape: a class (\S, \d), an anchor (\b) or a quoted character; none is counted
          // (a code point or control char escape, a quotation or a back reference with arguments
          // of its own: no literal at all, rather than a wrong one)
          endRun();
          if (i + 1 < re.length() && "QxuUc0123456789kN".indexOf(re.charAt(i + 1)) >= 0) {
            none = true;
            return;
          }
          i = skipQuantifier(re, i + 2);
        }
        case '.', '^', '$' -> {
          endRun();
          i = skipQuantifier(re, i + 1);
        }
        case '?', '*', '{', '+' -> {
          // the character before is optional or repeated: it leaves the run (and '+' keeps one
          // copy, but the run after it is not adjacent any more)
          if (c != '+' && run.length() > 0) {
            run.setLength(run.length() - 1);
          }
          endRun();
          i = skipQuantifier(re, i);
        }
        default -> {
          run.append(c);
          i++;
        }
      }
    }

    private void endRun() {
      best = longer(best, run);
      run.setLength(0);
    }
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
