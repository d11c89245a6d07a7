package org.ktriage.render.html;

import static org.ktriage.render.Printable.clean;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.CrashReport;
import org.ktriage.model.LogRecord;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.kind.LineKinds;
import org.ktriage.render.html.ReportView.LogLineView;

/**
 * The log as shown: at most {@value #LOG_BEFORE} lines before the first report and {@value
 * #LOG_AFTER} from it on (the log's tail when it holds no report), each line with its anchor, its
 * kind from the report-kind table and whether some evidence cites it.
 */
final class LogWindows {
  private LogWindows() {}

  /** Log lines shown before the first report, and after it. */
  private static final int LOG_BEFORE = 1000;

  private static final int LOG_AFTER = 500;

  /** Fills {@code out} with the log lines around the first report; returns what was left out. */
  static @Nullable String logWindow(
      CrashReport r, LineAnchors anchors, Set<String> cited, List<LogLineView> out) {
    List<LogRecord> log = r.log();
    int center = log.size();
    if (!r.oopses().isEmpty()) {
      SourceSpan first = r.oopses().get(0).span();
      for (int i = 0; i < log.size(); i++) {
        SourceSpan s = log.get(i).source();
        if (s.path().equals(first.path()) && s.line() >= first.line()) {
          center = i;
          break;
        }
      }
    }
    int from = Math.max(0, Math.min(center, log.size()) - LOG_BEFORE);
    int to = Math.min(log.size(), Math.max(center, 0) + LOG_AFTER);
    if (center == log.size()) {
      from = Math.max(0, log.size() - LOG_BEFORE - LOG_AFTER);
      to = log.size();
    }
    for (int i = from; i < to; i++) {
      LogRecord rec = log.get(i);
      String id =
          rec.source().line() > 0
              ? anchors.of(rec.source().path(), rec.source().line())
              : "log-" + i;
      out.add(
          new LogLineView(
              id,
              time(rec.timestampNanos()),
              clean(rec.text()),
              kind(rec.text()),
              cited.contains(id),
              clean(rec.source().toString())));
    }
    int hidden = log.size() - (to - from);
    return hidden > 0 ? hidden + " log lines farther from the crash are not shown" : null;
  }

  /** The kind of a log line from the report-kind table (CSS class; empty for plain lines). */
  private static String kind(String text) {
    return LineKinds.of(text).id();
  }

  private static String time(@Nullable Long nanos) {
    if (nanos == null) {
      return "";
    }
    long micros = nanos / 1000;
    return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
  }
}
