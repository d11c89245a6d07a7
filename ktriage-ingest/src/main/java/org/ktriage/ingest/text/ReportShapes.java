package org.ktriage.ingest.text;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ktriage.model.kind.ReportKinds;

/**
 * Byte-level tests of whether a line could be report material, asked of every line of a long log
 * before any {@code String}, regular expression or record is made: the header literals of {@link
 * ReportKinds}, the shapes of a frame, a call trace heading, a program-counter line and a
 * fault-information line. Each test is one-sided: false means the full reading ({@link OopsParser})
 * would find nothing in the line; true only that it must look.
 *
 * <p>The lines are plain ASCII ({@link LineReader#lineClean}), {@code b[from..end)} the text from
 * its first non-blank.
 */
final class ReportShapes {
  private ReportShapes() {}

  /** Headings of a call trace (show_stack(), dump_backtrace(), arm32's frame-pointer unwinder). */
  static final List<String> TRACE_HEADINGS = List.of("Call Trace:", "Call trace:", "Backtrace:");

  /** The literals a report without header may open with besides a frame: headings, PC lines. */
  private static final Starts TRACE_OPENINGS =
      new Starts(
          java.util.stream.Stream.concat(
                  TRACE_HEADINGS.stream(), ReportBuilder.TRACE_ONLY_PC.stream())
              .toList());

  /** The fault-information pattern's possible first two chars ({@link ReportLine#FAULT_INFO}). */
  private static final PairStarts FAULT_INFO = new PairStarts(ReportLine.FAULT_INFO);

  /** The first index at or after {@code from} that is not a blank or tab (or {@code end}). */
  static int firstNonBlank(byte[] b, int from, int end) {
    int k = from;
    while (k < end && (b[k] == ' ' || b[k] == '\t')) {
      k++;
    }
    return k;
  }

  /** A literal as ASCII bytes, compared with a line's bytes ({@link #at}). */
  static byte[] ascii(String literal) {
    byte[] out = new byte[literal.length()];
    for (int k = 0; k < out.length; k++) {
      char c = literal.charAt(k);
      if (c > 0x7f) {
        throw new IllegalArgumentException("not ASCII: " + literal);
      }
      out[k] = (byte) c;
    }
    return out;
  }

  static byte[][] ascii(List<String> literals) {
    return literals.stream().map(ReportShapes::ascii).toArray(byte[][]::new);
  }

  /** Whether {@code literal} is at {@code at} in {@code b[..end)}. */
  static boolean at(byte[] b, int at, int end, byte[] literal) {
    int len = literal.length;
    if (at < 0 || at + len > end) {
      return false;
    }
    for (int j = 0; j < len; j++) {
      if (b[at + j] != literal[j]) {
        return false;
      }
    }
    return true;
  }

