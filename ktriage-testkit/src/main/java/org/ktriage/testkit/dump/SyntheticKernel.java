package org.ktriage.testkit.dump;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny x86_64 "kernel" in a {@link PhysicalImage}: 4-level page tables (2 MiB pages for the
 * kernel-image map and the direct map), a lockless printk ring (v5.10+ layout with the 6.1 struct
 * offsets) holding the given log lines, the VMCOREINFO text that describes it, and NT_PRSTATUS
 * notes. The ring may start mid-way (first seq and lpos chosen by the test) so records wrap.
 */
public final class SyntheticKernel {
  /** Default direct-map base (v4.20+ without memory KASLR). */
  public static final long PAGE_OFFSET_BASE = 0xffff888000000000L;

  /** {@code __START_KERNEL_map}. */
  public static final long START_KERNEL_MAP = 0xffffffff80000000L;

  private static final int PS = PhysicalImage.PAGE_SIZE;
  private static final long MAX_PFN = 8192; // 32 MiB

  /**
   * One log record to place in the ring.
   *
   * @param timestampNanos ts_nsec
   * @param level syslog level
   * @param callerId raw caller id
   * @param text text bytes
   * @param state descriptor state (2 finalized, 1 committed, 0 reserved, 3 reusable)
   * @param dataless true to write a record without a text block
   */
  @SuppressWarnings("ArrayRecordComponent") // written out once, never compared
  public record LogLine(
      long timestampNanos, int level, long callerId, byte[] text, int state, boolean dataless) {
    /** A finalized record with text. */
    public static LogLine of(long timestampNanos, int level, String text) {
      return new LogLine(timestampNanos, level, 1, text.getBytes(StandardCharsets.UTF_8), 2, false);
    }
  }

  private static final String[] LOCKLESS_KEYS = {
    "SIZE(printk_ringbuffer)=88",
    "OFFSET(printk_ringbuffer.desc_ring)=0",
    "OFFSET(printk_ringbuffer.text_data_ring)=48",
    "OFFSET(printk_ringbuffer.fail)=80",
    "SIZE(prb_desc_ring)=48",
    "OFFSET(prb_desc_ring.count_bits)=0",
    "OFFSET(prb_desc_ring.descs)=8",
    "OFFSET(prb_desc_ring.infos)=16",
    "OFFSET(prb_desc_ring.head_id)=24",
    "OFFSET(prb_desc_ring.tail_id)=32",
    "SIZE(prb_desc)=24",
    "OFFSET(prb_desc.state_var)=0",
    "OFFSET(prb_desc.text_blk_lpos)=8",
    "OFFSET(prb_data_blk_lpos.begin)=0",
    "OFFSET(prb_data_blk_lpos.next)=8",
    "SIZE(printk_info)=88",
    "OFFSET(printk_info.seq)=0",
    "OFFSET(printk_info.ts_nsec)=8",
    "OFFSET(printk_info.text_len)=16",
    "OFFSET(printk_info.caller_id)=20",
    "OFFSET(printk_info.dev_info)=24",
    "SIZE(prb_data_ring)=32",
    "OFFSET(prb_data_ring.size_bits)=0",
    "OFFSET(prb_data_ring.data)=8",
    "OFFSET(prb_data_ring.head_lpos)=16",
    "OFFSET(prb_data_ring.tail_lpos)=24",
    "SIZE(atomic_long_t)=8",
    "OFFSET(atomic_long_t.counter)=0",
  };

  private long kernelOffset = 0x400000;
  private long physBase;
  private int countBits = 5;
  private int sizeBits = 12;
  private long firstSeq;
  private long firstLpos;
  private List<LogLine> lines = List.of();
  private List<long[]> cpus = List.of(); // {pid, rip, rsp}
  private boolean structuredLog;
  private boolean plainLog;

  private PhysicalImage image = new PhysicalImage(MAX_PFN);
  private String vmcoreinfo = "";
  private long nextImageVa;

