package org.ktriage.testkit.corpus;

import java.util.List;

/** A named set of labelled files. */
public record Corpus(String name, List<Case> cases) {
  public Corpus {
    cases = List.copyOf(cases);
  }
}