  static boolean atAny(byte[] b, int at, int end, byte[][] literals) {
    for (byte[] l : literals) {
      if (at(b, at, end, l)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a report header of {@link ReportKinds} may match ({@link ReportKinds#mayMatch}). */
  static boolean mayBeHeader(byte[] b, int from, int end) {
    return ReportKinds.mayMatch(b, from, end);
  }

  /** {@link #mayBeHeader(byte[], int, int)} on the cursor's line, by its marks when known. */
  static boolean mayBeHeader(LineCursor c, int from) {
    return c.marksKnown()
        ? ReportKinds.mayMatch(c.b, from, c.n, c.marks, c.markCount)
        : ReportKinds.mayMatch(c.b, from, c.n);
  }

  /**
   * Whether the line may be a fault-information line ({@link ReportLine#FAULT_INFO}): its first two
   * chars first, then the pattern itself on the line's chars in place ({@code line} reads {@code b}
   * as chars; {@code m} a matcher of the pattern the caller reuses: nothing allocated).
   */
  static boolean mayBeFaultInfo(byte[] b, int from, int end, CharSequence line, Matcher m) {
    return FAULT_INFO.may(b, from, end) && m.reset(line).region(from, end).lookingAt();
  }

  /** A matcher of {@link ReportLine#FAULT_INFO} for {@link #mayBeFaultInfo}, one per reader. */
  static Matcher faultInfoMatcher() {
    return ReportLine.FAULT_INFO.matcher("");
  }

  /**
   * Whether the line may open a report without header ({@link ReportBuilder#traceOnly}): a call
   * trace heading, a frame or a program-counter line.
   */
  static boolean mayOpenTrace(byte[] b, int from, int end) {
    return TRACE_OPENINGS.at(b, from, end) || mayBeFrame(b, from, end);
  }

  /** {@link #mayOpenTrace(byte[], int, int)} on the cursor's line, by its marks when known. */
  static boolean mayOpenTrace(LineCursor c, int from) {
    return TRACE_OPENINGS.at(c.b, from, c.n) || mayBeFrame(c, from);
  }

  /**
   * {@link #mayBeFrame(byte[], int, int)} on the cursor's line: the literals after the first char
   * looked for only where the line's marks are ({@code [} of {@code [<}, {@code +} of {@code +0x},
   * the colon of a source position), no scan of the line.
   */
  static boolean mayBeFrame(LineCursor c, int from) {
    if (!c.marksKnown()) {
      return mayBeFrame(c.b, from, c.n);
    }
    byte[] b = c.b;
    int n = c.n;
    if (from >= n) {
      return false;
    }
    if (startsFrame(b, from, n)) {
      return true;
    }
    int[] marks = c.marks;
    for (int j = 0; j < c.markCount; j++) {
      int k = marks[j];
      if (k < from) {
        continue;
      }
      byte m = b[k];
      if (m == '+') {
        if (k + 2 < n && b[k + 1] == '0' && b[k + 2] == 'x') {
          return true;
        }
      } else if (m == '[') {
        if (k + 1 < n && b[k + 1] == '<') {
          return true;
        }
      } else if (m == ':' && k - 2 >= from) {
        byte p = b[k - 1];
        if ((p == 'c' || p == 'h' || p == 'S') && b[k - 2] == '.') {
          return true;
        }
      }
    }
    return false;
  }

  /** A frame by its first chars: a debugger's {@code #N}, a bare address ({@code [? ]0x}). */
  private static boolean startsFrame(byte[] b, int from, int n) {
    byte first = b[from];
    if (first == '#') {
      return true;
    }
    int start = first == '?' && from + 1 < n && b[from + 1] == ' ' ? from + 2 : from;
    return start + 1 < n && b[start] == '0' && b[start + 1] == 'x';
  }

  /**
   * Whether the line from {@code from} could be a frame at all, by the literal each frame form of
   * {@link ReportLine#frame} needs where it needs it: a function's offset {@code +0x} (every {@code
   * sym+off/size} the kernel's {@code %pS} prints, lib/vsprintf.c symbol_string()), a bracketed
   * address {@code [<} (old x86, arm32, s390), a bare address only at the start ({@code 0x…} or
   * {@code ? 0x…}), a source position ({@code .c:N}, {@code .h:N}, {@code .S:N}) or a debugger's
   * frame number ({@code #N}). One pass over the line's bytes: most lines of a long log ({@code
   * [mem 0x…]}, {@code last_pfn = 0x…}) carry none of these and skip every regular expression.
   */
  static boolean mayBeFrame(String text, int from) {
    int n = text.length();
    if (from >= n) {
      return false;
    }
    // a char above 0xff reads as '?', never one of the literals looked for
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    if (b.length != n) {
      // a surrogate pair encoded as one byte: compare chars
      char first = text.charAt(from);
      int start = first == '?' && text.startsWith("? ", from) ? from + 2 : from;
      return first == '#'
          || text.startsWith("0x", start)
          || text.indexOf("+0x", from) >= 0
          || text.indexOf("[<", from) >= 0
          || sourced(text, from);
    }
    return mayBeFrame(b, from, n);
  }

  /** See {@link #mayBeFrame(String, int)}: the line's chars as bytes {@code b[..n)}. */
  static boolean mayBeFrame(byte[] b, int from, int n) {
    if (from >= n) {
      return false;
    }
    if (startsFrame(b, from, n)) {
      return true;
    }
    for (int k = from + 1; k < n; k++) {
      byte c = b[k];
      if (c == 'x') {
        if (b[k - 1] == '0' && k - 2 >= from && b[k - 2] == '+') {
          return true;
        }
      } else if (c == '<') {
        if (b[k - 1] == '[') {
          return true;
        }
      } else if (c == ':') {
        byte p = b[k - 1];
        if ((p == 'c' || p == 'h' || p == 'S') && k - 2 >= from && b[k - 2] == '.') {
          return true;
        }
      }
    }
    return false;
  }

  /** A source position {@code .c:}, {@code .h:} or {@code .S:} at or after {@code from}. */
  private static boolean sourced(String text, int from) {
    for (int colon = text.indexOf(':', from + 2);
        colon >= 0;
        colon = text.indexOf(':', colon + 1)) {
      char c = text.charAt(colon - 1);
      if ((c == 'c' || c == 'h' || c == 'S') && text.charAt(colon - 2) == '.') {
        return true;
      }
    }
    return false;
  }

  /** Literals looked for at one place of a line, by their first char: one lookup a line. */
  static final class Starts {
    private final byte[][][] byFirst = new byte[128][][];

    Starts(List<String> literals) {
      byte[][] all = ascii(literals);
      for (int c = 0; c < 128; c++) {
        int first = c;
        byFirst[c] = java.util.Arrays.stream(all).filter(l -> l[0] == first).toArray(byte[][]::new);
      }
    }

    /** Whether one of the literals is at {@code at} in {@code b[..end)}. */
    boolean at(byte[] b, int at, int end) {
      if (at >= end || b[at] < 0) {
        return false;
      }
      return atAny(b, at, end, byFirst[b[at]]);
    }
  }

  /**
   * The pairs of ASCII chars a pattern read with {@code lookingAt} may start with, found by asking
   * the pattern itself once: a pair it matches, or on which the engine hit the end of the input
   * (more chars could still match), is possible; any other pair rules the line out whatever
   * follows. The third char is asked the same way, for each possible pair the first time a line
   * starts with it. No list of the pattern's literals kept beside it.
   */
  static final class PairStarts {
    private final long[] bits = new long[128 * 128 / 64];
    private final Pattern pattern;

    /** For each possible pair, the third chars that may follow it (each made on first use). */
    private final java.util.concurrent.atomic.AtomicReferenceArray<long[]> thirds =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(128 * 128);

    PairStarts(Pattern p) {
      this.pattern = p;
      for (char c1 = 0; c1 < 128; c1++) {
        Matcher one = p.matcher(String.valueOf(c1));
        if (!one.lookingAt() && !one.hitEnd()) {
          continue;
        }
        for (char c2 = 0; c2 < 128; c2++) {
          Matcher two = p.matcher(new String(new char[] {c1, c2}));
          if (two.lookingAt() || two.hitEnd()) {
            int k = c1 * 128 + c2;
            bits[k >>> 6] |= 1L << (k & 63);
          }
        }
      }
    }

    /** Whether the pattern may match {@code b[from..end)} from {@code from}. */
    boolean may(byte[] b, int from, int end) {
      if (end - from < 2) {
        return true;
      }
      int c1 = b[from];
      int c2 = b[from + 1];
      if (c1 < 0 || c2 < 0) {
        return true;
      }
      int k = c1 * 128 + c2;
      if ((bits[k >>> 6] & (1L << (k & 63))) == 0) {
        return false;
      }
      int c3 = end - from > 2 ? b[from + 2] : -1;
      if (c3 < 0) {
        return true;
      }
      long[] third = thirds.get(k);
      if (third == null) {
        third = thirds((char) c1, (char) c2);
        thirds.set(k, third);
      }
      return (third[c3 >>> 6] & (1L << (c3 & 63))) != 0;
    }

    private long[] thirds(char c1, char c2) {
      long[] third = new long[2];
      for (char c3 = 0; c3 < 128; c3++) {
        Matcher m = pattern.matcher(new String(new char[] {c1, c2, c3}));
        if (m.lookingAt() || m.hitEnd()) {
          third[c3 >>> 6] |= 1L << (c3 & 63);
        }
      }
      return third;
    }
  }
}
