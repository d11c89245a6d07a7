package org.ktriage.ingest.text;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One line being read by {@link LogLineParser}: the position, the fields read so far, and the
 * primitives every prefix form shares (the printk level {@code <N>}, the printk caller id).
 *
 * <p>The line is read as bytes, one per char: either a line's own {@code String} (a char above 0xff
 * reads as {@code ?}, compared with ASCII only) or, on the text reader's common path, the bytes of
 * a plain ASCII line straight from {@link LineReader}'s buffer, with no {@code String} made unless
 * a field or a rare prefix form asks for one. Reused from line to line ({@link #reset}); the fields
 * are primitives and the caller id a range of the line, so reading a prefix allocates nothing.
 */
final class LineCursor implements CharSequence {
  /** The line as a string, or null while it is only bytes (then every byte is ASCII). */
  private @Nullable String s;

  byte[] b;
  int n;
  int i;
  int level;
  long nanos;
  boolean hasNanos;
  @Nullable Long wallSeconds;
  boolean sawSyslog;

  /** A printk time bracket without an absolute time was read: {@code []}, {@code [ +0.5]}. */
  boolean sawStamp;

  /**
   * The caller id as a range of the line ({@code callerFrom < 0}: none), after a tag char the id
   * lacks in the line ({@code T} for a vendor's task id, {@code C} for a vendor's CPU; 0: none).
   */
  int callerFrom;

  int callerTo;
  char callerTag;

  /**
   * Where the chars its reader marks are in the line ({@link LineReader#marks}), ascending: {@code
   * marks[0..markCount)}; {@code markCount} -1 (or above the list's length) when not known.
   */
  int[] marks = NO_MARKS;

  int markCount = -1;
  private @Nullable LineReader marker;

  private static final int[] NO_MARKS = new int[0];

  LineCursor(String s, byte @Nullable [] latin1) {
    this.b = latin1 != null && latin1.length >= s.length() ? latin1 : latin1(s);
    reset(s, b, s.length());
  }

  /** A cursor for lines given as bytes ({@link #reset(byte[], int)}). */
  LineCursor() {
    this.b = new byte[0];
  }

  private static byte[] latin1(String s) {
    int n = s.length();
    byte[] latin = s.getBytes(StandardCharsets.ISO_8859_1);
    if (latin.length != n) {
      // a surrogate pair encodes as one '?': keep one byte per char so indices stay the same
      latin = new byte[n];
      for (int k = 0; k < n; k++) {
        char c = s.charAt(k);
        latin[k] = c > 0xff ? (byte) '?' : (byte) c;
      }
    }
    return latin;
  }

  /** Starts on an ASCII line held in {@code bytes[0..len)} (not copied: valid until the next). */
  void reset(byte[] bytes, int len) {
    reset(null, bytes, len);
  }

  /** Starts on the ASCII line {@code reader} read last, with the marks it noted in it. */
  void reset(LineReader reader) {
    reset(null, reader.lineBytes(), reader.lineLength());
    marker = reader;
    marks = reader.marks();
    markCount = reader.markCount();
  }

  /** Whether the line's marks are all known ({@link #marks}). */
  boolean marksKnown() {
    return markCount >= 0 && markCount <= marks.length;
  }

  /**
   * The first index at or after {@code from} of {@code c}, or -1: {@link #indexOf(char, int)}, from
   * the line's marks when its reader marked {@code c}.
   */
  int nextMark(char c, int from) {
    LineReader r = marker;
    if (r == null || !marksKnown() || !r.marks(c)) {
      return indexOf(c, from);
    }
    for (int j = 0; j < markCount; j++) {
      int k = marks[j];
      if (k >= from && b[k] == c) {
        return k;
      }
    }
    return -1;
  }

  private void reset(@Nullable String str, byte[] bytes, int len) {
    s = str;
    b = bytes;
    n = len;
    i = 0;
    level = -1;
    nanos = 0;
    hasNanos = false;
    wallSeconds = null;
    sawSyslog = false;
    sawStamp = false;
    callerFrom = -1;
    callerTo = -1;
    callerTag = 0;
    marker = null;
    marks = NO_MARKS;
    markCount = -1;
  }

  char at(int k) {
    return k < n ? (char) (b[k] & 0xff) : '\0';
  }

  @Override
  public char charAt(int k) {
    String str = s;
    return str != null ? str.charAt(k) : (char) (b[k] & 0xff);
  }

  @Override
  public int length() {
    return n;
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return substring(start, end);
  }

  /** The whole line as a string (made once when the cursor has only bytes). */
  @Override
  public String toString() {
    String str = s;
    if (str == null) {
      str = new String(b, 0, n, StandardCharsets.ISO_8859_1);
      s = str;
    }
    return str;
  }

  String substring(int from, int to) {
    String str = s;
    return str != null
        ? str.substring(from, to)
        : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  boolean startsWith(String literal, int k) {
    int len = literal.length();
    if (k < 0 || k + len > n) {
      return false;
    }
    String str = s;
    if (str != null) {
      return str.startsWith(literal, k);
    }
    for (int j = 0; j < len; j++) {
      if (b[k + j] != literal.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the ASCII {@code literal} is at {@code k} (the line's chars, one byte each). */
  boolean startsWith(byte[] literal, int k) {
    int len = literal.length;
    if (k < 0 || k + len > n) {
      return false;
    }
    // b holds the line's chars one byte each also when the line came as a string
    for (int j = 0; j < len; j++) {
      if (b[k + j] != literal[j]) {
        return false;
      }
    }
    return true;
  }

  int indexOf(char c, int from) {
    String str = s;
    if (str != null) {
      return str.indexOf(c, from);
    }
    for (int k = Math.max(from, 0); k < n; k++) {
      if (b[k] == c) {
        return k;
      }
    }
    return -1;
  }

  int indexOf(String literal, int from) {
    String str = s;
    if (str != null) {
      return str.indexOf(literal, from);
    }
    char first = literal.charAt(0);
    for (int k = indexOf(first, from); k >= 0; k = indexOf(first, k + 1)) {
      if (startsWith(literal, k)) {
        return k;
      }
    }
    return -1;
  }

  /** An upper-case letter at k, read from the string (any script, as {@link #b} has not). */
  boolean upper(int k) {
    return k < n && Character.isUpperCase(charAt(k));
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
    return hasNanos
        || wallSeconds != null
        || level >= 0
        || callerFrom >= 0
        || sawSyslog
        || sawStamp;
  }

  /** The printk time in nanoseconds, or null. */
  @Nullable Long nanosOrNull() {
    return hasNanos ? Long.valueOf(nanos) : null;
  }

  /** Takes a caller id: the line's chars {@code [from, to)} after {@code tag} (0: none). */
  void caller(int from, int to, char tag) {
    callerFrom = from;
    callerTo = to;
    callerTag = tag;
  }

  /** Drops the caller id read so far. */
  void noCaller() {
    caller(-1, -1, (char) 0);
  }

  /** The caller id read, or null (a string made on each call). */
  @Nullable String caller() {
    if (callerFrom < 0) {
      return null;
    }
    String id = substring(callerFrom, callerTo);
    return callerTag == 0 ? id : callerTag + id;
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
        caller(k, end, 'C');
        i = end + 1;
      }
      return;
    }
    if (end < 0 || at(end) != ']') {
      return;
    }
    caller(k, end, (char) 0);
    i = end + 1;
  }
}
