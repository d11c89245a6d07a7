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

  /**
   * A builder for the diagnosis of {@code report}: no title, no signature, no primary, class and
   * trigger {@link FailureClass#UNKNOWN}, every list empty, no crash found, one incident in one
   * boot.
   */
  public static Builder builder(CrashReport report) {
    return new Builder(report);
  }

  /** A builder that starts from this diagnosis, to change a few of its parts. */
  public Builder toBuilder() {
    return new Builder(report)
        .title(title)
        .altTitles(altTitles)
        .corrupted(corrupted)
        .signature(signature)
        .failureClass(failureClass)
        .trigger(trigger)
        .primary(primary)
        .chain(chain)
        .findings(findings)
        .ruleFailures(ruleFailures)
        .crashFound(crashFound)
        .otherIncidents(otherIncidents)
        .boots(boots)
        .crashBoot(crashBoot);
  }

  /**
   * Sets the parts of a {@link Diagnosis} one by one; a part not set stays as {@link
   * #builder(CrashReport)} describes.
   */
  public static final class Builder {
    private CrashReport report;
    private @Nullable String title;
    private List<String> altTitles = List.of();
    private boolean corrupted;
    private @Nullable String signature;
    private FailureClass failureClass = FailureClass.UNKNOWN;
    private FailureClass trigger = FailureClass.UNKNOWN;
    private @Nullable PrimaryFailure primary;
    private List<ChainEvent> chain = List.of();
    private List<Finding> findings = List.of();
    private List<RuleFailure> ruleFailures = List.of();
    private boolean crashFound;
    private List<Incident> otherIncidents = List.of();
    private int boots = 1;
    private int crashBoot;

    private Builder(CrashReport report) {
      this.report = report;
    }

    public Builder report(CrashReport value) {
      report = value;
      return this;
    }

    public Builder title(@Nullable String value) {
      title = value;
      return this;
    }

    public Builder altTitles(List<String> value) {
      altTitles = value;
      return this;
    }

    public Builder corrupted(boolean value) {
      corrupted = value;
      return this;
    }

    public Builder signature(@Nullable String value) {
      signature = value;
      return this;
    }

    public Builder failureClass(FailureClass value) {
      failureClass = value;
      return this;
    }

    public Builder trigger(FailureClass value) {
      trigger = value;
      return this;
    }

    public Builder primary(@Nullable PrimaryFailure value) {
      primary = value;
      return this;
    }

    public Builder chain(List<ChainEvent> value) {
      chain = value;
      return this;
    }

    public Builder findings(List<Finding> value) {
      findings = value;
      return this;
    }

    public Builder ruleFailures(List<RuleFailure> value) {
      ruleFailures = value;
      return this;
    }

    public Builder crashFound(boolean value) {
      crashFound = value;
      return this;
    }

    public Builder otherIncidents(List<Incident> value) {
      otherIncidents = value;
      return this;
    }

    public Builder boots(int value) {
      boots = value;
      return this;
    }

    public Builder crashBoot(int value) {
      crashBoot = value;
      return this;
    }

    public Diagnosis build() {
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
}
