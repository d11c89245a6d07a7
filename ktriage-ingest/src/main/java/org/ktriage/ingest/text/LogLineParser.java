package org.ktriage.ingest.text;

import java.nio.charset.StandardCharsets;
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

  /** Syslog severity names in level order (RFC 5424 §6.2.1; BusyBox prints them as kern.NAME). */
  private static final java.util.List<String> SYSLOG_LEVELS =
      java.util.List.of("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug");

  private static final java.util.regex.Pattern HUMAN_MINUTE =
      java.util.regex.Pattern.compile("[A-Z][a-z]{2} {1,2}\\d{1,2} \\d{2}:\\d{2}");

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
    return record(line, null, seq, path, lineNumber);
  }

  /**
   * Parses one line into a {@link LogRecord}; {@code latin1}, when not null, holds the line's chars
   * one byte each from index 0 ({@link LineReader#lastLineBytes}), read instead of a copy.
   */
  static LogRecord record(
      String line, byte @Nullable [] latin1, long seq, String path, int lineNumber) {
    Parsed p = parse(line, latin1);
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
    return parse(line, null);
  }

  private static Parsed parse(String line, byte @Nullable [] latin1) {
    Cursor c = new Cursor(line, latin1);
    c.quote();
    int unindented = c.i;
    c.indent();
    int indented = c.i;
    c.consoleClock();
    c.bareSeconds();
    c.level();
    if (!c.kmsg()) {
      c.syslog();
      c.gluedKernelTag();
      c.level();
    }
    c.timestamp();
    c.afterTimestampSyslog();
    c.embeddedTimestamp();
    if (indented > unindented && c.i == indented && !c.recognized()) {
      // blanks before ordinary text are part of it (" <IRQ>", " [<ffffffff…>] frame")
      c.i = unindented;
    }
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

    /** A printk time bracket without an absolute time was read: {@code []}, {@code [ +0.5]}. */
    boolean sawStamp;

    /**
     * The line's chars as bytes, one per char (a char above 0xff as {@code ?}, compared with ASCII
     * only): every prefix read here is ASCII, and an array read costs less than {@code
     * String.charAt} on every char.
     */
    final byte[] b;

    Cursor(String s, byte @Nullable [] latin1) {
      this.s = s;
      this.n = s.length();
      if (latin1 != null && latin1.length >= n) {
        this.b = latin1;
        return;
      }
      byte[] latin = s.getBytes(StandardCharsets.ISO_8859_1);
      if (latin.length != n) {
        // a surrogate pair encodes as one '?': keep one byte per char so indices stay the same
        latin = new byte[n];
        for (int k = 0; k < n; k++) {
          char c = s.charAt(k);
          latin[k] = c > 0xff ? (byte) '?' : (byte) c;
        }
      }
      this.b = latin;
    }

    char at(int k) {
      return k < n ? (char) (b[k] & 0xff) : '\0';
    }

    /** An upper-case letter at k, read from the string (any script, as {@link #b} has not). */
    boolean upper(int k) {
      return k < n && Character.isUpperCase(s.charAt(k));
    }

    static boolean digit(char c) {
      return c >= '0' && c <= '9';
    }

    /**
     * E-mail and markdown quoting ({@code > }, {@code >> }, and the {@code | } bar that kernel
     * mailing-list posts put before a pasted log) before pasted kernel or crash text; crash's
     * {@code ps} marks running tasks with a leading {@code >}, which is kept.
     */
    void quote() {
      if (at(i) != '>' && !bar(i)) {
        return;
      }
      int j = i;
      while (at(j) == '>' || bar(j)) {
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

    /** A quoting bar: {@code |} then a blank (a table's {@code |col|} is not one). */
    boolean bar(int k) {
      return at(k) == '|' && (at(k + 1) == ' ' || k + 1 == n);
    }

    /** Whether any prefix was read (a time, level, caller id or syslog tag). */
    boolean recognized() {
      return nanos != null
          || wallSeconds != null
          || level >= 0
          || caller != null
          || sawSyslog
          || sawStamp;
    }

    /**
     * Blanks before a prefix: a log pasted indented into a ticket or a Markdown code block. Undone
     * by {@link #parse} when no prefix follows.
     */
    void indent() {
      int j = i;
      while (at(j) == ' ' || at(j) == '\t') {
        j++;
      }
      if (j == i) {
        return;
      }
      char c = at(j);
      boolean prefix =
          (c == '['
                  && (digit(at(j + 1))
                      || at(j + 1) == ' '
                      || at(j + 1) == ']'
                      || at(j + 1) == '+'
                      || upper(j + 1)))
              || bareSecondsEnd(j) > 0
              || SyslogStamp.end(s, j) > 0
              || (c == '<' && digit(at(j + 1)))
              || s.startsWith("kernel:", j)
              || SyslogStamp.clock(s, j) > 0;
      if (prefix) {
        i = j;
      }
    }

    /**
     * A bare wall-clock time a console logger puts before each line (LAVA and other CI serial
     * captures: {@code 22:55:37.474589 <1>[ 5.816009] …}); taken only when a kernel prefix follows.
     */
    void consoleClock() {
      int t = SyslogStamp.clock(s, i);
      if (t < 0 || at(t) != ' ') {
        return;
      }
      int j = t;
      while (at(j) == ' ') {
        j++;
      }
      if ((at(j) == '<' && digit(at(j + 1)))
          || (at(j) == '[' && (digit(at(j + 1)) || at(j + 1) == ' '))) {
        i = j;
      }
    }

    /**
     * The syslog tag glued to the message, as syslogd's console broadcast prints it ({@code Message
     * from syslogd@host at …} then {@code kernel:NMI watchdog: BUG: soft lockup …}).
     */
    void gluedKernelTag() {
      if (sawSyslog || !s.startsWith("kernel:", i)) {
        return;
      }
      i += 7;
      sawSyslog = true;
      skipOneSpace();
    }

    /** {@code <N>} with N up to 3 digits. */
    void level() {
      if (at(i) != '<' || !digit(at(i + 1))) {
        return;
      }
      int j = i + 1;
      int v = 0;
      while (j < n && j < i + 4 && digit(at(j))) {
        v = v * 10 + (at(j) - '0');
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
        while (j < n && digit(at(j)) && j - start < 20) {
          v = v * 10 + (at(j) - '0');
          j++;
        }
        if (j == start || at(j) != ',') {
          return false;
        }
        nums[k] = v;
        j++;
      }
      int flagsStart = j;
      while (j < n && j - flagsStart < 48 && at(j) != ';' && at(j) != ' ') {
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

    /**
     * {@code Mmm dd hh:mm:ss[.frac] host tag: } or ISO {@code yyyy-mm-ddThh:mm:ss… host tag: }
     * ({@link SyslogStamp}); a tool's {@code yyyy/mm/dd hh:mm:ss } prefix has no host or tag.
     */
    void syslog() {
      int tool = SyslogStamp.toolPrefixEnd(s, i);
      if (tool >= 0) {
        i = tool;
        return;
      }
      int j = SyslogStamp.end(s, i);
      if (j < 0 || at(j) != ' ') {
        return;
      }
      hostAndTag(j + 1);
    }

    /**
     * After a syslog time: {@code host kernel: }, BusyBox/OpenWrt {@code host kern.warn kernel: }
     * or {@code kern.warn kernel: } without a host; other tags keep the whole line as text.
     */
    private void hostAndTag(int j) {
      int k = j;
      int facilityLevel = -1;
      for (int token = 0; token < 3 && k < n; token++) {
        if (s.startsWith("kernel:", k)) {
          i = k + 7;
          sawSyslog = true;
          skipOneSpace();
          if (level < 0 && facilityLevel >= 0) {
            level = facilityLevel;
          }
          return;
        }
        if (s.startsWith("kernel[", k)) {
          int close = s.indexOf("]: ", k);
          if (close > 0 && close - k < 16) {
            i = close + 3;
            sawSyslog = true;
          }
          return;
        }
        if (token > 0 && at(k) == '[' && (digit(at(k + 1)) || at(k + 1) == ' ')) {
          // a remote log without tag: "Aug 29 18:25:03 10.0.0.15 [  956.128533] …" (netconsole
          // received by a syslog daemon)
          i = k;
          sawSyslog = true;
          return;
        }
        int sp = s.indexOf(' ', k);
        if (sp < 0 || sp - k > 64 || at(sp - 1) == ':') {
          return;
        }
        if (s.startsWith("kern.", k)) {
          facilityLevel = SYSLOG_LEVELS.indexOf(s.substring(k + 5, sp));
        }
        k = sp + 1;
      }
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
          secs = secs * 10 + (at(j) - '0');
          j++;
        }
        if (at(j) != '.') {
          return;
        }
        j++;
        long frac = 0;
        int fs = j;
        while (digit(at(j)) && j - fs < 9) {
          frac = frac * 10 + (at(j) - '0');
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
            // "[   63.211405 ]": blanks before the bracket closes (a log collector's padding)
            j = afterNum;
            while (at(j) == ' ') {
              j++;
            }
          }
        }
        if (at(j) != ']') {
          return;
        }
        nanos = secs * 1_000_000_000L + frac;
        caller = inner;
        i = j + 1;
        if (at(i) == ':' && at(i + 1) == ' ') {
          // "[10086.884661]: " as sdb and some log collectors print it
          i++;
        }
        leakedLevel();
        callerAfter();
        skipOneSpace();
        vendorCpuTask();
      } else if (c == ']') {
        // "[] BUG: …": the time was cut out of the bracket (a paste that kept the brackets)
        sawStamp = true;
        i = j + 1;
        skipOneSpace();
      } else if (c == '+' && relativeEnd(j + 1) > 0) {
        // dmesg --human/--reltime: "[  +0.000009]", the time since the line before; no absolute
        // time (util-linux dmesg.c print_timestamp, DMESG_TIMEFTM_RELTIME)
        sawStamp = true;
        i = relativeEnd(j + 1) + 1;
        skipOneSpace();
      } else if (callerIdEnd(j) > 0 && at(callerIdEnd(j)) == ']') {
        // caller id without time: "[  T661] BUG: …" (printk.time=0 with CONFIG_PRINTK_CALLER)
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
          // dmesg --human's "[Oct 2 02:15]" before the first line of each minute: no year, no
          // seconds (util-linux dmesg.c, DMESG_TIMEFTM_RELTIME)
          if (!HUMAN_MINUTE.matcher(s).region(j, close).matches()) {
            return;
          }
          sawStamp = true;
        }
        i = close + 1;
        callerAfter();
        skipOneSpace();
      }
    }

    /** {@code secs.frac} then {@code ]} at k (blanks allowed around); the index of the bracket. */
    private int relativeEnd(int k) {
      int j = k;
      int d = j;
      while (digit(at(j)) && j - d < 12) {
        j++;
      }
      if (j == d || at(j) != '.') {
        return -1;
      }
      j++;
      int f = j;
      while (digit(at(j)) && j - f < 9) {
        j++;
      }
      if (j == f) {
        return -1;
      }
      while (at(j) == ' ') {
        j++;
      }
      return at(j) == ']' ? j : -1;
    }

    /**
     * A printk level character left after a time bracket with no blank after it ({@code
     * [17179954.674331]dCPU: 0 PID: …}): a console writer that dropped the {@code KERN_SOH} byte
     * but kept the level (0-7, {@code d} for KERN_DEFAULT, {@code c} for KERN_CONT;
     * include/linux/kern_levels.h); taken only before a capital, where a message starts.
     */
    private void leakedLevel() {
      char c = at(i);
      if (((c >= '0' && c <= '7') || c == 'c' || c == 'd') && upper(i + 1)) {
        i++;
      }
    }

    /**
     * A time in seconds without brackets followed by a colon, {@code 191.784789: <2> …}, as ramdump
     * and last-kmsg parsers print the printk time (six digits of fraction, printk's {@code %06lu});
     * the index after the colon and its blanks, or -1.
     */
    int bareSecondsEnd(int k) {
      int j = k;
      while (digit(at(j)) && j - k < 12) {
        j++;
      }
      if (j == k || at(j) != '.') {
        return -1;
      }
      j++;
      int f = j;
      while (digit(at(j))) {
        j++;
      }
      if (j - f != 6 || at(j) != ':' || at(j + 1) != ' ') {
        return -1;
      }
      j++;
      while (at(j) == ' ') {
        j++;
      }
      return j;
    }

    /** See {@link #bareSecondsEnd}: takes the time. */
    void bareSeconds() {
      int end = bareSecondsEnd(i);
      if (end < 0) {
        return;
      }
      int dot = s.indexOf('.', i);
      long secs = Long.parseLong(s.substring(i, dot));
      long micros = Long.parseLong(s.substring(dot + 1, dot + 7));
      nanos = secs * 1_000_000_000L + micros * 1000L;
      i = end;
      if (at(i) == '<') {
        // the level and one blank that separates it from the text
        level();
        skipOneSpace();
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
      if (end < 0 && j == i && k == j + 1 && digit(at(k))) {
        // "[  183.060000][0]": a vendor printk (AVM) that puts the CPU number right after the time
        end = k;
        while (digit(at(end)) && end - k < 4) {
          end++;
        }
        if (at(end) == ']') {
          caller = "C" + s.substring(k, end);
          i = end + 1;
        }
        return;
      }
      if (end < 0 || at(end) != ']') {
        return;
      }
      caller = s.substring(k, end);
      i = end + 1;
    }

    /**
     * MediaTek's printk prefix after the time: {@code (cpu)[pid:comm]} (Android kernels, in {@code
     * last_kmsg} and console-ramoops); a Markdown paste may escape the parentheses. The task id
     * becomes the caller id, as {@code CONFIG_PRINTK_CALLER} would give it.
     */
    private void vendorCpuTask() {
      int j = i;
      if (at(j) == '\\') {
        j++;
      }
      if (at(j) != '(' || !digit(at(j + 1))) {
        return;
      }
      j++;
      while (digit(at(j))) {
        j++;
      }
      if (at(j) == '\\') {
        j++;
      }
      if (at(j) != ')' || at(j + 1) != '[' || !digit(at(j + 2))) {
        return;
      }
      int pid = j + 2;
      int k = pid;
      while (digit(at(k))) {
        k++;
      }
      if (at(k) != ':') {
        return;
      }
      int close = s.indexOf(']', k);
      if (close < 0 || close - k > 17) {
        return;
      }
      caller = "T" + s.substring(pid, k);
      i = close + 1;
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
        boolean saveStamp = sawStamp;
        i = k;
        nanos = null;
        timestamp();
        sawStamp = saveStamp;
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
        char ch = at(k);
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