  public SyntheticKernel kernelOffset(long off) {
    this.kernelOffset = off;
    return this;
  }

  public SyntheticKernel physBase(long pb) {
    this.physBase = pb;
    return this;
  }

  /** Descriptor ring of {@code 1 << countBits} slots, text ring of {@code 1 << sizeBits} bytes. */
  public SyntheticKernel ring(int countBits, int sizeBits) {
    this.countBits = countBits;
    this.sizeBits = sizeBits;
    return this;
  }

  /** Where the ring's history starts: seq (= descriptor id) and text lpos of the first record. */
  public SyntheticKernel start(long seq, long lpos) {
    this.firstSeq = seq;
    this.firstLpos = lpos;
    return this;
  }

  public SyntheticKernel lines(List<LogLine> l) {
    this.lines = List.copyOf(l);
    return this;
  }

  /**
   * Write the v3.5–v5.9 {@code struct printk_log} buffer (20-byte headers with caller_id, a zero
   * length wrap marker) instead of the lockless ring; the first record starts at {@code lpos mod
   * size} of {@link #start}.
   */
  public SyntheticKernel structuredLog(boolean on) {
    this.structuredLog = on;
    return this;
  }

  /**
   * Write the plain character ring of kernels before 3.5 ({@code char *log_buf}, {@code log_end},
   * every line {@code <level>[ sss.uuuuuu] text}) instead of the lockless ring. The first line
   * starts at the free-running index {@code lpos} of {@link #start}: 0 for a ring that never
   * wrapped; else the lines must reach past {@code log_buf_len}, and the bytes of the window before
   * them are an older line cut by the wrap.
   */
  public SyntheticKernel plainLog(boolean on) {
    this.plainLog = on;
    return this;
  }

  /** CPUs as {pr_pid, rip, rsp}. */
  public SyntheticKernel cpus(List<long[]> c) {
    this.cpus = List.copyOf(c);
    return this;
  }

