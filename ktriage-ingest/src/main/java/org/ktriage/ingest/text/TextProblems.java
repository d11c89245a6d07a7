package org.ktriage.ingest.text;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.ReadLimits;
import org.ktriage.model.Completeness;
import org.ktriage.model.Oops;
import org.ktriage.model.SourceSpan;

/**
 * What a text read could not keep or could not see, each said as one problem: cut lines, the log
 * window, reports beyond the caps, a trace with no header, reports cut by the end of the input,
 * unread {@code crash} frames. Everything but the log window and crash's own note on the dump makes
 * the report PARTIAL.
 */
final class TextProblems {
  private final String path;
  private final List<String> problems = new ArrayList<>();
  private boolean partial;

  TextProblems(String path) {
    this.path = path;
  }

  private void partial(String problem) {
    partial = true;
    problems.add(path + ": " + problem);
  }

  private void note(String problem) {
    problems.add(path + ": " + problem);
  }

  /** Lines longer than {@link LineReader#MAX_LINE_BYTES} that the line reader cut. */
  TextProblems cutLines(long truncated) {
    if (truncated > 0) {
      partial(truncated + " line(s) longer than " + LineReader.MAX_LINE_BYTES + " bytes were cut");
    }
    return this;
  }

  /** Log lines beyond the window (the lines inside reports are kept whatever their age). */
  TextProblems logWindow(long lines, int window) {
    if (lines > window) {
      note(
          "kept the last "
              + window
              + " of "
              + lines
              + " log lines (and every line inside a report)");
    }
    return this;
  }

  /** Reports the parser dropped or capped, a header-less trace, reports cut by the input's end. */
  TextProblems reports(OopsParser parser, List<Oops> found) {
    if (parser.droppedReports() > 0) {
      partial(
          "kept the first "
              + OopsParser.MAX_REPORTS
              + " reports; "
              + parser.droppedReports()
              + " later report(s) were not kept");
    }
    for (String report : parser.cappedReports()) {
      partial(
          "report "
              + report
              + " has more than "
              + ReadLimits.LINES_PER_REPORT
              + " lines: kept its first "
              + ReadLimits.LINES_PER_REPORT
              + ", the rest were not read as part of it");
    }
    if (parser.traceOnly() && !found.isEmpty()) {
      Oops o = found.get(0);
      partial(
          "no report header, only a call trace (lines "
              + o.span().line()
              + "-"
              + o.span().endLine()
              + "): the kind of failure and the faulting context are not shown");
    }
    for (Oops o : found) {
      if (!o.complete()) {
        partial(
            "report \""
                + o.headline()
                + "\" is cut at line "
                + o.span().endLine()
                + " (input ended before its end)");
      }
    }
    return this;
  }

  /** {@code bt} frames too wide to be crash output, and crash's note on the dump it read. */
  TextProblems crashSession(CrashSessionParser crash) {
    SourceSpan unread = crash.firstUnreadFrame();
    if (unread != null) {
      partial(
          crash.unreadFrames()
              + " crash bt frame line(s) not read (an address or offset wider than 64 bits),"
              + " the first at line "
              + unread.line());
    }
    @Nullable String dumpNote = crash.dumpNote();
    if (dumpNote != null) {
      note("crash says the dump is " + dumpNote);
    }
    return this;
  }

  Completeness completeness() {
    return new Completeness(partial, problems);
  }
}
