package org.ktriage.analysis;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CauseOrder;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Incidents;
import org.ktriage.analysis.rule.RuleBook;
import org.ktriage.analysis.rule.computed.RecursiveSpinlockRule;
import org.ktriage.analysis.signature.CrashTitle;
import org.ktriage.analysis.signature.CrashTitles;
import org.ktriage.analysis.signature.Signature;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Incident;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
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

  /**
   * At most this many other incidents of one log are analysed: a log of thousands of unrelated
   * reports (a fuzzing log, a flood) is diagnosed on its crash, not re-analysed thousands of times.
   */
  public static final int MAX_OTHER_INCIDENTS = 16;

  /**
   * Analyses one report: the crash it shows (the incident {@link CauseOrder} orders), and each
   * other independent incident of its log ({@link Incidents}) on its own. Never throws for any
   * report a reader produced.
   */
  public Diagnosis analyze(CrashReport report) {
    if (report.oopses().isEmpty()) {
      return analyzeIncident(report, null);
    }
    List<Incidents.Group> groups;
    int boots;
    int crashBoot;
    CrashReport focus;
    CrashFacts facts;
    try {
      facts = CauseOrder.facts(report);
      groups = Incidents.independent(facts);
      boots = Incidents.boots(facts);
      crashBoot = Incidents.crashBoot(facts);
      focus =
          boots == 1
              ? null
              : report.toBuilder()
                  .log(Incidents.crashBootLines(facts))
                  .oopses(Incidents.crashBootReports(facts))
                  .build();
    } catch (RuntimeException e) {
      return withFailure(analyzeIncident(report, null), "incidents", e);
    }
    // the facts of the whole report, derived once: its diagnosis reads the same facts
    Diagnosis d = analyzeIncident(report, focus, facts);
    try {
      List<Incident> others = new ArrayList<>();
      for (Incidents.Group g : groups.subList(0, Math.min(groups.size(), MAX_OTHER_INCIDENTS))) {
        others.add(incident(report, g));
      }
      return d.toBuilder().otherIncidents(others).boots(boots).crashBoot(crashBoot).build();
    } catch (RuntimeException e) {
      return withFailure(d.toBuilder().boots(boots).crashBoot(crashBoot).build(), "incidents", e);
    }
  }

  private static Diagnosis withFailure(Diagnosis d, String step, RuntimeException e) {
    List<RuleFailure> failures = new ArrayList<>(d.ruleFailures());
    failures.add(new RuleFailure(step, e.getClass().getSimpleName() + ": " + e.getMessage()));
    return d.toBuilder().ruleFailures(failures).build();
  }

  /**
   * One independent incident analysed on its own: its reports and its boot's log, without what
   * belongs to the crash the inputs were taken at (the panic, the CPUs and memory of a dump, the
   * modules loaded then). Its title is read from its first report on: an earlier incident of the
   * same boot is not its title.
   */
  private Incident incident(CrashReport report, Incidents.Group g) {
    Oops first = g.reports().get(0);
    CrashReport part =
        CrashReport.builder()
            .sources(report.sources())
            .kernel(report.kernel())
            .log(g.bootLines())
            .oopses(g.reports())
            .completeness(report.completeness())
            .build();
    LogRecord line = first.lines().isEmpty() ? null : first.lines().get(0);
    CrashReport focus = null;
    if (line != null) {
      long from = line.seq();
      focus =
          part.toBuilder()
              .log(g.bootLines().stream().filter(r -> r.seq() >= from).toList())
              .build();
    }
    Diagnosis d = analyzeIncident(part, focus);
    return new Incident(
        g.boot(), g.reports().size(), first.span(), line == null ? null : line.timestampNanos(), d);
  }

  /**
   * Analyses the crash of one report, without looking for other incidents in its log. Its title and
   * signature are read from {@code focus} when given (the same report with the log and the reports
   * from the incident's first failure on, when the log holds other incidents), else from the whole
   * report.
   */
  private Diagnosis analyzeIncident(CrashReport report, @Nullable CrashReport focus) {
    CrashFacts facts;
    try {
      facts = CauseOrder.facts(report);
    } catch (RuntimeException e) {
      return Diagnosis.builder(report)
          .ruleFailures(
              List.of(
                  new RuleFailure(
                      "cause-order", e.getClass().getSimpleName() + ": " + e.getMessage())))
          .crashFound(report.hasCrash())
          .build();
    }
    return analyzeIncident(report, focus, facts);
  }

  /** {@link #analyzeIncident(CrashReport, CrashReport)} on the report's facts already derived. */
  private Diagnosis analyzeIncident(
      CrashReport report, @Nullable CrashReport focus, CrashFacts facts) {
    RuleBook.Results results = rules.run(facts);
    // the chain marks the recursive acquisition the rule found; a rule that threw is already a
    // RuleFailure in the results, and the chain then shows a plain lock wait
    String recursiveWhere = results.value(RecursiveSpinlockRule.ID, RecursiveSpinlockRule.SPINNER);
    List<RuleFailure> failures = new ArrayList<>(results.failures());
    PrimaryFailure primary = facts.primary() == null ? null : facts.primary().toModel();
    CrashTitle title = null;
    try {
      String function = primary == null ? null : primary.function();
      if (focus != null) {
        title = CrashTitles.of(focus, function);
      }
      if (title == null) {
        title = CrashTitles.of(report, function);
      }
    } catch (RuntimeException e) {
      failures.add(new RuleFailure("title", e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    boolean crashFound = report.hasCrash() || title != null || primary != null;
    String signature = null;
    if (crashFound) {
      try {
        // a function only a symbolized trace names (inlined) is signed by the symbol holding it
        PrimaryFailure signed =
            facts.primary() == null ? null : facts.primary().asPrinted(facts).toModel();
        Signature sig = Signature.of(facts.primaryClass(), focus != null ? focus : report, signed);
        signature =
            sig.frames().isEmpty() && title != null
                ? Signature.ofTitle(facts.primaryClass(), title.title()).id()
                : sig.id();
      } catch (RuntimeException e) {
        failures.add(
            new RuleFailure("signature", e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }
    return Diagnosis.builder(report)
        .title(title == null ? null : title.title())
        .altTitles(title == null ? List.of() : title.altTitles())
        .corrupted(title != null && title.corrupted())
        .signature(signature)
        .failureClass(facts.primaryClass())
        .trigger(facts.trigger())
        .primary(primary)
        .chain(CauseOrder.chain(facts, recursiveWhere))
        .findings(results.findings())
        .ruleFailures(failures)
        .crashFound(crashFound)
        .build();
  }

  /** The facts analysis derives before rules run (for tests and tools). */
  public static CrashFacts facts(CrashReport report) {
    return CauseOrder.facts(report);
  }
}
