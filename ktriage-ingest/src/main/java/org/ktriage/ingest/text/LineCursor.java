package org.ktriage.ingest.text;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One line being read by {@link LogLineParser}: the position, the fields read so far, and the
 * primitives every prefix form shares (the printk level {@code <N>}, the printk caller id).
 */
final class LineCursor {
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
   * only): every prefix read here is ASCII, and an array read costs less than {@code String.charAt}
   * on every char.
   */
  final byte[] b;

  LineCursor(String s, byte @Nullable [] latin1) {
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

  void skipOneSpace() {
    if (at(i) == ' ') {
      i++;
    }
  }

  /** {@code T123} or {@code C1} starting at k; index after it or -1. */
  int callerIdEnd(int k) {
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
  void callerAfter() {
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
}
