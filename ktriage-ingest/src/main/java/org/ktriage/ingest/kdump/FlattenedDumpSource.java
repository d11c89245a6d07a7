package org.ktriage.ingest.kdump;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.CorruptDumpException;
import org.ktriage.ingest.bin.DumpSource;

/**
 * The logical file a flattened dump ({@code makedumpfile -F}, QEMU ≤ 8.1 kdump output) describes,
 * read through an index of its records without rebuilding it. Layout: a 4096-byte header ({@code
 * "makedumpfile"} NUL-padded to 16 bytes, type i64 BE = 1 at 16, version i64 BE = 1 at 24), then
 * records {offset i64 BE, size i64 BE, size bytes of data for that logical offset}, ended by offset
 * = size = -1. Later records overwrite earlier ones; bytes no record wrote read as zero.
 */
public final class FlattenedDumpSource implements DumpSource {
  private static final byte[] SIGNATURE =
      "makedumpfile".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int HEADER_SIZE = 4096;

  private final DumpSource file;
  private final long[] starts;
  private final long[] lengths;
  private final long[] dataPos;
  private final long size;
  private final List<String> problems;

  private FlattenedDumpSource(
      DumpSource file,
      long[] starts,
      long[] lengths,
      long[] dataPos,
      long size,
      List<String> problems) {
    this.file = file;
    this.starts = starts;
    this.lengths = lengths;
    this.dataPos = dataPos;
    this.size = size;
    this.problems = problems;
  }

  /** True when {@code head} starts with the flattened-format signature. */
  public static boolean sniff(byte[] head) {
    if (head.length < 16) {
      return false;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (head[i] != SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /** Indexes the records of a flattened file (one sequential pass over the record headers). */
  public static FlattenedDumpSource open(DumpSource file) throws IOException {
    byte[] h = file.readFully(0, 32, "flattened header");
    if (!sniff(h)) {
      throw CorruptDumpException.at(
          file.name(),
          0,
          "bad flattened signature: \"makedumpfile\" expected, got " + Bytes.quote(h, 0, 16));
    }
    long type = Bytes.readI64Be(h, 16);
    long version = Bytes.readI64Be(h, 24);
    if (type != 1) {
      throw CorruptDumpException.at(file.name(), 16, "flattened type " + type + ": 1 expected");
    }
    if (version != 1) {
      throw CorruptDumpException.at(
          file.name(), 24, "flattened version " + version + ": 1 expected");
    }
    List<String> problems = new ArrayList<>();
    LongList st = new LongList();
    LongList ln = new LongList();
    LongList dp = new LongList();
    long pos = HEADER_SIZE;
    long fileSize = file.size();
    boolean ended = false;
    byte[] win = new byte[1 << 16];
    long winStart = -1;
    int winLen = 0;
    while (pos + 16 <= fileSize) {
      if (winStart < 0 || pos < winStart || pos + 16 > winStart + winLen) {
        winStart = pos;
        winLen = file.read(pos, win, 0, win.length);
        if (winLen < 16) {
          break;
        }
      }
      int o = (int) (pos - winStart);
      long off = Bytes.readI64Be(win, o);
      long len = Bytes.readI64Be(win, o + 8);
      if (off == -1 && len == -1) {
        ended = true;
        break;
      }
      if (off < 0 || len < 0 || len > fileSize - pos - 16 || off > Long.MAX_VALUE - len) {
        problems.add(
            file.name()
                + ": flattened record at offset "
                + pos
                + " is cut or corrupt (offset "
                + off
                + ", size "
                + len
                + "); later records ignored");
        ended = true;
        break;
      }
      if (len > 0) {
        st.add(off);
        ln.add(len);
        dp.add(pos + 16);
      }
      pos += 16 + len;
    }
    if (!ended) {
      problems.add(
          file.name()
              + ": flattened stream ends at offset "
              + pos
              + " without its end marker: the dump is truncated");
    }
    long[][] idx = normalize(st.toArray(), ln.toArray(), dp.toArray());
    long size = 0;
    for (int i = 0; i < idx[0].length; i++) {
      size = Math.max(size, idx[0][i] + idx[1][i]);
    }
    return new FlattenedDumpSource(file, idx[0], idx[1], idx[2], size, problems);
  }

  /** Sorts records by logical offset; where records overlap, the later one wins. */
  private static long[][] normalize(long[] st, long[] ln, long[] dp) {
    boolean monotonic = true;
    for (int i = 1; i < st.length; i++) {
      if (st[i] < st[i - 1] + ln[i - 1]) {
        monotonic = false;
        break;
      }
    }
    if (monotonic) {
      return new long[][] {st, ln, dp};
    }
    // paint records in file order onto a map of disjoint intervals
    TreeMap<Long, long[]> map = new TreeMap<>(); // start -> {len, dataPos}
    for (int i = 0; i < st.length; i++) {
      long s = st[i];
      long e = s + ln[i];
      Map.Entry<Long, long[]> lower = map.lowerEntry(s);
      if (lower != null && lower.getKey() + lower.getValue()[0] > s) {
        long ls = lower.getKey();
        long[] lv = lower.getValue();
        long le = ls + lv[0];
        map.put(ls, new long[] {s - ls, lv[1]});
        if (le > e) {
          map.put(e, new long[] {le - e, lv[1] + (e - ls)});
        }
      }
      for (Map.Entry<Long, long[]> en = map.ceilingEntry(s);
          en != null && en.getKey() < e;
          en = map.ceilingEntry(s)) {
        long os = en.getKey();
        long[] ov = en.getValue();
        long oe = os + ov[0];
        map.remove(os);
        if (oe > e) {
          map.put(e, new long[] {oe - e, ov[1] + (e - os)});
        }
      }
      map.put(s, new long[] {ln[i], dp[i]});
    }
    long[] a = new long[map.size()];
    long[] b = new long[map.size()];
    long[] c = new long[map.size()];
    int k = 0;
    for (Map.Entry<Long, long[]> en : map.entrySet()) {
      a[k] = en.getKey();
      b[k] = en.getValue()[0];
      c[k] = en.getValue()[1];
      k++;
    }
    return new long[][] {a, b, c};
  }

  /** Problems met while indexing (a cut stream, a corrupt record). */
  public List<String> problems() {
    return problems;
  }

  /** Number of data records indexed. */
  public int recordCount() {
    return starts.length;
  }

  @Override
  public String name() {
    return file.name();
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int read(long offset, byte[] dst, int dstOff, int len) throws IOException {
    if (offset < 0 || offset >= size || len <= 0) {
      return 0;
    }
    int want = (int) Math.min(len, size - offset);
    int done = 0;
    while (done < want) {
      long at = offset + done;
      int i = Arrays.binarySearch(starts, at);
      if (i < 0) {
        i = -i - 2;
      }
      if (i >= 0 && at < starts[i] + lengths[i]) {
        int n = (int) Math.min(want - done, starts[i] + lengths[i] - at);
        int got = file.read(dataPos[i] + (at - starts[i]), dst, dstOff + done, n);
        if (got != n) {
          return done + Math.max(got, 0);
        }
        done += n;
      } else {
        long next = i + 1 < starts.length ? starts[i + 1] : size;
        int n = (int) Math.min(want - done, next - at);
        Arrays.fill(dst, dstOff + done, dstOff + done + n, (byte) 0);
        done += n;
      }
    }
    return done;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  private static final class LongList {
    private long[] a = new long[1024];
    private int n;

    void add(long v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
