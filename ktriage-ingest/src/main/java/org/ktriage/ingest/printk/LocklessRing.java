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
 * The lockless printk ring of v5.10+ (kernel/printk/printk_ringbuffer.h): {@code prb}'s descriptor
 * ring ({@code struct prb_desc}, its {@code state_var} and text block positions), the {@code
 * printk_info} array beside it, and the text data ring, laid out as VMCOREINFO's OFFSET and SIZE
 * entries say, each size checked before anything is read with it.
 */
final class LocklessRing {
  private static final long DESC_ID_MASK = 0x3fffffffffffffffL;

  private static final long MAX_RING = ReadLimits.PRINTK_RING_BYTES;

  private final VmcoreInfo info;
  private final long prbSym;
  private final long rbSize;
  private final long descRingOff;
  private final long textRingOff;
  private final long countBitsOff;
  private final long descsOff;
  private final long infosOff;
  private final long headOff;
  private final long tailOff;
  private final long sizeBitsOff;
  private final long dataOff;
  private final long descSize;
  private final long stateOff;
  private final long lposOff;
  private final long beginOff;
  private final long nextOff;
  private final long infoSize;
  private final long seqOff;
  private final long tsOff;
  private final long textLenOff;
  private final @Nullable Long callerOff;
  private final long counterOff;

  /** The layout from VMCOREINFO; UnsupportedDumpException when an entry is missing or absurd. */
  LocklessRing(VmcoreInfo info) throws UnsupportedDumpException {
    this.info = info;
    this.prbSym = PrintkReader.need(info.symbol("prb"), "SYMBOL(prb)");
    this.rbSize = PrintkReader.need(info.size("printk_ringbuffer"), "SIZE(printk_ringbuffer)");
    this.descRingOff = off("printk_ringbuffer.desc_ring");
    this.textRingOff = off("printk_ringbuffer.text_data_ring");
    this.countBitsOff = off("prb_desc_ring.count_bits");
    this.descsOff = off("prb_desc_ring.descs");
    this.infosOff = off("prb_desc_ring.infos");
    this.headOff = off("prb_desc_ring.head_id");
    this.tailOff = off("prb_desc_ring.tail_id");
    this.sizeBitsOff = off("prb_data_ring.size_bits");
    this.dataOff = off("prb_data_ring.data");
    this.descSize = PrintkReader.need(info.size("prb_desc"), "SIZE(prb_desc)");
    this.stateOff = off("prb_desc.state_var");
    this.lposOff = off("prb_desc.text_blk_lpos");
    this.beginOff = off("prb_data_blk_lpos.begin");
    this.nextOff = off("prb_data_blk_lpos.next");
    this.infoSize = PrintkReader.need(info.size("printk_info"), "SIZE(printk_info)");
    this.seqOff = off("printk_info.seq");
    this.tsOff = off("printk_info.ts_nsec");
    this.textLenOff = off("printk_info.text_len");
    this.callerOff = info.offset("printk_info.caller_id");
    Long counterOffBoxed = info.offset("atomic_long_t.counter");
    this.counterOff = counterOffBoxed == null ? 0 : counterOffBoxed;
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
  }

  private long off(String structField) throws UnsupportedDumpException {
    return PrintkReader.offset(info, structField);
  }