  /** Builds memory and VMCOREINFO. */
  public SyntheticKernel build() {
    image = new PhysicalImage(MAX_PFN);
    long text = 0xffffffff81000000L + kernelOffset;
    nextImageVa = text + 0x10000;
    // page tables
    long pml4 = allocImage(PS);
    long pdptDirect = allocImage(PS);
    long pdDirect = allocImage(PS);
    long pdptKernel = allocImage(PS);
    long pdKernel = allocImage(PS);
    entry(pml4, idx(PAGE_OFFSET_BASE, 39), pa(pdptDirect) | 0x63);
    entry(pdptDirect, idx(PAGE_OFFSET_BASE, 30), pa(pdDirect) | 0x63);
    entry(pml4, idx(START_KERNEL_MAP, 39), pa(pdptKernel) | 0x63);
    entry(pdptKernel, idx(START_KERNEL_MAP, 30), pa(pdKernel) | 0x63);
    for (int i = 0; i < MAX_PFN * PS / (2 << 20); i++) {
      entry(pdDirect, idx(PAGE_OFFSET_BASE, 21) + i, ((long) i << 21) | 0xe3);
      long kpa = physBase + ((long) i << 21);
      if (kpa >= 0) {
        entry(pdKernel, idx(START_KERNEL_MAP, 21) + i, kpa | 0xe3);
      }
    }
    long prbVar = 0;
    long[] structuredVars = null;
    long[] plainVars = null;
    if (plainLog) {
      plainVars = writePlainLog();
    } else if (structuredLog) {
      structuredVars = writeStructuredLog();
    } else {
      prbVar = writeLocklessRing();
    }
    StringBuilder vi = new StringBuilder();
    vi.append(plainLog ? "OSRELEASE=2.6.32-synthetic\n" : "OSRELEASE=6.1.0-synthetic\n");
    vi.append("PAGESIZE=4096\n");
    vi.append("SYMBOL(init_top_pgt)=").append(Long.toHexString(pml4)).append('\n');
    vi.append("SYMBOL(_stext)=").append(Long.toHexString(text)).append('\n');
    String[] keys;
    if (plainVars != null) {
      // kernel/kexec.c crash_save_vmcoreinfo_init() of v2.6.24–v3.4
      vi.append("SYMBOL(log_buf)=").append(Long.toHexString(plainVars[0])).append('\n');
      vi.append("SYMBOL(log_end)=").append(Long.toHexString(plainVars[1])).append('\n');
      vi.append("SYMBOL(log_buf_len)=").append(Long.toHexString(plainVars[2])).append('\n');
      vi.append("SYMBOL(logged_chars)=").append(Long.toHexString(plainVars[3])).append('\n');
      keys = new String[0];
    } else if (structuredVars != null) {
      vi.append("SYMBOL(log_buf)=").append(Long.toHexString(structuredVars[0])).append('\n');
      vi.append("SYMBOL(log_buf_len)=").append(Long.toHexString(structuredVars[1])).append('\n');
      vi.append("SYMBOL(log_first_idx)=").append(Long.toHexString(structuredVars[2])).append('\n');
      vi.append("SYMBOL(clear_idx)=").append(Long.toHexString(structuredVars[2])).append('\n');
      vi.append("SYMBOL(log_next_idx)=").append(Long.toHexString(structuredVars[3])).append('\n');
      keys =
          new String[] {
            "SIZE(printk_log)=20",
            "OFFSET(printk_log.ts_nsec)=0",
            "OFFSET(printk_log.len)=8",
            "OFFSET(printk_log.text_len)=10",
            "OFFSET(printk_log.dict_len)=12",
            "OFFSET(printk_log.caller_id)=16",
          };
    } else {
      vi.append("SYMBOL(prb)=").append(Long.toHexString(prbVar)).append('\n');
      keys = LOCKLESS_KEYS;
    }
    for (String k : keys) {
      vi.append(k).append('\n');
    }
    vi.append("NUMBER(phys_base)=").append(physBase).append('\n');
    vi.append("KERNELOFFSET=").append(Long.toHexString(kernelOffset)).append('\n');
    vi.append("NUMBER(KERNEL_IMAGE_SIZE)=1073741824\n");
    vi.append("CRASHTIME=1700000000\n");
    vmcoreinfo = vi.toString();
    return this;
  }

