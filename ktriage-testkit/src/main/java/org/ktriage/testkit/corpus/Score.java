package org.ktriage.testkit.corpus;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A corpus's score: per measure right/labelled, files right overall, violations per invariant. */
public record Score(
    String corpus,
    int files,
    int right,
    int judged,
    Map<Measure, int[]> measures,
    Map<Invariant, Integer> violations) {

  /** Scores these results. */
  public static Score of(String corpus, List<Result> results) {
    Map<Measure, int[]> measures = new EnumMap<>(Measure.class);
    Map<Invariant, Integer> violations = new EnumMap<>(Invariant.class);
    for (Invariant i : Invariant.values()) {
      violations.put(i, 0);
    }
    int right = 0;
    int judged = 0;
    for (Result r : results) {
      r.right()
          .forEach(
              (m, ok) -> {
                int[] c = measures.computeIfAbsent(m, k -> new int[2]);
                c[1]++;
                if (ok) {
                  c[0]++;
                }
              });
      if (r.right().keySet().stream().anyMatch(Measure::diagnosis)) {
        judged++;
        if (r.rightOverall()) {
          right++;
        }
      }
      r.broken().forEach(i -> violations.merge(i, 1, Integer::sum));
    }
    return new Score(corpus, results.size(), right, judged, measures, violations);
  }

  /** Percent right of a measure, or -1 when no file has that label. */
  public double percent(Measure m) {
    int[] c = measures.get(m);
    return c == null || c[1] == 0 ? -1 : 100.0 * c[0] / c[1];
  }

  /** Percent of judged files right overall, or -1 when none is judged. */
  public double percentRight() {
    return judged == 0 ? -1 : 100.0 * right / judged;
  }
}
