package org.ktriage.analysis.rule;

import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;

/**
 * A rule whose test needs code (register comparison across frames, address arithmetic); its
 * metadata (severity, summary, causes, steps, examples) still lives in its YAML file with {@code
 * engine: java}.
 */
public interface ComputedRule {

  /** The rule id, equal to the {@code id} of its YAML file. */
  String id();

  /** The hit, or null when the rule does not apply. */
  @Nullable Hit evaluate(CrashFacts facts);
}
