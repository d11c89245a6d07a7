package org.ktriage.ingest.text;

/**
 * The dresses around a kernel message, read at a {@link LineCursor}: e-mail and Markdown quoting,
 * indentation, a console logger's clock, {@code /dev/kmsg} records, syslog and journal prefixes
 * with their host and tag, and vendor printk prefixes.
 */
final class LineDresses {

  private LineDresses() {}

  /** Syslog severity names in level order (RFC 5424 §6.2.1; BusyBox prints them as kern.NAME). */
  private static final java.util.List<String> SYSLOG_LEVELS =
      java.util.List.of("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug");

  private static final java.util.regex.Pattern PS_ROW =
      java.util.regex.Pattern.compile(">\\s+\\d+\\s+\\d+\\s+\\d+\\s+[0-9a-f]+\\s+[A-Z]{2}\\s");

  /**
   * E-mail and markdown quoting ({@code > }, {@code >> }, and the {@code | } bar that kernel
   * mailing-list posts put before a pasted log) before pasted kernel or crash text; crash's {@code
   * ps} marks running tasks with a leading {@code >}, which is kept.
   */
  static void quote(LineCursor cur) {
    if (cur.at(cur.i) != '>' && !cur.bar(cur.i)) {
      return;
    }
    int j = cur.i;
    while (cur.at(j) == '>' || cur.bar(j)) {
      j++;
      if (cur.at(j) == ' ') {
        j++;
      }
    }
    if (PS_ROW.matcher(cur).lookingAt()) {
      return;
    }
    cur.i = j;
  }

  /**
   * Blanks before a prefix: a log pasted indented into a ticket or a Markdown code block. Undone by
   * {@link LogLineParser#parse(String)} when no prefix follows.
   */
  static void indent(LineCursor cur) {
    int j = cur.i;
    while (cur.at(j) == ' ' || cur.at(j) == '\t') {
      j++;
    }
    if (j == cur.i) {
      return;
    }
    char c = cur.at(j);
    boolean prefix =
        (c == '['
                && (LineCursor.digit(cur.at(j + 1))
                    || cur.at(j + 1) == ' '
                    || cur.at(j + 1) == ']'
                    || cur.at(j + 1) == '+'
                    || cur.upper(j + 1)))
            || PrintkTimes.bareSecondsEnd(cur, j) > 0
            || SyslogStamp.end(cur, j) > 0
            || (c == '<' && LineCursor.digit(cur.at(j + 1)))
            || cur.startsWith("kernel:", j)
            || SyslogStamp.clock(cur, j) > 0;
    if (prefix) {
      cur.i = j;
    }
  }

  /**
   * A bare wall-clock time a console logger puts before each line (LAVA and other CI serial
   * captures: {@code 22:55:37.474589 <1>[ 5.816009] …}); taken only when a kernel prefix follows.
   */
  static void consoleClock(LineCursor cur) {
    int t = SyslogStamp.clock(cur, cur.i);
    if (t < 0 || cur.at(t) != ' ') {
      return;
    }
    int j = t;
    while (cur.at(j) == ' ') {
      j++;
    }
    if ((cur.at(j) == '<' && LineCursor.digit(cur.at(j + 1)))
        || (cur.at(j) == '[' && (LineCursor.digit(cur.at(j + 1)) || cur.at(j + 1) == ' '))) {
      cur.i = j;
    }
  }

  /**
   * The syslog tag glued to the message, as syslogd's console broadcast prints it ({@code Message
   * from syslogd@host at …} then {@code kernel:NMI watchdog: BUG: soft lockup …}).
   */
  static void gluedKernelTag(LineCursor cur) {
    if (cur.sawSyslog || !cur.startsWith("kernel:", cur.i)) {
      return;
    }
    cur.i += 7;
    cur.sawSyslog = true;
    cur.skipOneSpace();
  }

  /** {@code level,seq,usec,flags;} of /dev/kmsg. */
  static boolean kmsg(LineCursor cur) {
    if (!LineCursor.digit(cur.at(cur.i))) {
      return false;
    }
    int j = cur.i;
    long[] nums = new long[3];
    for (int k = 0; k < 3; k++) {
      int start = j;
      long v = 0;
      while (j < cur.n && LineCursor.digit(cur.at(j)) && j - start < 20) {
        v = v * 10 + (cur.at(j) - '0');
        j++;
      }
      if (j == start || cur.at(j) != ',') {
        return false;
      }
      nums[k] = v;
      j++;
    }
    int flagsStart = j;
    while (j < cur.n && j - flagsStart < 48 && cur.at(j) != ';' && cur.at(j) != ' ') {
      j++;
    }
    if (cur.at(j) != ';') {
      return false;
    }
    cur.level = (int) (nums[0] & 7);
    cur.nanos = nums[2] * 1000L;
    cur.hasNanos = true;
    cur.i = j + 1;
    // caller id as a kmsg field: "…,-,caller=T123;"
    int ci = cur.indexOf("caller=", flagsStart);
    if (ci >= 0 && ci + 7 <= j) {
      cur.caller(ci + 7, j, (char) 0);
    }
    return true;
  }

