package org.ktriage.ingest.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
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

/**
 * Reads one text input in a single streaming pass: lines are normalized ({@link LogReader}), {@code
 * crash} output is taken by {@link CrashSessionParser}, every other line goes to {@link OopsParser}
 * and to a bounded window of log records ({@link #LOG_WINDOW} most recent lines; the lines of
 * reports are kept inside the reports whatever their age).
 *
 * <p>A plain ASCII line stays bytes: its prefixes are read in place, and only when one of the three
 * readers {@code wants} it (it may be crash output, report material, or a report is open) does it
 * become a {@link LogRecord}; the others are tallied and kept as bytes in the log window.
 */
public final class TextReader {
  /** Log records kept besides those inside reports. */
  public static final int LOG_WINDOW = 20_000;

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
    return read(in, path, true);
  }

  /**
   * Reads the stream; {@code bytesWhenPlain} false makes every line a record (what the byte-level
   * tests must never change: compared on real logs by {@code LineGateTest}).
   */
  static TextResult read(InputStream in, String path, boolean bytesWhenPlain) throws IOException {
    OopsParser oopses = new OopsParser();
    LogTally log = new LogTally(LOG_WINDOW, path);
    CrashSessionParser crash = new CrashSessionParser(oopses.andThen(log));
    LogReader reader = new LogReader(in, path);
    long kernelTagged = 0;
    while (reader.advanceLine()) {
      LineCursor k = reader.cursor();
      if (k != null && k.sawSyslog) {
        // syslog's "kernel:" tag (or journalctl's): the kernel's own line, timestamped or not
        kernelTagged++;
      }
      LineCursor c = bytesWhenPlain ? k : null;
      if (c != null) {
        int from = ReportShapes.firstNonBlank(c.b, c.i, c.n);
        if (!crash.wants(c, from) && !oopses.wants(c, from) && !log.wants(c)) {
          // the common line: nothing crash-shaped, no report open; it stays bytes
          oopses.skipped(c);
          log.skipped(c, reader.lineSeq(), reader.lineNumber());
          continue;
        }
      }
      crash.accept(reader.record());
    }
    crash.finish();
    List<Oops> found = oopses.finish();
    Completeness completeness =
        new TextProblems(path)
            .cutLines(reader.truncatedLines())
            .logWindow(log.lines(), LOG_WINDOW)
            .reports(oopses, found)
            .crashSession(crash)
            .completeness();
    boolean crashOut = crash.sawCrashOutput();
    boolean kernelText =
        crashOut
            || !found.isEmpty()
            || log.kernelLines() > 0
            || kernelTagged > 0
            || log.release() != null;
    return new TextResult(
        crashOut ? InputFormat.CRASH_SESSION : InputFormat.KERNEL_LOG,
        kernel(crash.sys(), log, found),
        log.window(),
        log.lines(),
        found,
        crash.cpus(),
        crash.panic(),
        crash.modules(),
        kernelText,
        completeness);
  }

  /**
   * The kernel the input shows: crash's {@code sys} banner first, then the log's {@code Linux
   * version} line, then the first report's {@code CPU: … <release>} line.
   */
  private static KernelInfo kernel(Map<String, String> sys, LogTally log, List<Oops> found) {
    String release = sys.containsKey("RELEASE") ? sys.get("RELEASE") : log.release();
    String version = sys.containsKey("VERSION") ? sys.get("VERSION") : log.version();
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
    return new KernelInfo(
        release,
        version,
        arch,
        node,
        first == null ? null : first.taint(),
        first == null ? null : first.hardware(),
        MemoryLayout.unknown());
  }
}
