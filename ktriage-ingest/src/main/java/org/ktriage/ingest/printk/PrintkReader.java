package org.ktriage.ingest.printk;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * Reads the kernel log from a dump's memory, probing VMCOREINFO for the buffer layout: {@code
 * SYMBOL(prb)} ⇒ the lockless printk_ringbuffer (v5.10+), {@code SYMBOL(log_first_idx)} ⇒ {@code
 * struct printk_log} records (v3.5–v5.9), both read with the struct offsets VMCOREINFO exports.
 */
public final class PrintkReader {
  private static final long DESC_ID_MASK = 0x3fffffffffffffffL;

  /** Largest ring or log_buf accepted (CONFIG_LOG_BUF_SHIFT tops out at 25; log_buf_len= more). */
  private static final long MAX_RING = 1L << 27;

  private final VmcoreInfo info;
  private final KernelMemory memory;

  /** A reader over one dump. */
  public PrintkReader(VmcoreInfo info, KernelMemory memory) {
    this.info = info;
    this.memory = memory;
  }

  /** Reads the log. */
  public KernelLog read() throws MissingMemoryException, UnsupportedDumpException {
    if (info.symbol("prb") != null) {
      return readLockless();
    }
    if (info.symbol("log_first_idx") != null) {
      return readStructured();
    }
    throw new UnsupportedDumpException(
        "VMCOREINFO names no supported kernel log buffer (SYMBOL(prb) or SYMBOL(log_first_idx));"
            + " kernels before 3.5 are not read");
  }

  private long need(@Nullable Long v, String key) throws UnsupportedDumpException {
    if (v == null) {
      throw new UnsupportedDumpException("VMCOREINFO lacks " + key + " needed for the kernel log");
    }
    return v;
  }

  private long off(String structField) throws UnsupportedDumpException {
    return need(info.offset(structField), "OFFSET(" + structField + ")");
  }

