package org.ktriage.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Analysis output for one crash: what renderers draw.
 *
 * @param report the report analysed
 * @param title syzbot-compatible title, or null when no crash was found
 * @param altTitles alternative titles
 * @param corrupted true when the report looked truncated or intermixed
 * @param signature stable bucket id, or null when no crash was found
 * @param failureClass class of the primary failure
 * @param trigger class of what made the kernel report or panic
 * @param primary the primary failure, or null when no crash was found
 * @param chain cause chain, first cause first
 * @param findings rule findings, most important first
 * @param ruleFailures rules that threw
 * @param crashFound analysis's decision that the inputs show a crash of any kind (a report, a
 *     panic, a panicking CPU, a title or a primary failure); false when they hold none
 */
public record Diagnosis(
    CrashReport report,
    @Nullable String title,
    List<String> altTitles,
    boolean corrupted,
    @Nullable String signature,
    FailureClass failureClass,
    FailureClass trigger,
    @Nullable PrimaryFailure primary,
    List<ChainEvent> chain,
    List<Finding> findings,
    List<RuleFailure> ruleFailures,
    boolean crashFound) {
  public Diagnosis {
    altTitles = List.copyOf(altTitles);
    chain = List.copyOf(chain);
    findings = List.copyOf(findings);
    ruleFailures = List.copyOf(ruleFailures);
  }
}
