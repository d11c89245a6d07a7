package org.ktriage.analysis.rule;

import java.util.List;
import java.util.Map;
import org.ktriage.model.Evidence;

/**
 * What a rule found when it matched: values for its templates, the evidence, its confidence and
 * what is missing to confirm it.
 *
 * @param values placeholder values ({@code address}, {@code module}, …) for the summary and steps
 * @param evidence facts the finding rests on, each with its source
 * @param confidence 0.0..1.0 before the report-wide reductions
 * @param missing data that would confirm the finding but is absent
 */
public record Hit(
    Map<String, String> values, List<Evidence> evidence, double confidence, List<String> missing) {

  public Hit {
    values = Map.copyOf(values);
    evidence = List.copyOf(evidence);
    missing = List.copyOf(missing);
  }
}