  /**
   * {@code Mmm dd hh:mm:ss[.frac] host tag: } or ISO {@code yyyy-mm-ddThh:mm:ss… host tag: }
   * ({@link SyslogStamp}); a tool's {@code yyyy/mm/dd hh:mm:ss } prefix has no host or tag.
   */
  static void syslog(LineCursor cur) {
    int tool = SyslogStamp.toolPrefixEnd(cur, cur.i);
    if (tool >= 0) {
      cur.i = tool;
      return;
    }
    int j = SyslogStamp.end(cur, cur.i);
    if (j < 0 || cur.at(j) != ' ') {
      return;
    }
    if (SyslogStamp.dmesgIso(cur, cur.i)) {
      // dmesg --time-format=iso: the kernel's message right after the time, no host or tag
      cur.i = j + 1;
      cur.sawStamp = true;
      return;
    }
    hostAndTag(cur, j + 1);
  }

  /**
   * After a syslog time: {@code host kernel: }, BusyBox/OpenWrt {@code host kern.warn kernel: } or
   * {@code kern.warn kernel: } without a host; other tags keep the whole line as text.
   */
  static void hostAndTag(LineCursor cur, int j) {
    int k = j;
    int facilityLevel = -1;
    for (int token = 0; token < 3 && k < cur.n; token++) {
      if (cur.startsWith("kernel:", k)) {
        cur.i = k + 7;
        cur.sawSyslog = true;
        cur.skipOneSpace();
        if (cur.level < 0 && facilityLevel >= 0) {
          cur.level = facilityLevel;
        }
        return;
      }
      if (cur.startsWith("kernel[", k)) {
        int close = cur.indexOf("]: ", k);
        if (close > 0 && close - k < 16) {
          cur.i = close + 3;
          cur.sawSyslog = true;
        }
        return;
      }
      if (token > 0
          && cur.at(k) == '['
          && (LineCursor.digit(cur.at(k + 1)) || cur.at(k + 1) == ' ')) {
        // a remote log without tag: "Aug 29 18:25:03 10.0.0.15 [  956.128533] …" (netconsole
        // received by a syslog daemon)
        cur.i = k;
        cur.sawSyslog = true;
        return;
      }
      int sp = cur.indexOf(' ', k);
      if (sp < 0 || sp - k > 64 || cur.at(sp - 1) == ':') {
        return;
      }
      if (cur.startsWith("kern.", k)) {
        facilityLevel = SYSLOG_LEVELS.indexOf(cur.substring(k + 5, sp));
      }
      k = sp + 1;
    }
  }

  /**
   * MediaTek's printk prefix after the time: {@code (cpu)[pid:comm]} (Android kernels, in {@code
   * last_kmsg} and console-ramoops); a Markdown paste may escape the parentheses. The task id
   * becomes the caller id, as {@code CONFIG_PRINTK_CALLER} would give it.
   */
  static void vendorCpuTask(LineCursor cur) {
    int j = cur.i;
    if (cur.at(j) == '\\') {
      j++;
    }
    if (cur.at(j) != '(' || !LineCursor.digit(cur.at(j + 1))) {
      return;
    }
    j++;
    while (LineCursor.digit(cur.at(j))) {
      j++;
    }
    if (cur.at(j) == '\\') {
      j++;
    }
    if (cur.at(j) != ')' || cur.at(j + 1) != '[' || !LineCursor.digit(cur.at(j + 2))) {
      return;
    }
    int pid = j + 2;
    int k = pid;
    while (LineCursor.digit(cur.at(k))) {
      k++;
    }
    if (cur.at(k) != ':') {
      return;
    }
    int close = cur.indexOf(']', k);
    if (close < 0 || close - k > 17) {
      return;
    }
    cur.caller(pid, k, 'T');
    cur.i = close + 1;
  }

  private static final byte[] KERNEL_TAG = ReportShapes.ascii(" kernel: ");

  /** {@code journalctl -o short-monotonic}: {@code [ 12.345678] host kernel: text}. */
  static void afterTimestampSyslog(LineCursor cur) {
    if (cur.sawSyslog || !cur.hasNanos) {
      return;
    }
    // the host name is one token: look for " kernel: " right after it
    int end = Math.min(cur.n, cur.i + 65);
    for (int k = cur.i; k < end; k++) {
      char ch = cur.at(k);
      if (ch == ' ') {
        if (cur.startsWith(KERNEL_TAG, k)) {
          cur.i = k + 9;
          cur.level();
        }
        return;
      }
    }
  }
}
