package org.ktriage.analysis.classify;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.text.RequiredLiteral;
import org.ktriage.model.FailureClass;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.kind.ReportKinds;
import org.ktriage.model.kind.ReportRole;
import org.ktriage.model.kind.Wording;

/**
 * Classifies what the kernel printed (an oops headline, die header, report body or panic message)
 * into the {@link FailureClass} vocabulary. The knowledge is the report-kind table's ({@link
 * ReportKinds}: its class wordings, the class of each header, the panic wordings); this class is
 * only the engine that applies it in order (formats.md §7, playbook §1–§18): specific wordings
 * first, then the class of a kind the table titles itself, then the generic headers' wordings. What
 * a report's own evidence then makes precise (a fault at the NULL page, slab poison) is {@link
 * ClassRefinements}'.
 */
public final class FailureClassifier {

  private FailureClassifier() {}

  /** Lines read from a report body to find overrides and a class when the headline has none. */
  static final int BODY_LINES = 60;

  /** The class of one report. */
  public static FailureClass classify(Oops oops) {
    return ClassRefinements.refine(oops, classifyReport(oops));
  }

  private static FailureClass classifyReport(Oops oops) {
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), BODY_LINES);
    for (Wording r : ReportKinds.BODY_OVERRIDES) {
      for (int i = 0; i < limit; i++) {
        // a paste's indentation is not the kernel's: the overrides anchor at the printed text
        if (r.pattern().matcher(lines.get(i).text().strip()).find()) {
          return r.failureClass();
        }
      }
      if (oops.ip() != null
          && oops.ip().function() != null
          && r.pattern().matcher(oops.ip().function()).find()) {
        return r.failureClass();
      }
    }
    FailureClass c = classifyText(oops.headline());
    if (c != FailureClass.UNKNOWN) {
      if (c == FailureClass.PAGE_FAULT && oops.headline().startsWith("Oops")) {
        // A bare die header: a body line may say more.
        FailureClass body = classifyLines(lines, limit);
        return body == FailureClass.UNKNOWN ? c : body;
      }
      return c;
    }
    if (oops.dieHeader() != null) {
      c = classifyText(oops.dieHeader());
      if (c != FailureClass.UNKNOWN) {
        return c;
      }
    }
    c = classifyLines(lines, limit);
    if (c != FailureClass.UNKNOWN) {
      return c;
    }
    c = kindClass(oops.headline());
    if (c != FailureClass.UNKNOWN) {
      return c;
    }
    if (oops.panicMessage() != null) {
      c = classifyPanic(oops.panicMessage());
      if (c == FailureClass.UNKNOWN && isFatalException(oops.panicMessage())) {
        // "Fatal exception" is printed only after die() (x86 oops_end, arm64/s390/powerpc die) of
        // an exception taken in kernel mode; with the die header lost, the commonest path there is
        // a kernel page fault (x86 page_fault_oops, arm64 die_kernel_fault, s390 do_no_context).
        return FailureClass.PAGE_FAULT;
      }
      return c;
    }
    return FailureClass.UNKNOWN;
  }

  /**
   * The class the report-kind table gives the headline's kind, when the rows above know nothing of
   * it (a kind added as one table entry); headers that open a report only with a body prove
   * nothing.
   */
  private static FailureClass kindClass(String headline) {
    String t = headline.strip();
    ReportKinds.Match m = ReportKinds.match(t, 0);
    if (m == null || m.kind().role() == ReportRole.TENTATIVE) {
      return FailureClass.UNKNOWN;
    }
    return m.kind().failureClass();
  }

  private static FailureClass classifyLines(List<LogRecord> lines, int limit) {
    for (int i = 0; i < limit; i++) {
      FailureClass c = classifyText(lines.get(i).text());
      if (c != FailureClass.UNKNOWN && c != FailureClass.EXPLICIT_PANIC) {
        return c;
      }
    }
    return FailureClass.UNKNOWN;
  }

  /** The class a single printed line names, or UNKNOWN. */
  public static FailureClass classifyText(@Nullable String text) {
    if (text == null) {
      return FailureClass.UNKNOWN;
    }
    String t = text.strip();
    int panic = t.indexOf("Kernel panic - not syncing:");
    if (panic >= 0) {
      return classifyPanic(t.substring(panic + "Kernel panic - not syncing:".length()));
    }
    return wordingClass(t);
  }

  /**
   * The required literal of each wording of the table's lists ({@link RequiredLiteral}, empty for
   * none), in their order: a line without it is passed over without a regex search.
   */
  private static final String[] CLASS_LITERALS = literals(ReportKinds.CLASS_WORDINGS);

  private static final String[] GENERIC_LITERALS = literals(ReportKinds.GENERIC_WORDINGS);
  private static final String[] PANIC_LITERALS = literals(ReportKinds.PANIC_WORDINGS);

  private static String[] literals(List<Wording> wordings) {
    return wordings.stream().map(w -> RequiredLiteral.of(w.pattern())).toArray(String[]::new);
  }

  /** The first wording of the list that the text matches, or null. */
  private static @Nullable Wording first(List<Wording> wordings, String[] literals, String t) {
    for (int i = 0; i < literals.length; i++) {
      if (t.contains(literals[i]) && wordings.get(i).pattern().matcher(t).find()) {
        return wordings.get(i);
      }
    }
    return null;
  }

  /** The class the table's wordings and headers give one line, in the table's order. */
  private static FailureClass wordingClass(String t) {
    Wording w = first(ReportKinds.CLASS_WORDINGS, CLASS_LITERALS, t);
    if (w != null) {
      return w.failureClass();
    }
    // A kind that carries its own title is a specific header: its class stands before the
    // generic "BUG:"/"WARNING:"/"Oops" wordings.
    ReportKinds.Match m = ReportKinds.match(t, 0);
    if (m != null && m.kind().title() != null && m.kind().failureClass() != FailureClass.UNKNOWN) {
      return m.kind().failureClass();
    }
    Wording g = first(ReportKinds.GENERIC_WORDINGS, GENERIC_LITERALS, t);
    return g != null ? g.failureClass() : FailureClass.UNKNOWN;
  }

  /**
   * The trigger a panic message names; {@code Fatal exception} and oops headlines (crash's {@code
   * PANIC:} string) give the class of the report; any other message is an explicit panic.
   */
  public static FailureClass classifyPanic(String message) {
    String m = panicText(message);
    Wording w = first(ReportKinds.PANIC_WORDINGS, PANIC_LITERALS, m);
    if (w != null) {
      return w.failureClass();
    }
    if (ReportKinds.FATAL_EXCEPTION.pattern().matcher(m).find()) {
      return ReportKinds.FATAL_EXCEPTION.failureClass();
    }
    FailureClass c = wordingClass(m);
    return c == FailureClass.UNKNOWN ? FailureClass.EXPLICIT_PANIC : c;
  }

  /** The detector or policy a panic message names (lockup, stall, OOM, …), or UNKNOWN. */
  public static FailureClass panicDetector(String message) {
    String m = panicText(message);
    Wording w = first(ReportKinds.PANIC_WORDINGS, PANIC_LITERALS, m);
    return w != null ? w.failureClass() : FailureClass.UNKNOWN;
  }

  /** True for panic messages that only say an oops was fatal (the oops names the class). */
  public static boolean isFatalException(String message) {
    return ReportKinds.FATAL_EXCEPTION.pattern().matcher(panicText(message)).find();
  }

  private static final String PANIC_PREFIX = "Kernel panic - not syncing:";

  /**
   * The message panic() was given, without the {@code Kernel panic - not syncing:} prefix that
   * crash's {@code PANIC:} string keeps.
   */
  public static String panicText(String message) {
    String m = message.strip();
    int at = m.indexOf(PANIC_PREFIX);
    return at >= 0 ? m.substring(at + PANIC_PREFIX.length()).strip() : m;
  }
}
