package org.ktriage.testkit.corpus;

import java.util.List;

/**
 * A named set of labelled files.
 *
 * @param blind true for a part set aside from tuning (the wild corpus's {@code heldout/}): the
 *     runner scores it and shows no file of it (no miss or invariant note names one)
 */
public record Corpus(String name, List<Case> cases, boolean blind) {
  public Corpus {
    cases = List.copyOf(cases);
  }

  /** A corpus whose misses may be shown. */
  public Corpus(String name, List<Case> cases) {
    this(name, cases, false);
  }
}
