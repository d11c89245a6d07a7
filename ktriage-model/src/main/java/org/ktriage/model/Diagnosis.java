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
 * @param otherIncidents the other independent crashes of the same log, in log order (another boot's
 *     crash, a report nothing links to this one), each analysed on its own; empty when the log
 *     holds one incident
 * @param boots how many boots the log holds (1 when it holds one, or no log)
 * @param crashBoot the boot (0 = the first in the log) the diagnosed crash happened in
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
    boolean crashFound,
    List<Incident> otherIncidents,
    int boots,
    int crashBoot) {
  public Diagnosis {
    otherIncidents = List.copyOf(otherIncidents);
    altTitles = List.copyOf(altTitles);
    chain = List.copyOf(chain);
    findings = List.copyOf(findings);
    ruleFailures = List.copyOf(ruleFailures);
  }

  /** A diagnosis of a log that holds one incident in one boot. */
  public Diagnosis(
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
    this(
        report,
        title,
        altTitles,
        corrupted,
        signature,
        failureClass,
        trigger,
        primary,
        chain,
        findings,
        ruleFailures,
        crashFound,
        List.of(),
        1,
        0);
  }

  /** The same diagnosis with the log's other incidents and boots. */
  public Diagnosis withIncidents(List<Incident> otherIncidents, int boots, int crashBoot) {
    return new Diagnosis(
        report,
        title,
        altTitles,
        corrupted,
        signature,
        failureClass,
        trigger,
        primary,
        chain,
        findings,
        ruleFailures,
        crashFound,
        otherIncidents,
        boots,
        crashBoot);
  }
}
