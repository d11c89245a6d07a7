package org.ktriage.analysis.text;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A fixed set of literals found in one left-to-right pass over a text (an Aho-Corasick automaton,
 * its transitions resolved into one table), so that a line is read once for all of them instead of
 * once per literal with {@link String#contains}. Built once (a rule book's required literals, the
 * title table's report headers); immutable, so threads share it. A literal is numbered by its first
 * place in the list given; the same literal twice has one number. The empty literal is in every
 * text. {@link #ignoringAsciiCase} finds them as a {@code (?i)} pattern does (ASCII letters only,
 * like {@link java.util.regex.Pattern#CASE_INSENSITIVE} without {@code UNICODE_CASE}).
 */
public final class Literals {
  private final List<String> literals;

  /** Column of each char that occurs in a literal (chars are columns 1..); 0 for any other. */
  private final Map<Character, Integer> wideColumns;

  /** Whether any literal holds a char outside ASCII (else such a char is column 0 at once). */
  private final boolean wide;

  private final int[] asciiColumn = new int[128];
  private final int columns;

  /** next[state * columns + column]: the state after reading a char of that column. */
  private final int[] next;

  /** The literals that end in each state (its own and its suffix states'), or null for none. */
  private final int[][] ends;

  /** Literals in every text (the empty one). */
  private final int[] always;

  private Literals(List<String> literals, boolean ignoreAsciiCase) {
    this.literals = List.copyOf(literals);
    Map<Character, Integer> cols = columnsOf(literals, ignoreAsciiCase);
    columns = cols.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    Map<Character, Integer> outsideAscii = new LinkedHashMap<>();
    for (Map.Entry<Character, Integer> e : cols.entrySet()) {
      if (e.getKey() < 128) {
        asciiColumn[e.getKey()] = e.getValue();
      } else {
        outsideAscii.put(e.getKey(), e.getValue());
      }
    }
    wideColumns = Map.copyOf(outsideAscii);
    this.wide = !wideColumns.isEmpty();
    // the trie, states numbered as created; 0 is the root
    List<int[]> trie = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    trie.add(new int[columns]);
    out.add(new ArrayList<>());
    List<Integer> empty = new ArrayList<>();
    for (int id = 0; id < literals.size(); id++) {
      String l = literals.get(id);
      if (l.isEmpty()) {
        empty.add(id);
        continue;
      }
      int s = 0;
      for (int i = 0; i < l.length(); i++) {
        int c = column(fold(l.charAt(i), ignoreAsciiCase));
        if (trie.get(s)[c] == 0) {
          trie.get(s)[c] = trie.size();
          trie.add(new int[columns]);
          out.add(new ArrayList<>());
        }
        s = trie.get(s)[c];
      }
      out.get(s).add(id);
    }
    always = empty.stream().mapToInt(Integer::intValue).toArray();
    int n = trie.size();
    next = resolve(trie, out, columns);
    ends = new int[n][];
    for (int s = 0; s < n; s++) {
      if (!out.get(s).isEmpty()) {
        ends[s] = out.get(s).stream().mapToInt(Integer::intValue).distinct().toArray();
      }
    }
  }

  /** Column 1.. of each char of the literals (both cases of a letter share one), in order. */
  private static Map<Character, Integer> columnsOf(List<String> literals, boolean ignoreAsciiCase) {
    Map<Character, Integer> cols = new LinkedHashMap<>();
    int last = 0;
    for (String l : literals) {
      for (int i = 0; i < l.length(); i++) {
        char c = fold(l.charAt(i), ignoreAsciiCase);
        if (!cols.containsKey(c)) {
          cols.put(c, ++last);
          if (ignoreAsciiCase) {
            cols.put(otherCase(c), last);
          }
        }
      }
    }
    return cols;
  }

  /**
   * The transition table of the trie, breadth first: each state's missing transitions are its
   * suffix state's, and its literals ({@code out}) take in its suffix state's.
   */
  private static int[] resolve(List<int[]> trie, List<List<Integer>> out, int columns) {
    int n = trie.size();
    int[] next = new int[n * columns];
    int[] fail = new int[n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int c = 1; c < columns; c++) {
      int t = trie.get(0)[c];
      next[c] = t;
      if (t != 0) {
        queue.add(t);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      out.get(s).addAll(out.get(fail[s]));
      for (int c = 1; c < columns; c++) {
        int t = trie.get(s)[c];
        if (t != 0) {
          fail[t] = next[fail[s] * columns + c];
          next[s * columns + c] = t;
          queue.add(t);
        } else {
          next[s * columns + c] = next[fail[s] * columns + c];
        }
      }
    }
    return next;
  }

  /** The automaton of these literals, numbered by first place (duplicates share a number). */
  public static Literals of(List<String> literals) {
    return new Literals(new ArrayList<>(new LinkedHashSet<>(literals)), false);
  }

  /** The same, an ASCII letter matching either case (as in a {@code (?i)} pattern). */
  public static Literals ignoringAsciiCase(List<String> literals) {
    return new Literals(new ArrayList<>(new LinkedHashSet<>(literals)), true);
  }

  private static char fold(char c, boolean ignoreAsciiCase) {
    return ignoreAsciiCase && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static char otherCase(char c) {
    if (c >= 'a' && c <= 'z') {
      return (char) (c - ('a' - 'A'));
    }
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** The number of distinct literals. */
  public int size() {
    return literals.size();
  }

  /** The literal numbered {@code id}. */
  public String literal(int id) {
    return literals.get(id);
  }

  /** The number of a literal, or -1 when it is not in the set. */
  public int id(String literal) {
    return literals.indexOf(literal);
  }

  private int column(char c) {
    if (c < 128) {
      return asciiColumn[c];
    }
    Integer w = wideColumns.get(c);
    return w == null ? 0 : w;
  }

  /**
   * Writes the numbers of the distinct literals the text contains into {@code found} (in the order
   * their first occurrence ends) and returns how many; {@code found} holds {@link #size()}.
   */
  public int find(String text, int[] found) {
    int count = 0;
    for (int id : always) {
      found[count++] = id;
    }
    int s = 0;
    for (int i = 0, len = text.length(); i < len; i++) {
      s = step(s, text.charAt(i));
      int[] e = ends[s];
      if (e != null) {
        count = add(e, found, count);
      }
    }
    return count;
  }

  /** The automaton's state after reading {@code ch} in state {@code s}. */
  private int step(int s, char ch) {
    int c = ch < 128 ? asciiColumn[ch] : wide ? column(ch) : 0;
    return next[s * columns + c];
  }

  /** Whether the text contains any literal of the set. */
  public boolean containsAny(String text) {
    if (always.length > 0) {
      return true;
    }
    int s = 0;
    for (int i = 0, len = text.length(); i < len; i++) {
      s = step(s, text.charAt(i));
      if (ends[s] != null) {
        return true;
      }
    }
    return false;
  }

  private static int add(int[] ids, int[] found, int count) {
    int n = count;
    outer:
    for (int id : ids) {
      for (int k = 0; k < n; k++) {
        if (found[k] == id) {
          continue outer;
        }
      }
      found[n++] = id;
    }
    return n;
  }

  @Override
  public String toString() {
    return "Literals" + Arrays.toString(literals.toArray());
  }
}