  private KernelLog readLockless() throws MissingMemoryException, UnsupportedDumpException {
    List<String> problems = new ArrayList<>();
    long prbSym = need(info.symbol("prb"), "SYMBOL(prb)");
    long rbSize = need(info.size("printk_ringbuffer"), "SIZE(printk_ringbuffer)");
    long descRingOff = off("printk_ringbuffer.desc_ring");
    long textRingOff = off("printk_ringbuffer.text_data_ring");
    long countBitsOff = off("prb_desc_ring.count_bits");
    long descsOff = off("prb_desc_ring.descs");
    long infosOff = off("prb_desc_ring.infos");
    long headOff = off("prb_desc_ring.head_id");
    long tailOff = off("prb_desc_ring.tail_id");
    long sizeBitsOff = off("prb_data_ring.size_bits");
    long dataOff = off("prb_data_ring.data");
    long descSize = need(info.size("prb_desc"), "SIZE(prb_desc)");
    long stateOff = off("prb_desc.state_var");
    long lposOff = off("prb_desc.text_blk_lpos");
    long beginOff = off("prb_data_blk_lpos.begin");
    long nextOff = off("prb_data_blk_lpos.next");
    long infoSize = need(info.size("printk_info"), "SIZE(printk_info)");
    long seqOff = off("printk_info.seq");
    long tsOff = off("printk_info.ts_nsec");
    long textLenOff = off("printk_info.text_len");
    Long callerOff = info.offset("printk_info.caller_id");
    Long counterOffBoxed = info.offset("atomic_long_t.counter");
    long counterOff = counterOffBoxed == null ? 0 : counterOffBoxed;
    if (rbSize <= 0
        || rbSize > 4096
        || descSize <= 0
        || descSize > 256
        || infoSize <= 0
        || infoSize > 1024) {
      throw new UnsupportedDumpException(
          "VMCOREINFO printk sizes are implausible (printk_ringbuffer "
              + rbSize
              + ", prb_desc "
              + descSize
              + ", printk_info "
              + infoSize
              + ")");
    }

    long prb = memory.readU64(prbSym, "printk ring pointer prb");
    byte[] rb = memory.readExact(prb, (int) rbSize, "printk_ringbuffer");
    int countBits = Bytes.readI32Le(rb, (int) (descRingOff + countBitsOff));
    int sizeBits = Bytes.readI32Le(rb, (int) (textRingOff + sizeBitsOff));
    if (countBits < 0 || countBits > 20 || sizeBits < 3 || sizeBits > 27) {
      throw new MissingMemoryException(
          "printk_ringbuffer at 0x"
              + Long.toHexString(prb)
              + " is corrupt (count_bits "
              + countBits
              + ", size_bits "
              + sizeBits
              + ")");
    }
    long count = 1L << countBits;
    long dataSize = 1L << sizeBits;
    if (count * Math.max(descSize, infoSize) > MAX_RING || dataSize > MAX_RING) {
      throw new MissingMemoryException("printk ring sizes are implausible");
    }
    long descsVa = Bytes.readU64Le(rb, (int) (descRingOff + descsOff));
    long infosVa = Bytes.readU64Le(rb, (int) (descRingOff + infosOff));
    long headId = Bytes.readU64Le(rb, (int) (descRingOff + headOff + counterOff));
    long tailId = Bytes.readU64Le(rb, (int) (descRingOff + tailOff + counterOff));
    long dataVa = Bytes.readU64Le(rb, (int) (textRingOff + dataOff));

    byte[] descs = new byte[(int) (count * descSize)];
    long missDescs = memory.readLenient(descsVa, descs, "printk descriptors");
    byte[] infos = new byte[(int) (count * infoSize)];
    long missInfos = memory.readLenient(infosVa, infos, "printk infos");
    byte[] data = new byte[(int) dataSize];
    long missData = memory.readLenient(dataVa, data, "printk text ring");
    if (missDescs + missInfos + missData > 0) {
      problems.add(
          "parts of the printk ring are not in the dump ("
              + missDescs
              + " descriptor, "
              + missInfos
              + " info and "
              + missData
              + " text bytes); records there are lost");
    }

    List<PrintkRecord> out = new ArrayList<>();
    int skippedReserved = 0;
    int corrupt = 0;
    long id = tailId & DESC_ID_MASK;
    long head = headId & DESC_ID_MASK;
    for (long steps = 0; steps <= count; steps++) {
      int slot = (int) (id & (count - 1));
      int d = (int) (slot * descSize);
      long sv = Bytes.readU64Le(descs, (int) (d + stateOff + counterOff));
      int state = (int) (sv >>> 62);
      boolean idMatches = (sv & DESC_ID_MASK) == id;
      if (idMatches && (state == 1 || state == 2)) {
        long begin = Bytes.readU64Le(descs, (int) (d + lposOff + beginOff));
        long next = Bytes.readU64Le(descs, (int) (d + lposOff + nextOff));
        int in = (int) (slot * infoSize);
        long seq = Bytes.readU64Le(infos, (int) (in + seqOff));
        long ts = Bytes.readU64Le(infos, (int) (in + tsOff));
        int textLen = Bytes.readU16Le(infos, (int) (in + textLenOff));
        int facility = Bytes.readU8(infos, (int) (in + textLenOff + 2));
        int flagsLevel = Bytes.readU8(infos, (int) (in + textLenOff + 3));
        long caller = callerOff == null ? -1 : Bytes.readU32Le(infos, (int) (in + callerOff));
        boolean dataless =
            ((begin & 1) != 0 && (next & 1) != 0)
                || Long.remainderUnsigned(begin, dataSize)
                    == Long.remainderUnsigned(next, dataSize);
        byte @Nullable [] text = new byte[0];
        boolean truncated = false;
        if (!dataless) {
          long blockOff;
          long blockLen;
          if ((begin >>> sizeBits) == ((next - 1) >>> sizeBits)) {
            blockOff = begin & (dataSize - 1);
            blockLen = next - begin;
          } else {
            blockOff = 0;
            blockLen = next & (dataSize - 1);
          }
          if (blockLen < 8 || blockLen > dataSize || blockOff + blockLen > dataSize) {
            corrupt++;
            text = null;
          } else {
            int avail = (int) (blockLen - 8);
            int n = Math.min(textLen, avail);
            truncated = n < textLen;
            text = new byte[n];
            System.arraycopy(data, (int) blockOff + 8, text, 0, n);
          }
        }
        if (text != null) {
          out.add(
              new PrintkRecord(
                  seq,
                  ts,
                  flagsLevel >>> 5,
                  facility,
                  flagsLevel & 0x1f,
                  caller,
                  text,
                  dataless,
                  truncated));
        }
      } else if (idMatches && state == 0) {
        skippedReserved++;
      }
      if (id == head) {
        break;
      }
      id = (id + 1) & DESC_ID_MASK;
    }
    List<String> notes = new ArrayList<>();
    if (skippedReserved > 0) {
      notes.add(
          skippedReserved
              + " printk record(s) were still being written at the crash and are not shown");
    }
    if (corrupt > 0) {
      problems.add(corrupt + " printk record(s) point outside the text ring and are skipped");
    }
    noteGaps(out, problems, notes);
    return new KernelLog(out, "lockless", problems, notes);
  }

