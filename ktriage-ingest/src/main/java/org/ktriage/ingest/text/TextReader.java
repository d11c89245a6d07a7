package org.ktriage.ingest.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Completeness;
import org.ktriage.model.CpuState;
import org.ktriage.model.InputFormat;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;
import org.ktriage.model.MemoryLayout;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.SourceSpan;

/**
 * Reads one text input in a single streaming pass: lines are normalized ({@link LogReader}), {@code
 * crash} output is taken by {@link CrashSessionParser}, every other line goes to {@link OopsParser}
 * and to a bounded window of log records ({@link #LOG_WINDOW} most recent lines; the lines of
 * reports are kept inside the reports whatever their age).
 */
public final class TextReader {
  /** Log records kept besides those inside reports. */
  public static final int LOG_WINDOW = 20_000;

  private static final Pattern LINUX_VERSION =
      Pattern.compile("Linux version (?<rel>\\S+) .*?(?<ver>#\\d+.*)?$");

  private TextReader() {}

  /** What one text input holds. */
  public record TextResult(
      InputFormat format,
      KernelInfo kernel,
      List<LogRecord> log,
      long logLines,
      List<Oops> oopses,
      List<CpuState> cpus,
      @Nullable PanicInfo crashPanic,
      List<KernelModule> modules,
      boolean kernelText,
      Completeness completeness) {}

  /** Reads the stream (not closed here). */
  public static TextResult read(InputStream in, String path) throws IOException {
    OopsParser oopses = new OopsParser();
    ArrayDeque<LogRecord> window = new ArrayDeque<>();
    long[] count = new long[2];
    String[] linuxVersion = new String[2];
    CrashSessionParser crash =
        new CrashSessionParser(
            r -> {
              oopses.accept(r);
              count[0]++;
              if (r.timestampNanos() != null || r.level() >= 0) {
                count[1]++;
              }
              if (linuxVersion[0] == null && r.text().startsWith("Linux version ")) {
                Matcher m = LINUX_VERSION.matcher(r.text());
                if (m.find()) {
                  linuxVersion[0] = m.group("rel");
                  linuxVersion[1] = m.group("ver");
                }
              }
              if (window.size() == LOG_WINDOW) {
                window.removeFirst();
              }
              window.addLast(r);
            });
    LogReader reader = new LogReader(in, path);
    try {
      while (reader.hasNext()) {
        crash.accept(reader.next());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    crash.finish();
    List<Oops> found = oopses.finish();
    List<String> problems = new ArrayList<>();
    boolean partial = false;
    if (reader.truncatedLines() > 0) {
      problems.add(
          path
              + ": "
              + reader.truncatedLines()
              + " line(s) longer than "
              + LineReader.MAX_LINE_BYTES
              + " bytes were cut");
      partial = true;
    }
    if (count[0] > LOG_WINDOW) {
      problems.add(
          path
              + ": kept the last "
              + LOG_WINDOW
              + " of "
              + count[0]
              + " log lines (and every line inside a report)");
    }
    if (oopses.droppedReports() > 0) {
      partial = true;
      problems.add(
          path
              + ": kept the first "
              + OopsParser.MAX_REPORTS
              + " reports; "
              + oopses.droppedReports()
              + " later report(s) were not kept");
    }
    for (String report : oopses.cappedReports()) {
      partial = true;
      problems.add(
          path
              + ": report "
              + report
              + " has more than "
              + org.ktriage.ingest.bin.ReadLimits.LINES_PER_REPORT
              + " lines: kept its first "
              + org.ktriage.ingest.bin.ReadLimits.LINES_PER_REPORT
              + ", the rest were not read as part of it");
    }
    if (oopses.traceOnly()) {
      Oops o = found.get(0);
      partial = true;
      problems.add(
          path
              + ": no report header, only a call trace (lines "
              + o.span().line()
              + "-"
              + o.span().endLine()
              + "): the kind of failure and the faulting context are not shown");
    }
    for (Oops o : found) {
      if (!o.complete()) {
        partial = true;
        problems.add(
            path
                + ": report \""
                + o.headline()
                + "\" is cut at line "
                + o.span().endLine()
                + " (input ended before its end)");
      }
    }
    SourceSpan unread = crash.firstUnreadFrame();
    if (unread != null) {
      partial = true;
      problems.add(
          path
              + ": "
              + crash.unreadFrames()
              + " crash bt frame line(s) not read (an address or offset wider than 64 bits),"
              + " the first at line "
              + unread.line());
    }
    String dumpNote = crash.dumpNote();
    if (dumpNote != null) {
      problems.add(path + ": crash says the dump is " + dumpNote);
    }
    Map<String, String> sys = crash.sys();
    String release = sys.getOrDefault("RELEASE", linuxVersion[0]);
    String version = sys.getOrDefault("VERSION", linuxVersion[1]);
    String machine = sys.get("MACHINE");
    String arch = machine == null ? null : machine.split("\\s+", -1)[0];
    String node = sys.get("NODENAME");
    if (node != null && node.equals("(none)")) {
      node = null;
    }
    Oops first = found.isEmpty() ? null : found.get(0);
    if (release == null && first != null) {
      release = first.release();
    }
    KernelInfo kernel =
        new KernelInfo(
            release,
            version,
            arch,
            node,
            first == null ? null : first.taint(),
            first == null ? null : first.hardware(),
            MemoryLayout.unknown());
    boolean crashOut = crash.sawCrashOutput();
    boolean kernelText = crashOut || !found.isEmpty() || count[1] > 0 || linuxVersion[0] != null;
    return new TextResult(
        crashOut ? InputFormat.CRASH_SESSION : InputFormat.KERNEL_LOG,
        kernel,
        List.copyOf(window),
        count[0],
        found,
        crash.cpus(),
        crash.panic(),
        crash.modules(),
        kernelText,
        new Completeness(partial, problems));
  }
}
