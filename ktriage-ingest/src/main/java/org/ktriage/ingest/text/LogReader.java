package org.ktriage.ingest.text;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.LogRecord;
import org.ktriage.model.kind.ReportKinds;

/**
 * Streams a text input as {@link LogRecord}s, one per line, with prefixes normalized by {@link
 * LogLineParser}; never holds more than one line.
 */
public final class LogReader implements Iterator<LogRecord>, Closeable {
  /**
   * The chars whose places in a plain line the gates of {@link TextReader} ask about, noted while
   * the line is read: a later time bracket and a frame's {@code [<}, a frame's {@code +0x}, a
   * source position's or a {@code sys} row's colon ({@link ReportShapes}, {@link CrashShapes}), the
   * anchors of the header table's {@code contains} literals ({@link ReportKinds#containsAnchors}).
   */
  static final String MARKED = "[+:" + ReportKinds.containsAnchors().replaceAll("[\\[+:]", "");

  private final LineReader lines;
  private final String path;
  private long seq;
  private long lineSeq = -1;
  private final LineCursor cursor = new LineCursor();
  private boolean parsed;
  private @Nullable LogRecord next;
  private boolean done;

  public LogReader(InputStream in, String path) {
    this.lines = new LineReader(in, MARKED);
    this.path = path;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (done) {
      return false;
    }
    try {
      if (!advanceLine()) {
        done = true;
        return false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    next = record();
    return true;
  }

  /**
   * Reads the next line, or returns false at end of input; the line is then read through {@link
   * #cursor()} or {@link #record()} (not both needed), until the next call. Not mixed with {@link
   * #hasNext()}/{@link #next()}.
   */
  boolean advanceLine() throws IOException {
    if (!lines.advance()) {
      return false;
    }
    lineSeq = seq++;
    parsed = false;
    return true;
  }

  /**
   * The line last read with its prefixes read ({@link LogLineParser#prefix}), when it is plain
   * ASCII: a cursor over the reader's own buffer, reused for every line, no {@code String} made;
   * otherwise null.
   */
  @Nullable LineCursor cursor() {
    if (!lines.lineClean()) {
      return null;
    }
    if (!parsed) {
      cursor.reset(lines);
      LogLineParser.prefix(cursor);
      parsed = true;
    }
    return cursor;
  }

  /** The record of the line last read. */
  LogRecord record() {
    LineCursor c = cursor();
    if (c != null) {
      return LogLineParser.record(c, lineSeq, path, lines.lineNumber());
    }
    return LogLineParser.record(lines.lineString(), lineSeq, path, lines.lineNumber());
  }

  /** The sequence number of the line last read (0-based). */
  long lineSeq() {
    return lineSeq;
  }

  /** The 1-based number of the line last read. */
  int lineNumber() {
    return lines.lineNumber();
  }

  @Override
  public LogRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    LogRecord r = next;
    next = null;
    if (r == null) {
      throw new NoSuchElementException();
    }
    return r;
  }

  /** Lines cut at {@link LineReader#MAX_LINE_BYTES} so far. */
  public long truncatedLines() {
    return lines.truncatedLines();
  }

  /** Bytes read so far. */
  public long bytesRead() {
    return lines.bytesRead();
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
