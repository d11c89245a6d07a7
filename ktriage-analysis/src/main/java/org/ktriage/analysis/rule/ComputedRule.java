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

  /**
   * True when the rule describes one failure (its class, address, stack), so that it is also read
   * on each later report of the incident ({@link
   * org.ktriage.analysis.order.CauseOrder#laterReports}); false for a rule about the incident as a
   * whole, told relative to its first failure (nested faults, who stalled whom, the panic).
   */
  default boolean describesOneFailure() {
    return true;
  }
}
