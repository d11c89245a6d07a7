package org.ktriage.testkit.corpus;

import java.util.List;
import java.util.Map;

/**
 * One file's result: what the pipeline gave, which labelled measures were right, which invariants
 * it broke.
 */
public record Result(
    Case file, Outcome outcome, Map<Measure, Boolean> right, List<Invariant> broken) {
  public Result {
    right = Map.copyOf(right);
    broken = List.copyOf(broken);
  }

  /** Right on every labelled diagnosis measure (found, class, culprit, rules, top rule). */
  public boolean rightOverall() {
    return right.entrySet().stream()
        .filter(e -> e.getKey().diagnosis())
        .allMatch(Map.Entry::getValue);
  }

  /** The golden row: file, class, primary function, title, signature, rules fired. */
  public String goldenRow() {
    Outcome o = outcome;
    var d = o.diagnosis();
    if (d == null) {
      return String.join("\t", file.name(), "refused", "", "", "", "");
    }
    String fn = Judge.primaryFunction(d);
    return String.join(
        "\t",
        file.name(),
        d.report().hasCrash() ? d.failureClass().id() : "no-crash",
        clean(fn),
        clean(d.title()),
        clean(d.signature()),
        String.join(",", Judge.rules(d)));
  }

  private static String clean(@org.jspecify.annotations.Nullable String s) {
    return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
