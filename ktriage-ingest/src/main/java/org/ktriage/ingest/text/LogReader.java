package org.ktriage.ingest.text;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.LogRecord;

/**
 * Streams a text input as {@link LogRecord}s, one per line, with prefixes normalized by {@link
 * LogLineParser}; never holds more than one line.
 */
public final class LogReader implements Iterator<LogRecord>, Closeable {
  private final LineReader lines;
  private final String path;
  private long seq;
  private @Nullable LogRecord next;
  private boolean done;

  public LogReader(InputStream in, String path) {
    this.lines = new LineReader(in);
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
    String line;
    try {
      line = lines.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (line == null) {
      done = true;
      return false;
    }
    next = LogLineParser.record(line, lines.lastLineBytes(), seq++, path, lines.lineNumber());
    return true;
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