  /** Reads every finalized or committed record from the tail to the head of the ring. */
  KernelLog read(KernelMemory memory)
      throws MissingMemoryException, UnsupportedDumpException, CorruptDumpException {
    List<String> problems = new ArrayList<>();
    long prb = memory.readU64(prbSym, "printk ring pointer prb");
    StructBytes rb =
        new StructBytes(memory.readExact(prb, (int) rbSize, "printk_ringbuffer"), "prb");
    int countBits = rb.readI32Le(descRingOff, countBitsOff, "desc_ring.count_bits");
    int sizeBits = rb.readI32Le(textRingOff, sizeBitsOff, "text_data_ring.size_bits");
    checkRing(prb, countBits, sizeBits);
    long count = 1L << countBits;
    long dataSize = 1L << sizeBits;
    long descsVa = rb.readU64Le(descRingOff, descsOff, "desc_ring.descs");
    long infosVa = rb.readU64Le(descRingOff, infosOff, "desc_ring.infos");
    long headId = rb.readU64Le(descRingOff, headOff + counterOff, "desc_ring.head_id");
    long tailId = rb.readU64Le(descRingOff, tailOff + counterOff, "desc_ring.tail_id");
    long dataVa = rb.readU64Le(textRingOff, dataOff, "text_data_ring.data");

    byte[] descBytes = new byte[(int) (count * descSize)];
    long missDescs = memory.readLenient(descsVa, descBytes, "printk descriptors");
    StructBytes descs = new StructBytes(descBytes, "prb_desc[" + count + "]");
    byte[] infoBytes = new byte[(int) (count * infoSize)];
    long missInfos = memory.readLenient(infosVa, infoBytes, "printk infos");
    StructBytes infos = new StructBytes(infoBytes, "printk_info[" + count + "]");
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
      long slot = id & (count - 1);
      long d = slot * descSize;
      long sv = descs.readU64Le(d, stateOff + counterOff, "state_var");
      int state = (int) (sv >>> 62);
      boolean idMatches = (sv & DESC_ID_MASK) == id;
      if (idMatches && (state == 1 || state == 2)) {
        PrintkRecord r = record(descs, infos, data, slot, sizeBits);
        if (r == null) {
          corrupt++;
        } else {
          out.add(r);
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
    PrintkReader.noteGaps(out, problems, notes);
    return new KernelLog(out, "lockless", problems, notes);
  }

  /** The ring's sizes, checked before its arrays are allocated: corrupt ones, or over the cap. */
  private void checkRing(long prb, int countBits, int sizeBits)
      throws MissingMemoryException, CorruptDumpException {
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
      throw new CorruptDumpException(
          "printk ring of "
              + count
              + " records and "
              + dataSize
              + " text bytes exceeds the cap of "
              + MAX_RING
              + " bytes (ReadLimits.PRINTK_RING_BYTES)");
    }
  }

  /**
   * The record of a committed or finalized descriptor in {@code slot}: its {@code printk_info} and
   * its text block (a {@code long} id then the text; a block that wraps starts again at offset 0 of
   * the ring), or null when the block lies outside the text ring.
   */
  private @Nullable PrintkRecord record(
      StructBytes descs, StructBytes infos, byte[] data, long slot, int sizeBits)
      throws CorruptDumpException {
    long dataSize = 1L << sizeBits;
    long d = slot * descSize;
    long begin = descs.readU64Le(d, lposOff + beginOff, "text_blk_lpos.begin");
    long next = descs.readU64Le(d, lposOff + nextOff, "text_blk_lpos.next");
    long in = slot * infoSize;
    long seq = infos.readU64Le(in, seqOff, "seq");
    long ts = infos.readU64Le(in, tsOff, "ts_nsec");
    int textLen = infos.readU16Le(in, textLenOff, "text_len");
    // struct printk_info: u16 text_len; u8 facility; u8 flags:5, level:3 (printk_ringbuffer.h)
    int facility = infos.readU8(in, textLenOff + 2, "facility");
    int flagsLevel = infos.readU8(in, textLenOff + 3, "flags/level");
    long caller = callerOff == null ? -1 : infos.readU32Le(in, callerOff, "caller_id");
    boolean dataless =
        ((begin & 1) != 0 && (next & 1) != 0)
            || Long.remainderUnsigned(begin, dataSize) == Long.remainderUnsigned(next, dataSize);
    byte[] text = new byte[0];
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
        return null; // points outside the text ring
      }
      int avail = (int) (blockLen - 8);
      int n = Math.min(textLen, avail);
      truncated = n < textLen;
      text = new byte[n];
      System.arraycopy(data, (int) blockOff + 8, text, 0, n);
    }
    return new PrintkRecord(
        seq, ts, flagsLevel >>> 5, facility, flagsLevel & 0x1f, caller, text, dataless, truncated);
  }
}
