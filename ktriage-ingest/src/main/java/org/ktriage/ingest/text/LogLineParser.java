package org.ktriage.ingest.text;

import org.jspecify.annotations.Nullable;
import org.ktriage.model.LogRecord;
import org.ktriage.model.SourceSpan;

/**
 * Strips the prefixes that the kernel, syslog, journald, {@code dmesg} and {@code /dev/kmsg} put
 * before a kernel message, in this order: syslog {@code <N>}; {@code /dev/kmsg} {@code
 * level,seq,usec,flags;}; syslog/journal {@code Mon dd hh:mm:ss host kernel: } or ISO {@code
 * 2019-11-17T05:56:07+0000 host kernel: }; {@code <N>} again; printk time {@code [ sssss.uuuuuu]}
 * or {@code dmesg -T} {@code [Tue Nov 17 05:56:07 2019]}; printk caller id {@code [ T123]}/{@code [
 * C1]} (inside or after the time bracket). Hand-written prefix checks, no regular expression on the
 * common path. The order lives here; the time forms are {@link PrintkTimes}, the dresses (quoting,
 * syslog, journal, kmsg, vendor prefixes) {@link LineDresses}, both reading one {@link LineCursor}.
 */
public final class LogLineParser {

  private LogLineParser() {}

  /**
   * The fields of one line; {@code timestampNanos} is null when the line carried no printk time.
   */
  public record Parsed(
      @Nullable Long timestampNanos,
      @Nullable Long wallClockEpochSeconds,
      int level,
      @Nullable String callerId,
      String text) {}

  /** Parses one line into a {@link LogRecord}. */
  public static LogRecord record(String line, long seq, String path, int lineNumber) {
    return record(line, null, seq, path, lineNumber);
  }

  /**
   * Parses one line into a {@link LogRecord}; {@code latin1}, when not null, holds the line's chars
   * one byte each from index 0 ({@link LineReader#lastLineBytes}), read instead of a copy.
   */
  static LogRecord record(
      String line, byte @Nullable [] latin1, long seq, String path, int lineNumber) {
    Parsed p = parse(line, latin1);
    return new LogRecord(
        seq,
        p.timestampNanos(),
        p.level(),
        p.callerId(),
        p.text(),
        SourceSpan.line(path, lineNumber));
  }

  /** Parses one line into its fields. */
  public static Parsed parse(String line) {
    return parse(line, null);
  }

  private static Parsed parse(String line, byte @Nullable [] latin1) {
    LineCursor c = new LineCursor(line, latin1);
    prefix(c);
    return new Parsed(c.nanosOrNull(), c.wallSeconds, c.level, c.caller(), line.substring(c.i));
  }

  /**
   * Reads the prefixes of the cursor's line, leaving {@code c.i} at the start of its text and the
   * fields in the cursor; allocates nothing on a plain line.
   */
  static void prefix(LineCursor c) {
    LineDresses.quote(c);
    int unindented = c.i;
    LineDresses.indent(c);
    int indented = c.i;
    LineDresses.consoleClock(c);
    PrintkTimes.bareSeconds(c);
    c.level();
    if (!LineDresses.kmsg(c)) {
      LineDresses.syslog(c);
      LineDresses.gluedKernelTag(c);
      c.level();
    }
    PrintkTimes.timestamp(c);
    LineDresses.afterTimestampSyslog(c);
    PrintkTimes.embeddedTimestamp(c);
    if (indented > unindented && c.i == indented && !c.recognized()) {
      // blanks before ordinary text are part of it (" <IRQ>", " [<ffffffff…>] frame")
      c.i = unindented;
    }
  }

  /** The record of the line the cursor has read ({@link #prefix}). */
  static LogRecord record(LineCursor c, long seq, String path, int lineNumber) {
    return new LogRecord(
        seq,
        c.nanosOrNull(),
        c.level,
        c.caller(),
        c.substring(c.i, c.n),
        SourceSpan.line(path, lineNumber));
  }
}
