package org.ktriage.model;

import java.util.ArrayList;
import java.util.List;

/** Whether the report is whole, and if not, what is missing, as sentences for people. */
public record Completeness(boolean partial, List<String> problems) {
  public Completeness {
    problems = List.copyOf(problems);
  }

  public static Completeness whole() {
    return new Completeness(false, List.of());
  }

  public Completeness plus(Completeness other) {
    List<String> all = new ArrayList<>(problems);
    all.addAll(other.problems);
    return new Completeness(partial || other.partial, all);
  }
}
