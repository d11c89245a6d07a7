package org.ktriage.ingest.printk;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.CorruptDumpException;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.bin.ReadLimits;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.vmcoreinfo.StructBytes;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * Reads the kernel log from a dump's memory, probing VMCOREINFO for the buffer layout: {@code
 * SYMBOL(prb)} ⇒ the lockless printk_ringbuffer (v5.10+), {@code SYMBOL(log_first_idx)} ⇒ {@code
 * struct printk_log} records (v3.5–v5.9), both read with the struct offsets VMCOREINFO exports;
 * {@code SYMBOL(log_end)} ⇒ the plain character ring of kernels before 3.5 ({@link #readPlain}).
 */
public final class PrintkReader {

  private static final long MAX_RING = ReadLimits.PRINTK_RING_BYTES;

  private final VmcoreInfo info;
  private final KernelMemory memory;

  /** A reader over one dump. */
  public PrintkReader(VmcoreInfo info, KernelMemory memory) {
    this.info = info;
    this.memory = memory;
  }

  /** Reads the log. */
  public KernelLog read()
      throws MissingMemoryException, UnsupportedDumpException, CorruptDumpException {
    if (info.symbol("prb") != null) {
      return readLockless();
    }
    if (info.symbol("log_first_idx") != null) {
      return readStructured();
    }
    if (info.symbol("log_end") != null) {
      return readPlain();
    }
    throw new UnsupportedDumpException(
        "VMCOREINFO names no kernel log buffer (SYMBOL(prb), SYMBOL(log_first_idx) or"
            + " SYMBOL(log_end))");
  }

  /**
   * The log of kernels before 3.5 (kernel/printk.c of v2.6.24–v3.4): {@code char *log_buf} of
   * {@code log_buf_len} bytes (a power of two) written as a character ring, {@code log_end} the
   * free-running index of the next character ({@code LOG_BUF(idx)} is {@code log_buf[idx &
   * (log_buf_len - 1)]}); {@code vprintk} starts every line with its level as {@code <N>} and, with
   * printk_time, a {@code [%5lu.%06lu] } stamp. Like makedumpfile's {@code dump_dmesg}, the text is
   * {@code log_buf[0, log_end)} until the ring has wrapped and the last {@code log_buf_len} bytes
   * before {@code log_end} after; a first line the wrap cut is dropped.
   */
  private KernelLog readPlain()
      throws MissingMemoryException, UnsupportedDumpException, CorruptDumpException {
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    long logBufPtr = memory.readU64(need(info.symbol("log_buf"), "SYMBOL(log_buf)"), "log_buf");
    long bufLen =
        memory.readU32(need(info.symbol("log_buf_len"), "SYMBOL(log_buf_len)"), "log_buf_len");
    long logEnd = memory.readU32(need(info.symbol("log_end"), "SYMBOL(log_end)"), "log_end");
    if (bufLen <= 0 || bufLen > MAX_RING || Long.bitCount(bufLen) != 1) {
      throw new CorruptDumpException(
          "log_buf_len "
              + bufLen
              + " is not a power of two up to "
              + MAX_RING
              + " bytes (ReadLimits.PRINTK_RING_BYTES)");
    }
    byte[] ring = new byte[(int) bufLen];
    long miss = memory.readLenient(logBufPtr, ring, "log_buf");
    if (miss > 0) {
      problems.add(miss + " bytes of log_buf are not in the dump; lines there are lost");
    }
    byte[] text;
    boolean wrapped = logEnd >= bufLen;
    if (!wrapped) {
      text = java.util.Arrays.copyOf(ring, (int) logEnd);
    } else {
      int start = (int) (logEnd & (bufLen - 1));
      text = new byte[(int) bufLen];
      System.arraycopy(ring, start, text, 0, (int) bufLen - start);
      System.arraycopy(ring, 0, text, (int) bufLen - start, start);
    }
    int pos = 0;
    if (wrapped) {
      while (pos < text.length && text[pos] != '\n') {
        pos++;
      }
      pos++;
      notes.add("the log wrapped: the oldest line, cut by the wrap, is left out");
    }
    List<PrintkRecord> out = new ArrayList<>();
    long seq = 0;
    while (pos < text.length) {
      int end = pos;
      while (end < text.length && text[end] != '\n') {
        end++;
      }
      out.add(plainLine(seq++, text, pos, end));
      pos = end + 1;
    }
    return new KernelLog(out, "log_buf", problems, notes);
  }

  /**
   * One line of the plain ring: its {@code <N>} level and {@code [ sss.uuuuuu]} stamp taken off.
   */
  private static PrintkRecord plainLine(long seq, byte[] b, int from, int to) {
    int level = 4; // default_message_loglevel
    int p = from;
    if (to - p >= 3 && b[p] == '<' && b[p + 1] >= '0' && b[p + 1] <= '7' && b[p + 2] == '>') {
      level = b[p + 1] - '0';
      p += 3;
    }
    long ts = 0;
    if (p < to && b[p] == '[') {
      int close = p + 1;
      while (close < to && close - p < 24 && b[close] != ']') {
        close++;
      }
      Long nanos = close < to && b[close] == ']' ? stampNanos(b, p + 1, close) : null;
      if (nanos != null) {
        ts = nanos;
        p = close + 1;
        if (p < to && b[p] == ' ') {
          p++;
        }
      }
    }
    byte[] text = java.util.Arrays.copyOfRange(b, p, to);
    // LOG_NEWLINE: every line of the plain ring ends its own record
    return new PrintkRecord(seq, ts, level, 0, 0x2, -1, text, false, false);
  }

  /** {@code " 12.345678"} as nanoseconds, or null when it is not such a stamp. */
  private static @Nullable Long stampNanos(byte[] b, int from, int to) {
    long sec = 0;
    long usec = 0;
    int digitsAfter = -1;
    boolean any = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == ' ' && !any) {
        continue;
      }
      if (c == '.' && digitsAfter < 0 && any) {
        digitsAfter = 0;
      } else if (c >= '0' && c <= '9') {
        any = true;
        if (digitsAfter < 0) {
          sec = sec * 10 + (c - '0');
          if (sec > 1_000_000_000_000L) {
            return null;
          }
        } else if (digitsAfter < 6) {
          usec = usec * 10 + (c - '0');
          digitsAfter++;
        } else {
          return null;
        }
      } else {
        return null;
      }
    }
    if (digitsAfter != 6) {
      return null;
    }
    return sec * 1_000_000_000L + usec * 1_000L;
  }

  /** A VMCOREINFO value the kernel log needs, or the error naming the missing key. */
  static long need(@Nullable Long v, String key) throws UnsupportedDumpException {
    if (v == null) {
      throw new UnsupportedDumpException("VMCOREINFO lacks " + key + " needed for the kernel log");
    }
    return v;
  }

  /** VMCOREINFO's {@code OFFSET(structField)}, which the kernel log needs. */
  static long offset(VmcoreInfo info, String structField) throws UnsupportedDumpException {
    return need(info.offset(structField), "OFFSET(" + structField + ")");
  }

  private long off(String structField) throws UnsupportedDumpException {
    return offset(info, structField);
  }

  private KernelLog readLockless()
      throws MissingMemoryException, UnsupportedDumpException, CorruptDumpException {
    return new LocklessRing(info).read(memory);
  }

  static void noteGaps(List<PrintkRecord> out, List<String> problems, List<String> notes) {
    if (!out.isEmpty() && out.get(0).seq() > 0) {
      notes.add(
          "the log starts at record "
              + out.get(0).seq()
              + ": earlier records were overwritten in the ring");
    }
    long lost = 0;
    for (int i = 1; i < out.size(); i++) {
      long gap = out.get(i).seq() - out.get(i - 1).seq() - 1;
      if (gap > 0 && gap < 1L << 40) {
        lost += gap;
      }
    }
    if (lost > 0) {
      problems.add(lost + " printk record(s) are missing between the records read (seq gaps)");
    }
  }

  private KernelLog readStructured()
      throws MissingMemoryException, UnsupportedDumpException, CorruptDumpException {
    List<String> problems = new ArrayList<>();
    String st = info.size("printk_log") != null ? "printk_log" : "log";
    long hdrSize = need(info.size(st), "SIZE(printk_log)");
    long tsOff = off(st + ".ts_nsec");
    long lenOff = off(st + ".len");
    long textLenOff = off(st + ".text_len");
    long dictLenOff = off(st + ".dict_len");
    Long callerOff = info.offset(st + ".caller_id");
    StructBytes buf = logBuf(hdrSize, problems);
    long bufLen = buf.length();
    long firstIdx =
        memory.readU32(
            need(info.symbol("log_first_idx"), "SYMBOL(log_first_idx)"), "log_first_idx");
    long nextIdx =
        memory.readU32(need(info.symbol("log_next_idx"), "SYMBOL(log_next_idx)"), "log_next_idx");
    List<PrintkRecord> out = new ArrayList<>();
    long idx = firstIdx;
    long seq = 0;
    boolean wrapped = false;
    int guard = 0;
    while (idx != nextIdx && guard++ < bufLen) {
      if (idx > bufLen - hdrSize) {
        problems.add("printk_log index " + idx + " runs past log_buf; the rest is lost");
        break;
      }
      long i = idx;
      int len = buf.readU16Le(i, lenOff, st + ".len");
      if (len == 0) {
        if (wrapped) {
          problems.add("printk_log wrapped twice; the rest is lost");
          break;
        }
        wrapped = true;
        idx = 0;
        continue;
      }
      int textLen = buf.readU16Le(i, textLenOff, st + ".text_len");
      // struct printk_log: u16 dict_len; u8 facility; u8 flags:5, level:3 (kernel/printk/printk.c)
      int facility = buf.readU8(i, dictLenOff + 2, st + ".facility");
      int flagsLevel = buf.readU8(i, dictLenOff + 3, st + ".flags/level");
      long ts = buf.readU64Le(i, tsOff, st + ".ts_nsec");
      long caller = callerOff == null ? -1 : buf.readU32Le(i, callerOff, st + ".caller_id");
      if (len < hdrSize || i + len > bufLen) {
        problems.add("printk_log record at index " + idx + " is corrupt; the rest is lost");
        break;
      }
      int n = (int) Math.min(textLen, len - hdrSize);
      byte[] text = buf.copy(i, hdrSize, n, st + " text");
      out.add(
          new PrintkRecord(
              seq++,
              ts,
              flagsLevel >>> 5,
              facility,
              flagsLevel & 0x1f,
              caller,
              text,
              false,
              n < textLen));
      idx += len;
    }
    return new KernelLog(out, "printk_log", problems, List.of());
  }

  /**
   * The v3.5–v5.9 {@code log_buf} ({@code log_buf_len} bytes, capped), its missing bytes noted in
   * {@code problems}.
   */
  private StructBytes logBuf(long hdrSize, List<String> problems)
      throws MissingMemoryException, UnsupportedDumpException, CorruptDumpException {
    long logBufPtr = memory.readU64(need(info.symbol("log_buf"), "SYMBOL(log_buf)"), "log_buf");
    long bufLen =
        memory.readU32(need(info.symbol("log_buf_len"), "SYMBOL(log_buf_len)"), "log_buf_len");
    if (bufLen <= hdrSize || bufLen > MAX_RING || hdrSize <= 0 || hdrSize > 64) {
      throw new CorruptDumpException(
          "log_buf_len "
              + bufLen
              + " (printk_log header "
              + hdrSize
              + " bytes) is implausible; the cap is "
              + MAX_RING
              + " bytes (ReadLimits.PRINTK_RING_BYTES)");
    }
    byte[] bufBytes = new byte[(int) bufLen];
    long miss = memory.readLenient(logBufPtr, bufBytes, "log_buf");
    if (miss > 0) {
      problems.add(miss + " bytes of log_buf are not in the dump; records there are lost");
    }
    return new StructBytes(bufBytes, "log_buf");
  }
}