  private static void noteGaps(List<PrintkRecord> out, List<String> problems, List<String> notes) {
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

  private KernelLog readStructured() throws MissingMemoryException, UnsupportedDumpException {
    List<String> problems = new ArrayList<>();
    String st = info.size("printk_log") != null ? "printk_log" : "log";
    long hdrSize = need(info.size(st), "SIZE(printk_log)");
    long tsOff = off(st + ".ts_nsec");
    long lenOff = off(st + ".len");
    long textLenOff = off(st + ".text_len");
    long dictLenOff = off(st + ".dict_len");
    Long callerOff = info.offset(st + ".caller_id");
    long logBufPtr = memory.readU64(need(info.symbol("log_buf"), "SYMBOL(log_buf)"), "log_buf");
    long bufLen =
        memory.readU32(need(info.symbol("log_buf_len"), "SYMBOL(log_buf_len)"), "log_buf_len");
    long firstIdx =
        memory.readU32(
            need(info.symbol("log_first_idx"), "SYMBOL(log_first_idx)"), "log_first_idx");
    long nextIdx =
        memory.readU32(need(info.symbol("log_next_idx"), "SYMBOL(log_next_idx)"), "log_next_idx");
    if (bufLen <= hdrSize || bufLen > MAX_RING || hdrSize <= 0 || hdrSize > 64) {
      throw new MissingMemoryException("log_buf_len " + bufLen + " is implausible");
    }
    byte[] buf = new byte[(int) bufLen];
    long miss = memory.readLenient(logBufPtr, buf, "log_buf");
    if (miss > 0) {
      problems.add(miss + " bytes of log_buf are not in the dump; records there are lost");
    }
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
      int i = (int) idx;
      int len = Bytes.readU16Le(buf, i + (int) lenOff);
      if (len == 0) {
        if (wrapped) {
          problems.add("printk_log wrapped twice; the rest is lost");
          break;
        }
        wrapped = true;
        idx = 0;
        continue;
      }
      int textLen = Bytes.readU16Le(buf, i + (int) textLenOff);
      int facility = Bytes.readU8(buf, i + (int) dictLenOff + 2);
      int flagsLevel = Bytes.readU8(buf, i + (int) dictLenOff + 3);
      long ts = Bytes.readU64Le(buf, i + (int) tsOff);
      long caller = callerOff == null ? -1 : Bytes.readU32Le(buf, i + (int) (long) callerOff);
      if (len < hdrSize || i + len > bufLen) {
        problems.add("printk_log record at index " + idx + " is corrupt; the rest is lost");
        break;
      }
      int n = (int) Math.min(textLen, len - hdrSize);
      byte[] text = new byte[n];
      System.arraycopy(buf, i + (int) hdrSize, text, 0, n);
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
}
