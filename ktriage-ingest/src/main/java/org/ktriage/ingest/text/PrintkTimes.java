package org.ktriage.ingest.text;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The time forms before a kernel message, read at a {@link LineCursor}: the printk time bracket
 * {@code [ sssss.uuuuuu]} (kernel/printk/printk.c print_time) with the caller id inside or after
 * it, {@code dmesg -T}, {@code --human} and {@code --reltime} brackets (util-linux dmesg.c), a bare
 * {@code secs.usecs:} time, and a printk time later in the line.
 */
final class PrintkTimes {

  private PrintkTimes() {}

  private static final DateTimeFormatter DMESG_T =
      DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ROOT);
  private static final java.util.regex.Pattern HUMAN_MINUTE =
      java.util.regex.Pattern.compile("[A-Z][a-z]{2} {1,2}\\d{1,2} \\d{2}:\\d{2}");

  /** {@code [ sssss.uuuuuu]}, {@code [Tue Nov 17 05:56:07 2019]}, then an optional caller id. */
  static void timestamp(LineCursor cur) {
    if (cur.at(cur.i) != '[') {
      return;
    }
    int j = cur.i + 1;
    while (cur.at(j) == ' ') {
      j++;
    }
    char c = cur.at(j);
    if (LineCursor.digit(c)) {
      printkTime(cur, j);
    } else if (c == ']') {
      // "[] BUG: …": the time was cut out of the bracket (a paste that kept the brackets)
      cur.sawStamp = true;
      cur.i = j + 1;
      cur.skipOneSpace();
    } else if (c == '+' && relativeEnd(cur, j + 1) > 0) {
      // dmesg --human/--reltime: "[  +0.000009]", the time since the line before; no absolute
      // time (util-linux dmesg.c print_timestamp, DMESG_TIMEFTM_RELTIME)
      cur.sawStamp = true;
      cur.i = relativeEnd(cur, j + 1) + 1;
      cur.skipOneSpace();
    } else if (c == '<' && deltaEnd(cur, j + 1) > 0) {
      // dmesg --time-format=delta: "[<    0.000123>]", the time since the line before
      // (util-linux dmesg.c print_timestamp, DMESG_TIMEFTM_DELTA); no absolute time
      cur.sawStamp = true;
      cur.i = deltaEnd(cur, j + 1) + 1;
      cur.skipOneSpace();
    } else if (cur.callerIdEnd(j) > 0 && cur.at(cur.callerIdEnd(j)) == ']') {
      // caller id without time: "[  T661] BUG: …" (printk.time=0 with CONFIG_PRINTK_CALLER)
      cur.callerAfter();
      cur.skipOneSpace();
    } else if (c >= 'A' && c <= 'Z') {
      int close = cur.indexOf(']', j);
      if (close < 0 || close - j > 32) {
        return;
      }
      String when = cur.substring(j, close).replaceAll("\\s+", " ");
      // the weekday is dropped: some tools print a wrong one, and the date says it all
      int sp = when.indexOf(' ');
      when = sp < 0 ? when : when.substring(sp + 1);
      try {
        cur.wallSeconds = LocalDateTime.parse(when, DMESG_T).toEpochSecond(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // dmesg --human's "[Oct 2 02:15]" before the first line of each minute: no year, no
        // seconds (util-linux dmesg.c, DMESG_TIMEFTM_RELTIME)
        if (!HUMAN_MINUTE.matcher(cur).region(j, close).matches()) {
          return;
        }
        cur.sawStamp = true;
      }
      cur.i = close + 1;
      cur.callerAfter();
      cur.skipOneSpace();
    }
  }

  /**
   * The printk time at {@code from} ({@code sssss.uuuuuu}, kernel/printk/printk.c print_time) up to
   * its closing bracket, with a caller id inside the bracket or after it and a vendor's CPU and
   * task.
   */
  private static void printkTime(LineCursor cur, int from) {
    int j = from;
    long secs = 0;
    int start = j;
    while (LineCursor.digit(cur.at(j)) && j - start < 12) {
      secs = secs * 10 + (cur.at(j) - '0');
      j++;
    }
    if (cur.at(j) != '.') {
      return;
    }
    j++;
    long frac = 0;
    int fs = j;
    while (LineCursor.digit(cur.at(j)) && j - fs < 9) {
      frac = frac * 10 + (cur.at(j) - '0');
      j++;
    }
    if (j == fs) {
      return;
    }
    for (int k = j - fs; k < 9; k++) {
      frac *= 10;
    }
    // caller id inside the bracket: "[  12.345678 T123]" or "[  12.345678][ T123]"
    int afterNum = j;
    int inner = -1;
    if (cur.at(j) == ' ' || cur.at(j) == ',') {
      int k = j;
      while (cur.at(k) == ' ' || cur.at(k) == ',') {
        k++;
      }
      int idEnd = cur.callerIdEnd(k);
      if (idEnd > 0 && cur.at(idEnd) == ']') {
        inner = k;
        j = idEnd;
      } else {
        // "[   63.211405 ]": blanks before the bracket closes (a log collector's padding)
        j = afterNum;
        while (cur.at(j) == ' ') {
          j++;
        }
      }
    }
    if (cur.at(j) != ']') {
      return;
    }
    cur.nanos = secs * 1_000_000_000L + frac;
    cur.hasNanos = true;
    if (inner >= 0) {
      cur.caller(inner, j, (char) 0);
    } else {
      cur.noCaller();
    }
    cur.i = j + 1;
    if (cur.at(cur.i) == ':' && cur.at(cur.i + 1) == ' ') {
      // "[10086.884661]: " as sdb and some log collectors print it
      cur.i++;
    }
    leakedLevel(cur);
    cur.callerAfter();
    cur.skipOneSpace();
    LineDresses.vendorCpuTask(cur);
  }

  /** {@code secs.frac} then {@code ]} at k (blanks allowed around); the index of the bracket. */
  /** After {@code [<}: blanks, {@code seconds.fraction}, {@code >]}; the index of the ']' or -1. */
  static int deltaEnd(LineCursor cur, int k) {
    int j = k;
    while (cur.at(j) == ' ' && j - k < 12) {
      j++;
    }
    int d = j;
    while (LineCursor.digit(cur.at(j)) && j - d < 12) {
      j++;
    }
    if (j == d || cur.at(j) != '.') {
      // "[<80101234>]": an arm32 frame's address, all decimal digits, has no fraction
      return -1;
    }
    int f = ++j;
    while (LineCursor.digit(cur.at(j)) && j - f < 9) {
      j++;
    }
    return j > f && cur.at(j) == '>' && cur.at(j + 1) == ']' ? j + 1 : -1;
  }

  static int relativeEnd(LineCursor cur, int k) {
    int j = k;
    int d = j;
    while (LineCursor.digit(cur.at(j)) && j - d < 12) {
      j++;
    }
    if (j == d || cur.at(j) != '.') {
      return -1;
    }
    j++;
    int f = j;
    while (LineCursor.digit(cur.at(j)) && j - f < 9) {
      j++;
    }
    if (j == f) {
      return -1;
    }
    while (cur.at(j) == ' ') {
      j++;
    }
    return cur.at(j) == ']' ? j : -1;
  }

  /**
   * A printk level character left after a time bracket with no blank after it ({@code
   * [17179954.674331]dCPU: 0 PID: …}): a console writer that dropped the {@code KERN_SOH} byte but
   * kept the level (0-7, {@code d} for KERN_DEFAULT, {@code c} for KERN_CONT;
   * include/linux/kern_levels.h); taken only before a capital, where a message starts.
   */
  static void leakedLevel(LineCursor cur) {
    char c = cur.at(cur.i);
    if (((c >= '0' && c <= '7') || c == 'c' || c == 'd') && cur.upper(cur.i + 1)) {
      cur.i++;
    }
  }

  /**
   * A time in seconds without brackets followed by a colon, {@code 191.784789: <2> …}, as ramdump
   * and last-kmsg parsers print the printk time (six digits of fraction, printk's {@code %06lu});
   * the index after the colon and its blanks, or -1.
   */
  static int bareSecondsEnd(LineCursor cur, int k) {
    int j = k;
    while (LineCursor.digit(cur.at(j)) && j - k < 12) {
      j++;
    }
    if (j == k || cur.at(j) != '.') {
      return -1;
    }
    j++;
    int f = j;
    while (LineCursor.digit(cur.at(j))) {
      j++;
    }
    if (j - f != 6 || cur.at(j) != ':' || cur.at(j + 1) != ' ') {
      return -1;
    }
    j++;
    while (cur.at(j) == ' ') {
      j++;
    }
    return j;
  }

  /** See {@link #bareSecondsEnd}: takes the time. */
  static void bareSeconds(LineCursor cur) {
    int end = bareSecondsEnd(cur, cur.i);
    if (end < 0) {
      return;
    }
    // digits, a dot and six digits (bareSecondsEnd): read in place
    long secs = 0;
    int k = cur.i;
    for (; cur.at(k) != '.'; k++) {
      secs = secs * 10 + (cur.at(k) - '0');
    }
    long micros = 0;
    for (int f = k + 1; f < k + 7; f++) {
      micros = micros * 10 + (cur.at(f) - '0');
    }
    cur.nanos = secs * 1_000_000_000L + micros * 1000L;
    cur.hasNanos = true;
    cur.i = end;
    if (cur.at(cur.i) == '<') {
      // the level and one blank that separates it from the text
      cur.level();
      cur.skipOneSpace();
    }
  }

  /**
   * A printk time later in the line ({@code syzkaller login: [ 16.3] INFO: …}, {@code ** 12 printk
   * messages dropped ** [ 60.1] …}): console output of another writer ran into the kernel line; the
   * kernel text starts at the last such time.
   */
  static void embeddedTimestamp(LineCursor cur) {
    boolean leading = cur.hasNanos;
    int k = cur.nextMark('[', cur.i + 1);
    while (k > 0) {
      int save = cur.i;
      long saveNanos = cur.nanos;
      boolean saveHasNanos = cur.hasNanos;
      int saveFrom = cur.callerFrom;
      int saveTo = cur.callerTo;
      char saveTag = cur.callerTag;
      boolean saveStamp = cur.sawStamp;
      cur.i = k;
      cur.hasNanos = false;
      timestamp(cur);
      cur.sawStamp = saveStamp;
      if (cur.hasNanos) {
        // with a time of its own, the line keeps its text unless only the later part is a report
        if (leading) {
          String line = cur.toString();
          if (ReportFormats.match(line, ReportBuilder.firstNonSpace(line, save)) != null
              || ReportFormats.match(line, cur.i) == null) {
            cur.i = save;
            cur.nanos = saveNanos;
            cur.hasNanos = saveHasNanos;
            cur.caller(saveFrom, saveTo, saveTag);
            return;
          }
        }
        k = cur.nextMark('[', cur.i);
        continue;
      }
      cur.i = save;
      cur.nanos = saveNanos;
      cur.hasNanos = saveHasNanos;
      cur.caller(saveFrom, saveTo, saveTag);
      k = cur.nextMark('[', k + 1);
    }
  }
}
