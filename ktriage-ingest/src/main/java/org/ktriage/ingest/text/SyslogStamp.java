package org.ktriage.ingest.text;

/**
 * Reads the wall-clock stamps that loggers put before a kernel line: the BSD syslog stamp {@code
 * Mmm dd hh:mm:ss[.frac]} (RFC 3164; localized month names, logread's {@code Sun Sep 1 19:30:19
 * 2019}), the ISO stamp {@code yyyy-mm-ddThh:mm:ss[.frac][Z|+hh:mm]} (RFC 5424, rsyslog, journald
 * {@code -o short-iso}), a tool's {@code yyyy/mm/dd hh:mm:ss} and a bare {@code hh:mm:ss[.frac]}
 * clock. Each method takes a string and an index and returns the index after what it read, or -1.
 */
final class SyslogStamp {
  private SyslogStamp() {}

  private static char at(CharSequence s, int k) {
    return k < s.length() ? s.charAt(k) : '\0';
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * A fuzzer or tool log prefix {@code 2018/01/09 14:28:48 } before kernel text; the index after
   * its trailing blank, or -1.
   */
  static int toolPrefixEnd(CharSequence s, int j) {
    if (!(digit(at(s, j)) && at(s, j + 4) == '/' && at(s, j + 7) == '/' && at(s, j + 10) == ' ')) {
      return -1;
    }
    int t = clock(s, j + 11);
    return t > 0 && at(s, t) == ' ' ? t + 1 : -1;
  }

  /** A BSD or ISO syslog stamp at j; the index after it (before the blank), or -1. */
  static int end(CharSequence s, int j) {
    char c = at(s, j);
    if (Character.isLetter(c) || (digit(c) && monthWord(s, j) > 0)) {
      // "Nov 17 05:56:07 ", a localized month ("июл 27", "sept. 27"), or logread's
      // "Sun Sep  1 19:30:19 2019 " with the weekday first and the year after the time
      int w = monthWord(s, j);
      if (w < 0) {
        return -1;
      }
      int m = monthWord(s, w);
      if (m > 0) {
        w = m;
      }
      j = w;
      if (!digit(at(s, j))) {
        return -1;
      }
      int d = j;
      while (digit(at(s, j)) && j - d < 2) {
        j++;
      }
      if (at(s, j) != ' ') {
        return -1;
      }
      j++;
      int t = clock(s, j);
      if (t < 0) {
        return -1;
      }
      j = t;
      if (at(s, j) == ' ' && digit(at(s, j + 1)) && digit(at(s, j + 4)) && at(s, j + 5) == ' ') {
        j += 5;
      }
      return j;
    }
    if (!digit(c)) {
      return -1;
    }
    // 2019-11-17T05:56:07[.123][+0000|+00:00|Z]
    if (!(digit(at(s, j + 1))
        && digit(at(s, j + 2))
        && digit(at(s, j + 3))
        && at(s, j + 4) == '-'
        && at(s, j + 7) == '-'
        && (at(s, j + 10) == 'T' || at(s, j + 10) == ' '))) {
      return -1;
    }
    int t = clock(s, j + 11);
    if (t < 0) {
      return -1;
    }
    j = t;
    if (at(s, j) == 'Z') {
      j++;
    } else if (at(s, j) == '+' || at(s, j) == '-') {
      j++;
      while (digit(at(s, j)) || at(s, j) == ':') {
        j++;
      }
    }
    return j;
  }

  /**
   * Whether the ISO stamp at j is util-linux dmesg's {@code --time-format=iso} one, {@code
   * 2026-12-07T23:43:19,123456+00:00} (sys-utils/dmesg.c prints the fraction after a comma and
   * always an offset): a log of the kernel's messages alone, without a host or a tag.
   */
  static boolean dmesgIso(CharSequence s, int j) {
    if (!(digit(at(s, j)) && at(s, j + 10) == 'T' && at(s, j + 19) == ',')) {
      return false;
    }
    int k = j + 20;
    while (digit(at(s, k))) {
      k++;
    }
    return k > j + 20 && (at(s, k) == '+' || at(s, k) == '-');
  }

  /**
   * A month name at j, English or localized (3–5 letters, an optional abbreviation dot, or a number
   * and the CJK month sign), and the blanks after it; the index after them or -1.
   */
  static int monthWord(CharSequence s, int j) {
    int k = j;
    if (digit(at(s, k))) {
      // a numbered month: "8月 14 10:24:12" (Chinese and Japanese locales), "8월" (Korean)
      while (digit(at(s, k)) && k - j < 2) {
        k++;
      }
      if (at(s, k) != '\u6708' && at(s, k) != '\uc6d4') {
        return -1;
      }
      k++;
      if (at(s, k) != ' ') {
        return -1;
      }
      while (at(s, k) == ' ') {
        k++;
      }
      return k;
    }
    while (Character.isLetter(at(s, k)) && k - j < 5) {
      k++;
    }
    if (k - j < 3) {
      return -1;
    }
    if (at(s, k) == '.') {
      k++;
    }
    if (at(s, k) != ' ') {
      return -1;
    }
    while (at(s, k) == ' ') {
      k++;
    }
    return k;
  }

  /** {@code hh:mm:ss[.frac]} at j; the index after it or -1. */
  static int clock(CharSequence s, int j) {
    if (!(digit(at(s, j))
        && digit(at(s, j + 1))
        && at(s, j + 2) == ':'
        && digit(at(s, j + 3))
        && digit(at(s, j + 4))
        && at(s, j + 5) == ':'
        && digit(at(s, j + 6))
        && digit(at(s, j + 7)))) {
      return -1;
    }
    j += 8;
    if (at(s, j) == '.' || at(s, j) == ',') {
      j++;
      while (digit(at(s, j))) {
        j++;
      }
    }
    return j;
  }
}
