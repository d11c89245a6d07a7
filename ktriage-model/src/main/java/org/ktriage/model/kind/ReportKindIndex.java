package org.ktriage.model.kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * How {@link ReportKinds}' headers are looked up on a line: by the first character of their prefix,
 * by a {@code contains} literal near the line's start, by family, and a byte-level "may match" for
 * readers that see every line of a long log. Lookup only; which headers exist is the table's.
 */
final class ReportKindIndex {
  private ReportKindIndex() {}

  // arrays, not lists: every line of a log is tried against them, and a list's iterator is one
  // allocation and several interface calls a line
  private static final ReportKind[][] BY_FIRST_CHAR = index();
  private static final ReportKind[] CONTAINING =
      ReportKinds.HEADERS.stream().filter(r -> r.prefix().isEmpty()).toArray(ReportKind[]::new);

  /** Rules by the first character of their prefix (ASCII only), for a cheap first check. */
  private static ReportKind[][] index() {
    Map<Character, List<ReportKind>> m = new HashMap<>();
    for (ReportKind r : ReportKinds.HEADERS) {
      if (!r.prefix().isEmpty()) {
        m.computeIfAbsent(r.prefix().charAt(0), k -> new ArrayList<>()).add(r);
      }
    }
    ReportKind[][] byChar = new ReportKind[128][];
    for (char c = 0; c < 128; c++) {
      byChar[c] = m.getOrDefault(c, List.of()).toArray(ReportKind[]::new);
    }
    return byChar;
  }

  /**
   * Whether {@code literal} occurs within {@link #CONTAINS_REACH} characters of {@code from}: the
   * text before it is a task name ({@code comm}, at most 15 characters, TASK_COMM_LEN - 1).
   */
  private static boolean containsNear(String text, String literal, int from) {
    int last = Math.min(text.length() - literal.length(), from + CONTAINS_REACH);
    // the first occurrence after from: one scan of the line's bytes, not a compare per position
    int k = text.indexOf(literal, from + 1);
    return k >= 0 && k <= last;
  }

  /** How far into the line a {@code contains} rule's literal may start. */
  static final int CONTAINS_REACH = 24;

  /** The header forms of each family, in table order. */
  private static final Map<String, List<ReportKind>> BY_FAMILY = byFamily();

  private static Map<String, List<ReportKind>> byFamily() {
    Map<String, List<ReportKind>> m = new HashMap<>();
    for (ReportKind r : ReportKinds.HEADERS) {
      m.computeIfAbsent(r.family(), k -> new ArrayList<>()).add(r);
    }
    return Map.copyOf(m);
  }

  /**
   * The first header of kind {@code family} anywhere in {@code text} (a log line, a headline with
   * its dress before the header), tried at each place its literal occurs, or null: for code that
   * reads one kind's fields (the hung task's comm, pid and seconds) or asks whether a line is that
   * kind's header, without a copy of the header's wording.
   */
  static ReportKinds.@Nullable Match find(String text, String family) {
    for (ReportKind r : BY_FAMILY.getOrDefault(family, List.of())) {
      if (r.prefix().isEmpty()) {
        Matcher m = r.pattern().matcher(text);
        if (text.contains(r.contains()) && m.find()) {
          return new ReportKinds.Match(r, m);
        }
        continue;
      }
      for (int at = text.indexOf(r.prefix()); at >= 0; at = text.indexOf(r.prefix(), at + 1)) {
        Matcher m = r.match(text, at);
        if (m != null) {
          return new ReportKinds.Match(r, m);
        }
      }
    }
    return null;
  }

