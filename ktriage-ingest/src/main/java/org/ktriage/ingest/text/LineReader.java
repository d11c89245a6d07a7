package org.ktriage.ingest.text;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads text lines from a byte stream without trusting its encoding: lines end at {@code \n}, every
 * {@code \r}, NUL, C0 control (except tab) and ANSI escape sequence is dropped, bytes are decoded
 * as UTF-8 with malformed sequences replaced, and lines longer than {@link #MAX_LINE_BYTES} are cut
 * (the rest of the line is skipped and counted in {@link #truncatedLines()}).
 */
public final class LineReader implements Closeable {
  /** Longest line kept, in bytes; longer lines are cut to this length. */
  public static final int MAX_LINE_BYTES = org.ktriage.ingest.bin.ReadLimits.LINE_BYTES;

  /**
   * Most marked bytes ({@link #marks}) noted per line; a line with more has its list incomplete.
   */
  static final int MAX_MARKS = 48;

  // byte classes of the scan: a line end, a byte that makes the line dirty, a marked byte
  private static final byte NEWLINE = 1;
  private static final byte DIRTY = 2;
  private static final byte MARKED = 3;

  private final InputStream in;

  /** The class of each byte value (0: an ordinary byte), one table lookup a byte. */
  private final byte[] classes;

  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int lineNumber;
  private long truncatedLines;
  private long bytesRead;
  private boolean lastTruncated;
  private boolean lastClean;
  private int lastLength;
  private final int[] marks = new int[MAX_MARKS];
  private int markCount;

  public LineReader(InputStream in) {
    this(in, "");
  }

  /**
   * A reader that also notes, in the same pass over each line's bytes, where the ASCII chars of
   * {@code marked} occur in it ({@link #marks}), for readers that look for a few literals in every
   * line of a long log.
   */
  LineReader(InputStream in, String marked) {
    this.in = in;
    this.classes = classes(marked);
  }

  private static byte[] classes(String marked) {
    byte[] t = new byte[256];
    for (int u = 0; u < 256; u++) {
      if (u == '\n') {
        t[u] = NEWLINE;
      } else if ((u < 0x20 && u != '\t') || u >= 0x7f) {
        t[u] = DIRTY;
      }
    }
    for (int k = 0; k < marked.length(); k++) {
      char c = marked.charAt(k);
      if (c < 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException("not a printable ASCII char: " + (int) c);
      }
      t[c] = MARKED;
    }
    return t;
  }

  /** The next line without its terminator, or null at end of input. */
  public @Nullable String readLine() throws IOException {
    if (!advance()) {
      return null;
    }
    return lineString();
  }

  /**
   * Reads the next line into this reader's own buffer, or returns false at end of input; its bytes
   * are {@link #lineBytes()} up to {@link #lineLength()} when {@link #lineClean()}, and {@link
   * #lineString()} decodes it (once).
   */
  boolean advance() throws IOException {
    int len = 0;
    boolean clean = true;
    boolean over = false;
    boolean any = false;
    int marked = 0;
    byte[] cls = classes;
    while (true) {
      if (pos >= limit) {
        if (eof || !fill()) {
          if (!any) {
            return false;
          }
          break;
        }
      }
      any = true;
      byte[] b = buf;
      int p = pos;
      int end = limit;
      boolean newline = false;
      int start = p;
      // the line's index of the byte at p is p + base
      int base = len - start;
      while (p < end) {
        byte t = cls[b[p] & 0xff];
        if (t != 0) {
          if (t == NEWLINE) {
            newline = true;
            break;
          }
          if (t == DIRTY) {
            clean = false;
          } else {
            if (marked < MAX_MARKS) {
              marks[marked] = p + base;
            }
            marked++;
          }
        }
        p++;
      }
      int chunk = p - start;
      int room = MAX_LINE_BYTES - len;
      if (chunk > room) {
        over = true;
        chunk = room;
      }
      System.arraycopy(b, start, line, len, chunk);
      len += chunk;
      pos = newline ? p + 1 : p;
      if (newline) {
        break;
      }
    }
    lineNumber++;
    lastTruncated = over;
    if (over) {
      truncatedLines++;
      // marks past the cut are not in the line
      while (marked > 0 && marked <= MAX_MARKS && marks[marked - 1] >= len) {
        marked--;
      }
    }
    lastClean = clean;
    lastLength = len;
    markCount = marked;
    return true;
  }

  /**
   * The positions of the marked chars (given at construction) in the line last read, ascending:
   * {@code marks()[0..markCount())} when {@link #markCount} is at most {@link #MAX_MARKS}; a larger
   * count means the line has more and the list is incomplete.
   */
  int[] marks() {
    return marks;
  }

  /** How many marked chars the line last read has (the list holds at most {@link #MAX_MARKS}). */
  int markCount() {
    return markCount;
  }

  /** Whether {@code c} is one of the chars this reader marks. */
  boolean marks(char c) {
    return c < 256 && classes[c] == MARKED;
  }

  /**
   * The line last read as a string: its bytes as ISO 8859-1 when {@link #lineClean()}, otherwise
   * without control bytes and escapes, decoded as UTF-8 (which rewrites the buffer: call once).
   */
  String lineString() {
    if (lastClean) {
      return new String(line, 0, lastLength, StandardCharsets.ISO_8859_1);
    }
    return decodeDirty(lastLength);
  }

  /** Whether the line last read is plain ASCII (no control byte but tab, nothing above 0x7e). */
  boolean lineClean() {
    return lastClean;
  }

  /** The buffer holding the line last read from index 0, valid until the next read. */
  byte[] lineBytes() {
    return line;
  }

  /** Length of the line last read, in bytes. */
  int lineLength() {
    return lastLength;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      eof = true;
      pos = 0;
      limit = 0;
      return false;
    }
    bytesRead += n;
    pos = 0;
    limit = n;
    return true;
  }

  /** Drops control bytes and ANSI escapes in place, then decodes UTF-8 leniently. */
  private String decodeDirty(int len) {
    int out = 0;
    int i = 0;
    while (i < len) {
      byte c = line[i];
      if (c == 0x1b) {
        i = skipEscape(i, len);
        continue;
      }
      i++;
      if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) {
        continue;
      }
      line[out++] = c;
    }
    return new String(line, 0, out, StandardCharsets.UTF_8);
  }

  /**
   * Index after the escape sequence starting at {@code i} (CSI {@code ESC [ … final}, or ESC x).
   */
  private int skipEscape(int i, int len) {
    int j = i + 1;
    if (j >= len) {
      return j;
    }
    byte next = line[j];
    if (next == '[') {
      j++;
      while (j < len && (line[j] < 0x40 || line[j] > 0x7e) && line[j] >= 0x20) {
        j++;
      }
      return Math.min(len, j + 1);
    }
    if (next == ']') {
      // OSC: up to BEL or ESC \
      j++;
      while (j < len && line[j] != 0x07 && line[j] != 0x1b) {
        j++;
      }
      return Math.min(len, j + 1);
    }
    return j + 1;
  }

  /**
   * The bytes of the line last returned when they are its chars one for one (a line with no control
   * byte and nothing above ASCII, decoded as ISO 8859-1): a prefix of this reader's own buffer,
   * valid up to the line's length and only until the next {@link #readLine}; otherwise null.
   */
  byte @Nullable [] lastLineBytes() {
    return lastClean ? line : null;
  }

  /** 1-based number of the line last returned. */
  public int lineNumber() {
    return lineNumber;
  }

  /** True when the line last returned was cut at {@link #MAX_LINE_BYTES}. */
  public boolean lastLineTruncated() {
    return lastTruncated;
  }

  /** Lines cut so far. */
  public long truncatedLines() {
    return truncatedLines;
  }

  /** Bytes consumed from the stream so far. */
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
