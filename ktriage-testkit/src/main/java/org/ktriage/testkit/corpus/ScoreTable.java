package org.ktriage.testkit.corpus;

import java.util.List;
import java.util.Locale;

/** The per-corpus score table: one column per corpus, one row per measure and invariant. */
public final class ScoreTable {
  private ScoreTable() {}

  /** The table as text. */
  public static String of(List<Score> scores) {
    StringBuilder b = new StringBuilder();
    row(b, "corpus", scores.stream().map(Score::corpus).toList());
    row(b, "files", scores.stream().map(s -> String.valueOf(s.files())).toList());
    row(b, "right", scores.stream().map(s -> cell(s.right(), s.judged())).toList());
    for (Measure m : Measure.values()) {
      if (scores.stream().anyMatch(s -> s.measures().containsKey(m))) {
        row(
            b,
            m.key(),
            scores.stream()
                .map(
                    s ->
                        s.measures().containsKey(m)
                            ? cell(s.measures().get(m)[0], s.measures().get(m)[1])
                            : "-")
                .toList());
      }
    }
    for (Invariant i : Invariant.values()) {
      row(
          b,
          "inv:" + i.key(),
          scores.stream().map(s -> String.valueOf(s.violations().get(i))).toList());
    }
    return b.toString();
  }

  private static String cell(int right, int n) {
    return n == 0 ? "-" : String.format(Locale.ROOT, "%d/%d %.1f%%", right, n, 100.0 * right / n);
  }

  private static void row(StringBuilder b, String head, List<String> cells) {
    b.append(String.format(Locale.ROOT, "%-22s", head));
    cells.forEach(c -> b.append(String.format(Locale.ROOT, " %16s", c)));
    b.append('\n');
  }
}
