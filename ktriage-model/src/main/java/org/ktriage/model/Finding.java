package org.ktriage.model;

import java.util.List;

/**
 * A rule's verdict on the report.
 *
 * @param rule stable kebab-case rule id (API, never renamed)
 * @param severity severity
 * @param confidence 0.0..1.0, lowered when data the rule needs is missing
 * @param summary one sentence for people
 * @param evidence facts it rests on, each with its source
 * @param causes likely causes, most likely first
 * @param nextSteps commands or settings that confirm it ({@code crash> rd -s …})
 * @param missing what would confirm it but is absent (filtered pages, no registers, …)
 * @param references kernel docs or fix commits
 */
public record Finding(
    String rule,
    Severity severity,
    double confidence,
    String summary,
    List<Evidence> evidence,
    List<String> causes,
    List<String> nextSteps,
    List<String> missing,
    List<String> references) {
  public Finding {
    evidence = List.copyOf(evidence);
    causes = List.copyOf(causes);
    nextSteps = List.copyOf(nextSteps);
    missing = List.copyOf(missing);
    references = List.copyOf(references);
  }
}
