package org.ktriage.analysis.rule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.text.Literals;
import org.ktriage.analysis.text.RequiredLiteral;
import org.ktriage.model.LogRecord;

/**
 * The required literals ({@link RequiredLiteral}) of every log pattern in a rule book, found in a
 * log's lines in one pass per line, so that each rule's patterns are searched only on the lines
 * that hold their literal: the lines are read once for all rules instead of once per pattern.
 */
final class LogLiterals {
  private final Literals literals;

  /** The literal number of each pattern that has a required literal. */
  private final Map<Pattern, Integer> idOf;

  LogLiterals(List<Pattern> patterns) {
    List<String> found = new ArrayList<>();
    for (Pattern p : patterns) {
      String l = RequiredLiteral.of(p);
      if (!l.isEmpty()) {
        found.add(l);
      }
    }
    literals = Literals.of(found);
    Map<Pattern, Integer> ids = new HashMap<>();
    for (Pattern p : patterns) {
      String l = RequiredLiteral.of(p);
      if (!l.isEmpty()) {
        ids.put(p, literals.id(l));
      }
    }
    idOf = Map.copyOf(ids);
  }

  /** The log patterns of these conditions, each condition's and its {@code not} block's. */
  static List<Pattern> patternsOf(List<Condition> conditions) {
    List<Pattern> all = new ArrayList<>();
    for (Condition c : conditions) {
      for (Condition x = c; x != null; x = x.not()) {
        all.addAll(x.log());
      }
    }
    return all;
  }

  /** The lines of one report's log that hold each literal, found when a rule first asks. */
  final class Scan {
    private final CrashFacts facts;
    private @Nullable List<LogRecord> lines;
    private int @Nullable [][] linesOf;

    Scan(CrashFacts facts) {
      this.facts = facts;
    }

    /** The facts' log lines (read once). */
    List<LogRecord> lines() {
      List<LogRecord> l = lines;
      if (l == null) {
        l = facts.logLines();
        lines = l;
      }
      return l;
    }

    /**
     * The indices (ascending, below {@link DataRule#MAX_LOG_LINES}) of the lines holding the
     * pattern's required literal, or null when every line may match (the pattern has no literal, or
     * it is no pattern of the book's).
     */
    int @Nullable [] candidates(Pattern p) {
      Integer id = idOf.get(p);
      if (id == null) {
        return null;
      }
      int[][] all = linesOf;
      if (all == null) {
        all = index(lines());
        linesOf = all;
      }
      return all[id];
    }

    private int[][] index(List<LogRecord> log) {
      int k = literals.size();
      int[][] at = new int[k][];
      int[] count = new int[k];
      int[] found = new int[k];
      int n = Math.min(log.size(), DataRule.MAX_LOG_LINES);
      for (int i = 0; i < n; i++) {
        int m = literals.find(log.get(i).text(), found);
        for (int j = 0; j < m; j++) {
          int id = found[j];
          int[] a = at[id];
          if (a == null) {
            a = new int[4];
            at[id] = a;
          } else if (count[id] == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
            at[id] = a;
          }
          a[count[id]++] = i;
        }
      }
      for (int id = 0; id < k; id++) {
        at[id] = at[id] == null ? new int[0] : Arrays.copyOf(at[id], count[id]);
      }
      return at;
    }
  }
}