  /** Writes the lockless ring; returns the address of the variable {@code prb}. */
  private long writeLocklessRing() {
    long prbVar = allocImage(8);
    long rb = allocImage(88);
    long count = 1L << countBits;
    long size = 1L << sizeBits;
    long descsPa = 0x400000;
    long infosPa = descsPa + count * 24;
    long dataPa = (infosPa + count * 88 + PS - 1) / PS * PS;
    image.writeU64(pa(prbVar), rb);
    byte[] r = new byte[88];
    LittleEndianOut.putU32(r, 0, countBits);
    LittleEndianOut.putU64(r, 8, PAGE_OFFSET_BASE + descsPa);
    LittleEndianOut.putU64(r, 16, PAGE_OFFSET_BASE + infosPa);
    LittleEndianOut.putU32(r, 48, sizeBits);
    LittleEndianOut.putU64(r, 56, PAGE_OFFSET_BASE + dataPa);
    if (lines.size() > count) {
      throw new IllegalArgumentException(lines.size() + " lines do not fit " + count + " slots");
    }
    byte[] descs = new byte[(int) (count * 24)];
    byte[] infos = new byte[(int) (count * 88)];
    byte[] data = new byte[(int) size];
    long lpos = firstLpos;
    long used = 0;
    for (int i = 0; i < lines.size(); i++) {
      LogLine l = lines.get(i);
      long id = firstSeq + i;
      int slot = (int) (id & (count - 1));
      long begin;
      long next;
      if (l.dataless()) {
        begin = 3;
        next = 3;
      } else {
        long block = (8 + l.text().length + 7) & ~7L;
        long at = lpos & (size - 1);
        if (at + block > size) {
          begin = lpos;
          next = ((lpos >>> sizeBits) + 1) * size + block;
          at = 0;
          used += size - (lpos & (size - 1));
        } else {
          begin = lpos;
          next = lpos + block;
        }
        used += block;
        if (used > size) {
          throw new IllegalArgumentException("log lines do not fit the text ring");
        }
        LittleEndianOut.putU64(data, (int) at, id);
        System.arraycopy(l.text(), 0, data, (int) at + 8, l.text().length);
        lpos = next;
      }
      LittleEndianOut.putU64(descs, slot * 24, ((long) l.state() << 62) | id);
      LittleEndianOut.putU64(descs, slot * 24 + 8, begin);
      LittleEndianOut.putU64(descs, slot * 24 + 16, next);
      LittleEndianOut.putU64(infos, slot * 88, firstSeq + i);
      LittleEndianOut.putU64(infos, slot * 88 + 8, l.timestampNanos());
      LittleEndianOut.putU16(infos, slot * 88 + 16, l.text().length);
      infos[slot * 88 + 19] = (byte) ((l.level() << 5) | 0x2);
      LittleEndianOut.putU32(infos, slot * 88 + 20, l.callerId());
    }
    long head = firstSeq + Math.max(0, lines.size() - 1);
    LittleEndianOut.putU64(r, 24, head);
    LittleEndianOut.putU64(r, 32, firstSeq);
    LittleEndianOut.putU64(r, 64, lpos);
    LittleEndianOut.putU64(r, 72, firstLpos);
    image.write(pa(rb), r);
    image.write(descsPa, descs);
    image.write(infosPa, infos);
    image.write(dataPa, data);

    return prbVar;
  }

  /** Writes the plain ring; returns {log_buf, log_end, log_buf_len, logged_chars}. */
  private long[] writePlainLog() {
    long size = 1L << sizeBits;
    long bufPa = 0x400000;
    long logBufVar = allocImage(8);
    long endVar = allocImage(4);
    long lenVar = allocImage(4);
    long loggedVar = allocImage(4);
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    for (LogLine l : lines) {
      String stamp =
          String.format(
              java.util.Locale.ROOT,
              "[%5d.%06d] ",
              l.timestampNanos() / 1_000_000_000L,
              l.timestampNanos() % 1_000_000_000L / 1000);
      for (String part : new String(l.text(), StandardCharsets.UTF_8).split("\n", -1)) {
        byte[] b = ("<" + l.level() + ">" + stamp + part + "\n").getBytes(StandardCharsets.UTF_8);
        text.write(b, 0, b.length);
      }
    }
    byte[] t = text.toByteArray();
    long logEnd = firstLpos + t.length;
    if (t.length >= size || (firstLpos != 0 && logEnd < size)) {
      throw new IllegalArgumentException("log lines and start do not fit a " + size + "-byte ring");
    }
    byte[] buf = new byte[(int) size];
    if (firstLpos != 0) {
      // the window's oldest bytes: the tail of an older line the wrap cut
      for (long i = logEnd - size; i < firstLpos; i++) {
        buf[(int) (i & (size - 1))] = (byte) (i == firstLpos - 1 ? '\n' : 'x');
      }
    }
    for (int i = 0; i < t.length; i++) {
      buf[(int) ((firstLpos + i) & (size - 1))] = t[i];
    }
    image.write(bufPa, buf);
    image.writeU64(pa(logBufVar), PAGE_OFFSET_BASE + bufPa);
    byte[] v = new byte[4];
    LittleEndianOut.putU32(v, 0, logEnd);
    image.write(pa(endVar), v.clone());
    LittleEndianOut.putU32(v, 0, size);
    image.write(pa(lenVar), v.clone());
    LittleEndianOut.putU32(v, 0, Math.min(logEnd, size));
    image.write(pa(loggedVar), v.clone());
    return new long[] {logBufVar, endVar, lenVar, loggedVar};
  }

