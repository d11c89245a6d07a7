package org.ktriage.ingest.text;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.LogRecord;
import org.ktriage.model.SourceSpan;

/**
 * Strips the prefixes that the kernel, syslog, journald, {@code dmesg} and {@code /dev/kmsg} put
 * before a kernel message, in this order: syslog {@code <N>}; {@code /dev/kmsg} {@code
 * level,seq,usec,flags;}; syslog/journal {@code Mon dd hh:mm:ss host kernel: } or ISO {@code
 * 2019-11-17T05:56:07+0000 host kernel: }; {@code <N>} again; printk time {@code [ sssss.uuuuuu]}
 * or {@code dmesg -T} {@code [Tue Nov 17 05:56:07 2019]}; printk caller id {@code [ T123]}/{@code [
 * C1]} (inside or after the time bracket). Hand-written prefix checks, no regular expression on the
 * common path.
 */
public final class LogLineParser {
  private static final DateTimeFormatter DMESG_T =
      DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ROOT);

  private static final java.util.regex.Pattern PS_ROW =
      java.util.regex.Pattern.compile(">\\s+\\d+\\s+\\d+\\s+\\d+\\s+[0-9a-f]+\\s+[A-Z]{2}\\s");

  private LogLineParser() {}

  /**
   * The fields of one line; {@code timestampNanos} is null when the line carried no printk time.
   */
  public record Parsed(
      @Nullable Long timestampNanos,
      @Nullable Long wallClockEpochSeconds,
      int level,
      @Nullable String callerId,
      String text) {}

  /** Parses one line into a {@link LogRecord}. */
  public static LogRecord record(String line, long seq, String path, int lineNumber) {
    Parsed p = parse(line);
    return new LogRecord(
        seq,
        p.timestampNanos(),
        p.level(),
        p.callerId(),
        p.text(),
        SourceSpan.line(path, lineNumber));
  }

  /** Parses one line into its fields. */
  public static Parsed parse(String line) {
    Cursor c = new Cursor(line);
    c.quote();
    c.level();
    if (!c.kmsg()) {
      c.syslog();
      c.level();
    }
    c.timestamp();
    c.afterTimestampSyslog();
    c.embeddedTimestamp();
    return new Parsed(c.nanos, c.wallSeconds, c.level, c.caller, line.substring(c.i));
  }

  private static final class Cursor {
    final String s;
    final int n;
    int i;
    int level = -1;
    @Nullable Long nanos;
    @Nullable Long wallSeconds;
    @Nullable String caller;
    boolean sawSyslog;

    Cursor(String s) {
      this.s = s;
      this.n = s.length();
    }

    char at(int k) {
      return k < n ? s.charAt(k) : '\0';
    }

    static boolean digit(char c) {
      return c >= '0' && c <= '9';
    }

    /**
     * E-mail and markdown quoting ({@code > }, {@code >> }) before pasted kernel or crash text;
     * crash's {@code ps} marks running tasks with a leading {@code >}, which is kept.
     */
    void quote() {
      if (at(i) != '>') {
        return;
      }
      int j = i;
      while (at(j) == '>') {
        j++;
        if (at(j) == ' ') {
          j++;
        }
      }
      if (PS_ROW.matcher(s).lookingAt()) {
        return;
      }
      i = j;
    }

    /** {@code <N>} with N up to 3 digits. */
    void level() {
      if (at(i) != '<' || !digit(at(i + 1))) {
        return;
      }
      int j = i + 1;
      int v = 0;
      while (j < n && j < i + 4 && digit(s.charAt(j))) {
        v = v * 10 + (s.charAt(j) - '0');
        j++;
      }
      if (at(j) != '>') {
        return;
      }
      level = v & 7;
      i = j + 1;
    }

    /** {@code level,seq,usec,flags;} of /dev/kmsg. */
    boolean kmsg() {
      if (!digit(at(i))) {
        return false;
      }
      int j = i;
      long[] nums = new long[3];
      for (int k = 0; k < 3; k++) {
        int start = j;
        long v = 0;
        while (j < n && digit(s.charAt(j)) && j - start < 20) {
          v = v * 10 + (s.charAt(j) - '0');
          j++;
        }
        if (j == start || at(j) != ',') {
          return false;
        }
        nums[k] = v;
        j++;
      }
      int flagsStart = j;
      while (j < n && j - flagsStart < 48 && s.charAt(j) != ';' && s.charAt(j) != ' ') {
        j++;
      }
      if (at(j) != ';') {
        return false;
      }
      level = (int) (nums[0] & 7);
      nanos = nums[2] * 1000L;
      i = j + 1;
      // caller id as a kmsg field: "…,-,caller=T123;"
      String head = s.substring(flagsStart, j);
      int ci = head.indexOf("caller=");
      if (ci >= 0) {
        caller = head.substring(ci + 7);
      }
      return true;
    }

    /** {@code Mmm dd hh:mm:ss[.frac] host tag: } or ISO {@code yyyy-mm-ddThh:mm:ss… host tag: }. */
    void syslog() {
      int j = i;
      char c = at(j);
      if (c >= 'A' && c <= 'Z') {
        // "Nov 17 05:56:07 "
        if (!(Character.isLetter(at(j + 1)) && Character.isLetter(at(j + 2)) && at(j + 3) == ' ')) {
          return;
        }
        j += 4;
        if (at(j) == ' ') {
          j++;
        }
        if (!digit(at(j))) {
          return;
        }
        while (digit(at(j))) {
          j++;
        }
        if (at(j) != ' ') {
          return;
        }
        j++;
        int t = clock(j);
        if (t < 0) {
          return;
        }
        j = t;
      } else if (digit(c) && at(j + 4) == '/' && at(j + 7) == '/' && at(j + 10) == ' ') {
        // a fuzzer or tool log prefix "2018/01/09 14:28:48 " before kernel text
        int t = clock(j + 11);
        if (t > 0 && at(t) == ' ') {
          i = t + 1;
        }
        return;
      } else if (digit(c)) {
        // 2019-11-17T05:56:07[.123][+0000|+00:00|Z]
        if (!(digit(at(j + 1))
            && digit(at(j + 2))
            && digit(at(j + 3))
            && at(j + 4) == '-'
            && at(j + 7) == '-'
            && (at(j + 10) == 'T' || at(j + 10) == ' '))) {
          return;
        }
        int t = clock(j + 11);
        if (t < 0) {
          return;
        }
        j = t;
        if (at(j) == 'Z') {
          j++;
        } else if (at(j) == '+' || at(j) == '-') {
          j++;
          while (digit(at(j)) || at(j) == ':') {
            j++;
          }
        }
      } else {
        return;
      }
      if (at(j) != ' ') {
        return;
      }
      j++;
      hostAndTag(j);
    }

    /** After a syslog time: {@code host kernel: }; other tags keep the whole line as text. */
    private void hostAndTag(int j) {
      int hostEnd = s.indexOf(' ', j);
      if (hostEnd < 0) {
        return;
      }
      int tagStart = hostEnd + 1;
      int colon = s.indexOf(": ", tagStart);
      if (colon < 0 || colon - tagStart > 64) {
        if (s.startsWith("kernel:", tagStart)) {
          i = tagStart + 7;
          sawSyslog = true;
        }
        return;
      }
      String tag = s.substring(tagStart, colon);
      if (tag.equals("kernel") || tag.startsWith("kernel[")) {
        i = colon + 2;
        sawSyslog = true;
      }
    }

    /** {@code hh:mm:ss[.frac]} at j; index after it or -1. */
    private int clock(int j) {
      if (!(digit(at(j))
          && digit(at(j + 1))
          && at(j + 2) == ':'
          && digit(at(j + 3))
          && digit(at(j + 4))
          && at(j + 5) == ':'
          && digit(at(j + 6))
          && digit(at(j + 7)))) {
        return -1;
      }
      j += 8;
      if (at(j) == '.' || at(j) == ',') {
        j++;
        while (digit(at(j))) {
          j++;
        }
      }
      return j;
    }

    /** {@code [ sssss.uuuuuu]}, {@code [Tue Nov 17 05:56:07 2019]}, then an optional caller id. */
    void timestamp() {
      if (at(i) != '[') {
        return;
      }
      int j = i + 1;
      while (at(j) == ' ') {
        j++;
      }
      char c = at(j);
      if (digit(c)) {
        long secs = 0;
        int start = j;
        while (digit(at(j)) && j - start < 12) {
          secs = secs * 10 + (s.charAt(j) - '0');
          j++;
        }
        if (at(j) != '.') {
          return;
        }
        j++;
        long frac = 0;
        int fs = j;
        while (digit(at(j)) && j - fs < 9) {
          frac = frac * 10 + (s.charAt(j) - '0');
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
        String inner = null;
        if (at(j) == ' ' || at(j) == ',') {
          int k = j;
          while (at(k) == ' ' || at(k) == ',') {
            k++;
          }
          int idEnd = callerIdEnd(k);
          if (idEnd > 0 && at(idEnd) == ']') {
            inner = s.substring(k, idEnd);
            j = idEnd;
          } else {
            j = afterNum;
          }
        }
        if (at(j) != ']') {
          return;
        }
        nanos = secs * 1_000_000_000L + frac;
        caller = inner;
        i = j + 1;
        callerAfter();
        skipOneSpace();
      } else if (c >= 'A' && c <= 'Z') {
        int close = s.indexOf(']', j);
        if (close < 0 || close - j > 32) {
          return;
        }
        String when = s.substring(j, close).replaceAll("\\s+", " ");
        // the weekday is dropped: some tools print a wrong one, and the date says it all
        int sp = when.indexOf(' ');
        when = sp < 0 ? when : when.substring(sp + 1);
        try {
          wallSeconds = LocalDateTime.parse(when, DMESG_T).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          return;
        }
        i = close + 1;
        callerAfter();
        skipOneSpace();
      } else if (c == 'T' || c == 'C') {
        // caller id without time
        callerAfter();
      }
    }

    /** {@code T123} or {@code C1} starting at k; index after it or -1. */
    private int callerIdEnd(int k) {
      char c = at(k);
      if (c != 'T' && c != 'C') {
        return -1;
      }
      int j = k + 1;
      while (digit(at(j))) {
        j++;
      }
      return j > k + 1 ? j : -1;
    }

    /** Optional {@code [ T123]} directly or after one space. */
    private void callerAfter() {
      int j = i;
      if (at(j) == ' ' && at(j + 1) == '[') {
        j++;
      }
      if (at(j) != '[') {
        return;
      }
      int k = j + 1;
      while (at(k) == ' ') {
        k++;
      }
      int end = callerIdEnd(k);
      if (end < 0 || at(end) != ']') {
        return;
      }
      caller = s.substring(k, end);
      i = end + 1;
    }

    private void skipOneSpace() {
      if (at(i) == ' ') {
        i++;
      }
    }

    /**
     * A printk time later in the line ({@code syzkaller login: [ 16.3] INFO: …}, {@code ** 12
     * printk messages dropped ** [ 60.1] …}): console output of another writer ran into the kernel
     * line; the kernel text starts at the last such time.
     */
    void embeddedTimestamp() {
      boolean leading = nanos != null;
      int k = s.indexOf('[', i + 1);
      while (k > 0) {
        int save = i;
        Long saveNanos = nanos;
        String saveCaller = caller;
        i = k;
        nanos = null;
        timestamp();
        if (nanos != null) {
          // with a time of its own, the line keeps its text unless only the later part is a report
          if (leading
              && (ReportFormats.match(s, ReportBuilder.firstNonSpace(s, save)) != null
                  || ReportFormats.match(s, i) == null)) {
            i = save;
            nanos = saveNanos;
            caller = saveCaller;
            return;
          }
          k = s.indexOf('[', i);
          continue;
        }
        i = save;
        nanos = saveNanos;
        caller = saveCaller;
        k = s.indexOf('[', k + 1);
      }
    }

    /** {@code journalctl -o short-monotonic}: {@code [ 12.345678] host kernel: text}. */
    void afterTimestampSyslog() {
      if (sawSyslog || nanos == null) {
        return;
      }
      // the host name is one token: look for " kernel: " right after it
      int end = Math.min(n, i + 65);
      for (int k = i; k < end; k++) {
        char ch = s.charAt(k);
        if (ch == ' ') {
          if (s.startsWith(" kernel: ", k)) {
            i = k + 9;
            level();
          }
          return;
        }
      }
    }
  }
}
