package org.ktriage.ingest.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.LogRecord;

/**
 * The log lines of a text input that are not {@code crash} output, tallied as they stream past: how
 * many there were, how many carry printk's timestamp or level (kernel text), the first {@code Linux
 * version} banner (init/version.c linux_banner) and a bounded window of the most recent ones.
 *
 * <p>The window keeps a line either as its record ({@link #accept}) or, for a plain line no reader
 * needed as a record ({@link #skipped}), as its bytes in one ring buffer: its record is made only
 * if the line is still in the window at the end, by the same parser from the same bytes.
 */
final class LogTally implements Consumer<LogRecord> {
  private static final Pattern LINUX_VERSION =
      Pattern.compile("Linux version (?<rel>\\S+) .*?(?<ver>#\\d+.*)?$");
  private static final String BANNER = "Linux version ";
  private static final byte[] BANNER_BYTES = ReportShapes.ascii(BANNER);

  private final int windowSize;
  private final String path;
  private long lines;
  private long kernelLines;
  private @Nullable String release;
  private @Nullable String version;

  // the window: slots in arrival order from `head`, `count` of them, grown up to windowSize
  private @Nullable LogRecord[] records = new LogRecord[64];
  private long[] seqs = new long[64];
  private int[] lineNumbers = new int[64];

  /** Where the slot's bytes start in the ring (absolute offset); a record's slot holds none. */
  private long[] starts = new long[64];

  private int[] lengths = new int[64];
  private int head;
  private int count;

  // the ring of line bytes: absolute offsets, stored at offset % ring.length
  private byte[] ring = new byte[4096];
  private long ringEnd;

  LogTally(int windowSize, String path) {
    this.windowSize = windowSize;
    this.path = path;
  }

  @Override
  public void accept(LogRecord r) {
    lines++;
    if (r.timestampNanos() != null || r.level() >= 0) {
      kernelLines++;
    }
    if (release == null && r.text().startsWith(BANNER)) {
      Matcher m = LINUX_VERSION.matcher(r.text());
      if (m.find()) {
        release = m.group("rel");
        version = m.group("ver");
      }
    }
    int slot = slot();
    records[slot] = r;
    starts[slot] = ringEnd;
    lengths[slot] = 0;
  }

  /** Whether a plain line needs its record here: the first banner is read from it. */
  boolean wants(LineCursor c) {
    return release == null && ReportShapes.at(c.b, c.i, c.n, BANNER_BYTES);
  }

  /**
   * Tallies a plain line that no reader needed as a record ({@link #wants} false): its bytes {@code
   * c.b[0..c.n)} (the whole line, prefixes and all) are copied into the window's ring.
   */
  void skipped(LineCursor c, long seq, int lineNumber) {
    lines++;
    if (c.hasNanos || c.level >= 0) {
      kernelLines++;
    }
    int slot = slot();
    records[slot] = null;
    seqs[slot] = seq;
    lineNumbers[slot] = lineNumber;
    starts[slot] = ringEnd;
    lengths[slot] = 0;
    int len = c.n;
    reserve(len);
    lengths[slot] = len;
    copyIn(c.b, len);
  }

  /** The slot of a new line, after the oldest one's is given up when the window is full. */
  private int slot() {
    if (count == windowSize) {
      records[head] = null;
      head = head + 1 == records.length ? 0 : head + 1;
      count--;
    }
    if (count == records.length) {
      grow();
    }
    int slot = head + count;
    if (slot >= records.length) {
      slot -= records.length;
    }
    count++;
    return slot;
  }

  private void grow() {
    int size = Math.min(windowSize, records.length * 2);
    records = unrolled(records, size);
    seqs = unrolled(seqs, size);
    lineNumbers = unrolled(lineNumbers, size);
    starts = unrolled(starts, size);
    lengths = unrolled(lengths, size);
    head = 0;
  }

  private <T> T[] unrolled(T[] a, int size) {
    T[] out = Arrays.copyOf(a, size);
    Arrays.fill(out, null);
    for (int k = 0; k < count; k++) {
      out[k] = a[(head + k) % a.length];
    }
    return out;
  }

  private long[] unrolled(long[] a, int size) {
    long[] out = new long[size];
    for (int k = 0; k < count; k++) {
      out[k] = a[(head + k) % a.length];
    }
    return out;
  }

  private int[] unrolled(int[] a, int size) {
    int[] out = new int[size];
    for (int k = 0; k < count; k++) {
      out[k] = a[(head + k) % a.length];
    }
    return out;
  }

  /** The oldest byte still in the window (the oldest slot's start). */
  private long ringStart() {
    return count == 0 ? ringEnd : starts[head];
  }

  /** Makes room for {@code len} more bytes, keeping those of every slot in the window. */
  private void reserve(int len) {
    long start = ringStart();
    long live = ringEnd - start;
    if (live + len <= ring.length) {
      return;
    }
    int size = ring.length;
    while (live + len > size) {
      size *= 2;
    }
    byte[] grown = new byte[size];
    for (long p = start; p < ringEnd; ) {
      int from = (int) (p % ring.length);
      int to = (int) (p % size);
      int run = (int) Math.min(ringEnd - p, Math.min(ring.length - from, size - to));
      System.arraycopy(ring, from, grown, to, run);
      p += run;
    }
    ring = grown;
  }

  private void copyIn(byte[] b, int len) {
    int done = 0;
    while (done < len) {
      // the ring's size is a power of two (4 KiB, doubled when it grows)
      int at = (int) (ringEnd & (ring.length - 1));
      int run = Math.min(len - done, ring.length - at);
      System.arraycopy(b, done, ring, at, run);
      done += run;
      ringEnd += run;
    }
  }

  private String copyOut(long start, int len) {
    byte[] out = new byte[len];
    int done = 0;
    while (done < len) {
      int at = (int) ((start + done) % ring.length);
      int run = Math.min(len - done, ring.length - at);
      System.arraycopy(ring, at, out, done, run);
      done += run;
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** Every log line seen. */
  long lines() {
    return lines;
  }

  /** Lines with printk's timestamp or level prefix: the input is kernel text. */
  long kernelLines() {
    return kernelLines;
  }

  /** The release of the first {@code Linux version} banner, or null. */
  @Nullable String release() {
    return release;
  }

  /** The build version ({@code #1 SMP …}) of that banner, or null. */
  @Nullable String version() {
    return version;
  }

  /** The most recent lines, oldest first (at most the window size). */
  List<LogRecord> window() {
    List<LogRecord> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      int slot = (head + k) % records.length;
      LogRecord r = records[slot];
      if (r == null) {
        String line = copyOut(starts[slot], lengths[slot]);
        r = LogLineParser.record(line, seqs[slot], path, lineNumbers[slot]);
      }
      out.add(r);
    }
    return List.copyOf(out);
  }
}