  /** Writes a printk_log buffer; returns {log_buf, log_buf_len, log_first_idx, log_next_idx}. */
  private long[] writeStructuredLog() {
    long size = 1L << sizeBits;
    long bufPa = 0x400000;
    long logBufVar = allocImage(8);
    long lenVar = allocImage(4);
    long firstVar = allocImage(4);
    long nextVar = allocImage(4);
    byte[] buf = new byte[(int) size];
    long first = firstLpos & (size - 1);
    long idx = first;
    boolean wrapped = false;
    for (LogLine l : lines) {
      int len = (20 + l.text().length + 3) & ~3;
      if (idx + len + 20 > size) {
        if (wrapped) {
          throw new IllegalArgumentException("log lines do not fit log_buf");
        }
        wrapped = true; // a zero header (len 0) marks the wrap
        idx = 0;
      }
      if (wrapped && idx + len > first) {
        throw new IllegalArgumentException("log lines do not fit log_buf");
      }
      int i = (int) idx;
      LittleEndianOut.putU64(buf, i, l.timestampNanos());
      LittleEndianOut.putU16(buf, i + 8, len);
      LittleEndianOut.putU16(buf, i + 10, l.text().length);
      buf[i + 15] = (byte) ((l.level() << 5) | 0x2);
      LittleEndianOut.putU32(buf, i + 16, l.callerId());
      System.arraycopy(l.text(), 0, buf, i + 20, l.text().length);
      idx += len;
    }
    image.write(bufPa, buf);
    image.writeU64(pa(logBufVar), PAGE_OFFSET_BASE + bufPa);
    byte[] v = new byte[4];
    LittleEndianOut.putU32(v, 0, size);
    image.write(pa(lenVar), v.clone());
    LittleEndianOut.putU32(v, 0, first);
    image.write(pa(firstVar), v.clone());
    LittleEndianOut.putU32(v, 0, idx);
    image.write(pa(nextVar), v.clone());
    return new long[] {logBufVar, lenVar, firstVar, nextVar};
  }

  /** The physical memory (after {@link #build()}). */
  public PhysicalImage image() {
    return image;
  }

  /** The VMCOREINFO text (after {@link #build()}). */
  public String vmcoreinfo() {
    return vmcoreinfo;
  }

  /** NT_PRSTATUS notes (336-byte x86_64 layout), one per CPU. */
  public List<Note> prstatusNotes() {
    List<Note> out = new ArrayList<>();
    for (long[] c : cpus) {
      byte[] d = new byte[336];
      LittleEndianOut.putU32(d, 32, c[0]);
      LittleEndianOut.putU64(d, 112 + 8 * 16, c[1]);
      LittleEndianOut.putU64(d, 112 + 8 * 19, c[2]);
      out.add(new Note("CORE", 1, d));
    }
    return out;
  }

  /** NT_PRSTATUS notes followed by the VMCOREINFO note, as an ELF core carries them. */
  public List<Note> elfNotes() {
    List<Note> n = new ArrayList<>(prstatusNotes());
    n.add(new Note("VMCOREINFO", 0, vmcoreinfo.getBytes(StandardCharsets.ISO_8859_1)));
    return n;
  }

  /** Physical address of a kernel-image virtual address. */
  public long pa(long imageVa) {
    return imageVa - START_KERNEL_MAP + physBase;
  }

  private long allocImage(int bytes) {
    long va = nextImageVa;
    nextImageVa += (bytes + PS - 1L) / PS * PS;
    image.zeroPage(pa(va) / PS);
    return va;
  }

  private void entry(long tableVa, long index, long value) {
    image.writeU64(pa(tableVa) + index * 8, value);
  }

  private static long idx(long va, int shift) {
    return (va >>> shift) & 511;
  }
}