  /**
   * Whether a header may match the line whose text is the ASCII bytes {@code b[start..end)}, read
   * from {@code from} as {@link #match} reads it: the same literals (a prefix at {@code from}, a
   * {@code contains} literal within {@link #CONTAINS_REACH}), compared on the bytes, no pattern run
   * and no {@code String} made. False means {@link #match} returns null on that text; true that it
   * must be asked. For readers that see every line of a long log.
   */
  static boolean mayMatch(byte[] b, int from, int end) {
    if (from >= end) {
      return false;
    }
    if (prefixMayMatch(b, from, end)) {
      return true;
    }
    // one pass over the reach for every contains literal: a table of their first bytes
    int last = Math.min(end - 1, from + CONTAINS_REACH);
    for (int k = from + 1; k <= last; k++) {
      int x = b[k];
      if (x >= 0 && CONTAINS_HEADS[x]) {
        for (byte[] literal : CONTAINS_BYTES) {
          if (literal[0] == x && bytesAt(b, k, end, literal)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * {@link #mayMatch} on a line whose reader noted where each char of {@link #CONTAINS_ANCHORS}
   * occurs ({@code marks[0..markCount)}, ascending; other positions may be among them): a {@code
   * contains} literal is compared only where its anchor char is, no scan of the reach.
   */
  static boolean mayMatch(byte[] b, int from, int end, int[] marks, int markCount) {
    if (from >= end) {
      return false;
    }
    if (prefixMayMatch(b, from, end)) {
      return true;
    }
    int last = Math.min(end - 1, from + CONTAINS_REACH);
    for (int j = 0; j < markCount; j++) {
      int q = marks[j];
      if (q <= from) {
        continue;
      }
      if (q - from > CONTAINS_REACH + LONGEST_ANCHOR_OFFSET) {
        return false;
      }
      int x = b[q];
      for (int l = 0; x >= 0 && l < CONTAINS_BYTES.length; l++) {
        int start = q - CONTAINS_ANCHOR_AT[l];
        if (CONTAINS_BYTES[l][CONTAINS_ANCHOR_AT[l]] == x
            && start > from
            && start <= last
            && bytesAt(b, start, end, CONTAINS_BYTES[l])) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a header's prefix is at {@code from}: by the first two chars, then compared. */
  private static boolean prefixMayMatch(byte[] b, int from, int end) {
    int first = b[from];
    if (first < 0) {
      return false;
    }
    byte[][] candidates = PREFIX_BYTES[first];
    if (from + 1 < end && b[from + 1] >= 0) {
      candidates = PREFIX_PAIRS[first * 128 + b[from + 1]];
    }
    for (byte[] prefix : candidates) {
      if (bytesAt(b, from, end, prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link #BY_FIRST_CHAR}'s prefixes and {@link #CONTAINING}'s literals as ASCII bytes, for {@link
   * #mayMatch}; a literal with a char above ASCII is left out (it is never in an ASCII line).
   */
  private static final byte[][][] PREFIX_BYTES = prefixBytes();

  private static final byte[][] CONTAINS_BYTES =
      java.util.Arrays.stream(CONTAINING)
          .map(r -> ascii(r.contains()))
          .filter(java.util.Objects::nonNull)
          .toArray(byte[][]::new);

  private static final boolean[] CONTAINS_HEADS = heads();

  /**
   * Where in each of {@link #CONTAINS_BYTES} its anchor is: its rarest char in kernel text by a
   * rough order (punctuation, then capitals, then any other char), the last one of that rank.
   */
  private static final int[] CONTAINS_ANCHOR_AT =
      java.util.Arrays.stream(CONTAINS_BYTES).mapToInt(ReportKindIndex::anchorAt).toArray();

  private static final int LONGEST_ANCHOR_OFFSET =
      java.util.Arrays.stream(CONTAINS_ANCHOR_AT).max().orElse(0);

  /** The anchor chars of the {@code contains} literals, each once. */
  static final String CONTAINS_ANCHORS =
      java.util.Arrays.stream(CONTAINS_BYTES)
          .mapToInt(l -> l[anchorAt(l)])
          .distinct()
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString();

  private static int anchorAt(byte[] literal) {
    int best = 0;
    int bestRank = -1;
    for (int k = 0; k < literal.length; k++) {
      char c = (char) literal[k];
      int rank = Character.isLetterOrDigit(c) || c == ' ' ? (Character.isUpperCase(c) ? 1 : 0) : 2;
      if (rank >= bestRank) {
        best = k;
        bestRank = rank;
      }
    }
    return best;
  }

  /** {@link #PREFIX_BYTES} by their first two chars (a one-char prefix under every second). */
  private static final byte[][][] PREFIX_PAIRS = prefixPairs();

  private static byte[][][] prefixPairs() {
    byte[][][] by = new byte[128 * 128][][];
    byte[][] none = new byte[0][];
    for (int c1 = 0; c1 < 128; c1++) {
      byte[][] all = PREFIX_BYTES[c1];
      for (int c2 = 0; c2 < 128; c2++) {
        int n = 0;
        for (byte[] p : all) {
          n += p.length < 2 || p[1] == c2 ? 1 : 0;
        }
        byte[][] some = n == 0 ? none : new byte[n][];
        n = 0;
        for (byte[] p : all) {
          if (p.length < 2 || p[1] == c2) {
            some[n++] = p;
          }
        }
        by[c1 * 128 + c2] = some;
      }
    }
    return by;
  }

  private static boolean[] heads() {
    boolean[] h = new boolean[128];
    for (byte[] literal : CONTAINS_BYTES) {
      h[literal[0]] = true;
    }
    return h;
  }

  private static byte[][][] prefixBytes() {
    byte[][][] by = new byte[128][][];
    for (int c = 0; c < 128; c++) {
      by[c] =
          java.util.Arrays.stream(BY_FIRST_CHAR[c])
              .map(r -> ascii(r.prefix()))
              .filter(java.util.Objects::nonNull)
              .toArray(byte[][]::new);
    }
    return by;
  }

  private static byte @Nullable [] ascii(String literal) {
    byte[] out = new byte[literal.length()];
    for (int k = 0; k < out.length; k++) {
      char c = literal.charAt(k);
      if (c > 0x7f) {
        return null;
      }
      out[k] = (byte) c;
    }
    return out;
  }

  private static boolean bytesAt(byte[] b, int at, int end, byte[] literal) {
    int len = literal.length;
    if (at + len > end) {
      return false;
    }
    for (int j = 0; j < len; j++) {
      if (b[at + j] != literal[j]) {
        return false;
      }
    }
    return true;
  }

  /** The first header matching {@code text} from {@code from}, or null. */
  static ReportKinds.@Nullable Match match(String text, int from) {
    if (from >= text.length()) {
      return null;
    }
    char first = text.charAt(from);
    if (first < 128) {
      for (ReportKind r : BY_FIRST_CHAR[first]) {
        if (text.startsWith(r.prefix(), from)) {
          Matcher m = r.match(text, from);
          if (m != null) {
            return new ReportKinds.Match(r, m);
          }
        }
      }
    }
    for (ReportKind r : CONTAINING) {
      if (containsNear(text, r.contains(), from)) {
        Matcher m = r.pattern().matcher(text);
        if (m.find(from)) {
          return new ReportKinds.Match(r, m);
        }
      }
    }
    return null;
  }
}
