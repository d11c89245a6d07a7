package org.ktriage.ingest.text;

import java.util.List;

/**
 * Whether a line could start {@code crash} output ({@link CrashSessionParser}): a prompt, a {@code
 * dis} line, a {@code bt} or {@code ps} header, a {@code sys} row, a {@code mod} header. Asked of
 * every line outside a listing, on the line's text or, for a plain line, on its bytes.
 */
final class CrashShapes {
  private CrashShapes() {}

  private static final int SYS_COLON = CrashSessionParser.SYS_COLON;

  private static final byte[] CRASH = ReportShapes.ascii("crash");
  private static final byte[] HEX = ReportShapes.ascii("0x");
  private static final byte[][] P_STARTS = ReportShapes.ascii(List.of("PID", "PANIC: "));
  private static final byte[][] M_STARTS =
      ReportShapes.ascii(List.of("MODULE", "MACHINE: ", "MEMORY: "));
  private static final byte[][] SYS_LABELS =
      ReportShapes.ascii(List.copyOf(CrashSessionParser.SYS_LABELS));

  /** Whether the line could start crash output: a prompt, a {@code sys} row, a table header. */
  static boolean mayStart(String text, int from) {
    if (from >= text.length()) {
      return false;
    }
    char c = text.charAt(from);
    if (c == 'c') {
      return text.startsWith("crash", from);
    }
    if (c == '0') {
      return text.startsWith("0x", from); // a dis line
    }
    if (c == 'P') {
      return text.startsWith("PID", from) || text.startsWith("PANIC: ", from);
    }
    if (c == 'M') {
      return text.startsWith("MODULE", from)
          || text.startsWith("MACHINE: ", from)
          || text.startsWith("MEMORY: ", from);
    }
    // sys rows: the label ends in column 12 (give or take a quoting space)
    for (int k = SYS_COLON - 2; k <= SYS_COLON + 1 && k + 1 < text.length(); k++) {
      if (text.charAt(k) == ':' && text.charAt(k + 1) == ' ') {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link #mayStart(String, int)} on a plain line's bytes, its text {@code b[start..n)}, {@code
   * from} the text's first non-blank; a {@code sys} row only when its label is one (a boot line
   * such as {@code x86/fpu: xstate_offset[2]: …} is not, and would be passed on to the log anyway).
   */
  static boolean mayStart(byte[] b, int start, int from, int n) {
    if (from >= n) {
      return false;
    }
    return switch (b[from]) {
      case 'c' -> ReportShapes.at(b, from, n, CRASH);
      case '0' -> ReportShapes.at(b, from, n, HEX);
      case 'P' -> ReportShapes.atAny(b, from, n, P_STARTS);
      case 'M' -> ReportShapes.atAny(b, from, n, M_STARTS);
      default -> sysLabel(b, start, sysColon(b, start, n));
    };
  }

  /**
   * {@link #mayStart(byte[], int, int, int)} on the cursor's line (its text from {@code c.i}), the
   * {@code sys} row's colon found among the line's marks when they are known.
   */
  static boolean mayStart(LineCursor c, int from) {
    byte[] b = c.b;
    int n = c.n;
    if (from >= n) {
      return false;
    }
    byte first = b[from];
    if (first == 'c' || first == '0' || first == 'P' || first == 'M' || !c.marksKnown()) {
      return mayStart(b, c.i, from, n);
    }
    int start = c.i;
    int colon = -1;
    for (int j = 0; j < c.markCount; j++) {
      int k = c.marks[j];
      if (k < start || b[k] != ':') {
        continue;
      }
      if (k + 1 >= n || k - start > SYS_COLON + 1) {
        break;
      }
      if (b[k + 1] == ' ') {
        colon = k;
        break;
      }
    }
    return sysLabel(b, start, colon);
  }

  /**
   * The first {@code ": "} of the text {@code b[start..n)} within the row's colon column, or -1.
   */
  private static int sysColon(byte[] b, int start, int n) {
    for (int k = start; k + 1 < n && k - start <= SYS_COLON + 1; k++) {
      if (b[k] == ':' && b[k + 1] == ' ') {
        return k;
      }
    }
    return -1;
  }

  /**
   * Whether the text {@code b[start..n)} reads as a {@code sys} row to {@code sysField}: its first
   * {@code ": "} ({@code colon}, -1: none) in the row's colon column, a known label before it.
   */
  private static boolean sysLabel(byte[] b, int start, int colon) {
    if (colon - start < SYS_COLON - 2) {
      return false;
    }
    int from = start;
    int to = colon;
    while (from < to && (b[from] == ' ' || b[from] == '\t')) {
      from++;
    }
    while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
      to--;
    }
    for (byte[] label : SYS_LABELS) {
      if (label.length == to - from && ReportShapes.at(b, from, to, label)) {
        return true;
      }
    }
    return false;
  }
}
