package org.ktriage.analysis;

import java.util.ArrayList;
import java.util.List;
import org.ktriage.analysis.order.CauseOrder;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.rule.RuleBook;
import org.ktriage.analysis.rule.computed.RecursiveSpinlockRule;
import org.ktriage.analysis.signature.CrashTitle;
import org.ktriage.analysis.signature.CrashTitles;
import org.ktriage.analysis.signature.Signature;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.RuleFailure;

/** Entry point of analysis: a pure function from a {@link CrashReport} to its {@link Diagnosis}. */
public final class Analyzer {

  private final RuleBook rules;

  /** An analyzer with the bundled rules. */
  public Analyzer() {
    this(RuleBook.bundled());
  }

  /** An analyzer with the given rules (bundled plus a team's, see {@link RuleBook#withExtra}). */
  public Analyzer(RuleBook rules) {
    this.rules = rules;
  }

  /** Analyses one report. Never throws for any report a reader produced. */
  public Diagnosis analyze(CrashReport report) {
    CrashFacts facts;
    try {
      facts = CauseOrder.facts(report);
    } catch (RuntimeException e) {
      return new Diagnosis(
          report,
          null,
          List.of(),
          false,
          null,
          FailureClass.UNKNOWN,
          FailureClass.UNKNOWN,
          null,
          List.of(),
          List.of(),
          List.of(
              new RuleFailure("cause-order", e.getClass().getSimpleName() + ": " + e.getMessage())),
          report.hasCrash());
    }
    RuleBook.Results results = rules.run(facts);
    // the chain marks the recursive acquisition the rule found; a rule that threw is already a
    // RuleFailure in the results, and the chain then shows a plain lock wait
    String recursiveWhere = results.value(RecursiveSpinlockRule.ID, RecursiveSpinlockRule.SPINNER);
    List<RuleFailure> failures = new ArrayList<>(results.failures());
    PrimaryFailure primary = facts.primary() == null ? null : facts.primary().toModel();
    CrashTitle title = null;
    try {
      title = CrashTitles.of(report, primary == null ? null : primary.function());
    } catch (RuntimeException e) {
      failures.add(new RuleFailure("title", e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    boolean crashFound = report.hasCrash() || title != null || primary != null;
    String signature = null;
    if (crashFound) {
      try {
        Signature sig = Signature.of(facts.primaryClass(), report, primary);
        signature =
            sig.frames().isEmpty() && title != null
                ? Signature.ofTitle(facts.primaryClass(), title.title()).id()
                : sig.id();
      } catch (RuntimeException e) {
        failures.add(
            new RuleFailure("signature", e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }
    return new Diagnosis(
        report,
        title == null ? null : title.title(),
        title == null ? List.of() : title.altTitles(),
        title != null && title.corrupted(),
        signature,
        facts.primaryClass(),
        facts.trigger(),
        primary,
        CauseOrder.chain(facts, recursiveWhere),
        results.findings(),
        failures,
        crashFound);
  }

  /** The facts analysis derives before rules run (for tests and tools). */
  public static CrashFacts facts(CrashReport report) {
    return CauseOrder.facts(report);
  }
}
