package org.ktriage.ingest.text;

import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.kind.ReportKind;
import org.ktriage.model.kind.ReportKinds;

/**
 * Ingest's view of the report-kind table ({@link ReportKinds}): the header a line opens a report
 * with, for cutting a log into reports.
 */
public final class ReportFormats {
  private ReportFormats() {}

  /** Die header: {@code Oops: 0002 [#1] …}, ≥v6.10 {@code Oops: Oops: …}, other trap names. */
  public static final String DIE_TEMPLATE = ReportKinds.DIE_TEMPLATE;

  /** The kind of a report that has a call trace but no header: {@link ReportKinds#TRACE_ONLY}. */
  public static final ReportKind TRACE_ONLY = ReportKinds.TRACE_ONLY;

  /** A header that matched a line, with its match. */
  public record HeaderMatch(ReportKind rule, Matcher matcher) {}

  /** The first header matching {@code text} from {@code from}, or null. */
  public static @Nullable HeaderMatch match(String text, int from) {
    ReportKinds.Match m = ReportKinds.match(text, from);
    return m == null ? null : new HeaderMatch(m.kind(), m.matcher());
  }
}
