package org.ktriage.ingest.kdump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.CorruptDumpException;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.bin.ReadLimits;
import org.ktriage.ingest.elf.ElfNote;
import org.ktriage.ingest.mm.PageState;
import org.ktriage.ingest.mm.PhysicalMemory;

/**
 * One kdump-compressed file ({@code makedumpfile -c/-l/-p/-z}, QEMU kdump-*): block 0 {@code
 * disk_dump_header}, block 1 {@code kdump_sub_header} and the ELF notes, then the RAM bitmap and
 * the dumped bitmap, then {@code page_desc[]} (24 bytes: offset i64, size u32, flags u32,
 * page_flags u64) in pfn order, then page data. A pfn's descriptor index is the number of dumped
 * pfns before it, found through a per-bitmap-block popcount prefix.
 */
public final class KdumpCompressedReader implements PhysicalMemory {
  private static final int DESC_SIZE = 24;
  static final String SIGNATURE = "KDUMP   ";

  private final DumpSource src;
  private final KdumpHeader header;
  private final List<ElfNote> notes;
  private final @Nullable String vmcoreinfo;
  private final long ramBitmapOffset;
  private final long dumpedBitmapOffset;
  private final long dataOffset;
  private final long[] rankBeforeBlock;
  private final long pfnLimit;
  private final long descBase;

  /** Pages this file holds a page_desc for, and where its page data may start. */
  private final long partPages;

  private final long descEnd;
  private final List<String> problems = new ArrayList<>();
  private final int blockSize;
  private final int bitsPerBlock;
  private long cachedRamBlock = -1;
  private final byte[] ramBlock;
  private long cachedDumpedBlock = -1;
  private final byte[] dumpedBlock;
  private final byte[] compressed;
  private boolean truncationNoted;
  private int corruptPages;

  private KdumpCompressedReader(
      DumpSource src,
      KdumpHeader header,
      List<ElfNote> notes,
      @Nullable String vmcoreinfo,
      long ramBitmapOffset,
      long dumpedBitmapOffset,
      long dataOffset,
      long[] rankBeforeBlock,
      List<String> problems) {
    this.src = src;
    this.header = header;
    this.notes = List.copyOf(notes);
    this.vmcoreinfo = vmcoreinfo;
    this.ramBitmapOffset = ramBitmapOffset;
    this.dumpedBitmapOffset = dumpedBitmapOffset;
    this.dataOffset = dataOffset;
    this.rankBeforeBlock = rankBeforeBlock;
    this.pfnLimit = Math.min(header.maxMapnr(), ReadLimits.PAGE_FRAMES);
    this.blockSize = header.blockSize();
    this.bitsPerBlock = blockSize * 8;
    this.ramBlock = new byte[blockSize];
    this.dumpedBlock = new byte[blockSize];
    this.compressed = new byte[blockSize];
    this.problems.addAll(problems);
    // split parts index page_desc from their start pfn
    this.descBase = header.split() ? rankOf(header.startPfn()) : 0;
    this.partPages =
        header.split()
            ? rankOf(Math.min(header.endPfn(), pfnLimit)) - descBase
            : rankBeforeBlock[rankBeforeBlock.length - 1];
    // makedumpfile writes page_desc[] for every dumpable page of the file first and the page data
    // after it (write_kdump_pages_and_bitmap_cyclic(): offset_data = offset_desc +
    // sizeof(page_desc_t) * num_dumpable)
    this.descEnd =
        partPages > (Long.MAX_VALUE - dataOffset) / DESC_SIZE
            ? Long.MAX_VALUE
            : dataOffset + partPages * DESC_SIZE;
  }

  /** True when {@code head} starts with the kdump signature. */
  public static boolean sniff(byte[] head) {
    return head.length >= 8
        && new String(head, 0, 8, StandardCharsets.ISO_8859_1).equals(SIGNATURE);
  }

  /** Reads the headers, notes and bitmap ranks (one streaming pass over the dumped bitmap). */
  public static KdumpCompressedReader open(DumpSource src) throws IOException {
    String file = src.name();
    KdumpHeader header = KdumpHeaders.read(src);
    List<String> problems = new ArrayList<>();
    if (header.incomplete()) {
      problems.add(
          file
              + ": header status flags the dump incomplete (the writer ran out of space); some"
              + " pages are missing");
    }
    List<ElfNote> notes = KdumpHeaders.notes(src, header, problems);
    String vmcoreinfo = KdumpHeaders.vmcoreinfo(src, header, problems);
    int blockSize = header.blockSize();
    long maxMapnr = header.maxMapnr();
    long bitmapBlocks = header.bitmapBlocks();
    int subHdrSize = header.subHeaderBlocks();
    long bitmapOffset = (1L + subHdrSize) * blockSize;
    long bitmapBytes = bitmapBlocks * blockSize;
    long oneBitmap = ((maxMapnr + 7) / 8 + blockSize - 1) / blockSize * blockSize;
    long dumpedOffset;
    long ramOffset;
    if (bitmapBytes >= 2 * oneBitmap && oneBitmap > 0) {
      ramOffset = bitmapOffset;
      dumpedOffset = bitmapOffset + bitmapBytes / 2;
    } else if (bitmapBytes >= oneBitmap) {
      ramOffset = -1;
      dumpedOffset = bitmapOffset;
    } else {
      throw CorruptDumpException.at(
          file,
          436,
          "kdump bitmap_blocks " + bitmapBlocks + " cannot hold a bitmap of " + maxMapnr + " pfns");
    }
    long dataOffset = bitmapOffset + bitmapBytes;
    if (dataOffset > src.size()) {
      // a cut file still has its header and notes (CPU registers, VMCOREINFO): keep them
      problems.add(
          file
              + ": bitmaps of "
              + bitmapBytes
              + " bytes at offset "
              + bitmapOffset
              + " run past the end of the file ("
              + src.size()
              + " bytes): the dump is truncated; pages not described are missing");
    }
    long pfnLimit = Math.min(maxMapnr, ReadLimits.PAGE_FRAMES);
    if (pfnLimit < maxMapnr) {
      problems.add(
          file
              + ": kdump max_mapnr "
              + maxMapnr
              + " exceeds the cap of "
              + ReadLimits.PAGE_FRAMES
              + " page frames (ReadLimits.PAGE_FRAMES); memory above it is not read");
    }
    long[] ranks = computeRanks(src, dumpedOffset, pfnLimit, blockSize, problems);
    checkEnd(src, header, dataOffset, ranks, problems);
    return new KdumpCompressedReader(
        src, header, notes, vmcoreinfo, ramOffset, dumpedOffset, dataOffset, ranks, problems);
  }

  /** Detects a file cut inside page_desc[] or the page data (makedumpfile writes data in order). */
  private static void checkEnd(
      DumpSource src, KdumpHeader h, long dataOffset, long[] ranks, List<String> problems)
      throws IOException {
    long total = ranks[ranks.length - 1];
    long descs = total;
    if (h.split()) {
      return; // a part's descriptor count is not known before its ranks are adjusted
    }
    long descEnd = dataOffset + descs * DESC_SIZE;
    if (descEnd > src.size()) {
      problems.add(
          src.name()
              + ": page_desc[] of "
              + descs
              + " pages ends at offset "
              + descEnd
              + " past the end of the file ("
              + src.size()
              + " bytes): the dump is truncated");
      return;
    }
    if (descs == 0) {
      return;
    }
    // page data is not written in descriptor order (makedumpfile's cycles), so look at the
    // largest data end over the descriptors: all of them up to 4 Mi pages, else the last 64 Ki
    long from = descs <= 1L << 22 ? 0 : descs - (1L << 16);
    byte[] buf = new byte[DESC_SIZE * 4096];
    long maxEnd = 0;
    long maxAt = 0;
    for (long i = from; i < descs; i += 4096) {
      int n = (int) Math.min(4096, descs - i);
      long at = dataOffset + i * DESC_SIZE;
      if (src.read(at, buf, 0, n * DESC_SIZE) != n * DESC_SIZE) {
        return;
      }
      for (int k = 0; k < n; k++) {
        long off = Bytes.readU64Le(buf, k * DESC_SIZE);
        long size = Bytes.readU32Le(buf, k * DESC_SIZE + 8);
        if (off > 0 && off + size > maxEnd) {
          maxEnd = off + size;
          maxAt = at + (long) k * DESC_SIZE;
        }
      }
    }
    if (maxEnd > src.size()) {
      problems.add(
          src.name()
              + ": page data ends at offset "
              + maxEnd
              + " (page_desc at offset "
              + maxAt
              + ") past the end of the file ("
              + src.size()
              + " bytes): the dump is truncated");
    }
  }

  private static long[] computeRanks(
      DumpSource src, long off, long maxMapnr, int blockSize, List<String> problems)
      throws IOException {
    long bitsPerBlock = blockSize * 8L;
    int blocks = (int) ((maxMapnr + bitsPerBlock - 1) / bitsPerBlock);
    long[] ranks = new long[blocks + 1];
    int chunkBlocks = Math.max(1, (1 << 20) / blockSize);
    byte[] buf = new byte[chunkBlocks * blockSize];
    long total = 0;
    for (int b = 0; b < blocks; b += chunkBlocks) {
      int n = Math.min(chunkBlocks, blocks - b);
      long at = off + (long) b * blockSize;
      int got = src.read(at, buf, 0, n * blockSize);
      if (got != n * blockSize) {
        if (problems.stream().noneMatch(p -> p.contains("dumped bitmap is cut short"))) {
          problems.add(
              src.name()
                  + ": dumped bitmap is cut short at offset "
                  + (at + Math.max(got, 0))
                  + ": the dump is truncated; the pages it does not mark are missing");
        }
        Arrays.fill(buf, Math.max(got, 0), buf.length, (byte) 0);
      }
      for (int k = 0; k < n; k++) {
        ranks[b + k] = total;
        int base = k * blockSize;
        for (int i = 0; i < blockSize; i += 8) {
          total += Long.bitCount(Bytes.readU64Le(buf, base + i));
        }
      }
      if (got != n * blockSize) {
        // the file ends inside the bitmap: no page past it is marked, so every later block has the
        // same rank; the work is bounded by the bytes the file holds, not by the max_mapnr claimed
        Arrays.fill(ranks, b + n, blocks, total);
        break;
      }
    }
    ranks[blocks] = total;
    return ranks;
  }

  /** The parsed headers. */
  public KdumpHeader header() {
    return header;
  }

  /** The ELF notes of the note area. */
  public List<ElfNote> notes() {
    return notes;
  }

  /** The VMCOREINFO text the sub header points at, or null. */
  public @Nullable String vmcoreinfo() {
    return vmcoreinfo;
  }

  /** Number of dumped pages (set bits in the dumped bitmap). */
  public long dumpedPages() {
    return rankBeforeBlock[rankBeforeBlock.length - 1];
  }

  /**
   * The dumped pages' bytes, or 0 when the file ends before the page data starts (a file cut inside
   * its headers, bitmaps or {@code page_desc[]} holds no page at all).
   */
  @Override
  public long storedBytes() {
    return src.size() > descEnd ? partPages * blockSize : 0;
  }

  /** The next pfn set in the dumped bitmap, in this file's range; none when it holds no data. */
  @Override
  public long nextStoredPfn(long pfn, long limit) {
    long end = Math.min(limit, Math.min(pfnLimit, header.endPfn()));
    long p = Math.max(pfn, header.startPfn());
    if (p >= end || storedBytes() == 0) {
      return limit;
    }
    try {
      while (p < end) {
        long block = p / bitsPerBlock;
        if (block + 1 < rankBeforeBlock.length
            && rankBeforeBlock[(int) block + 1] == rankBeforeBlock[(int) block]) {
          p = (block + 1) * bitsPerBlock; // no page of this bitmap block is dumped
          continue;
        }
        bit(dumpedBitmapOffset, p, false);
        int i = (int) (p % bitsPerBlock);
        int stop = (int) Math.min(bitsPerBlock, end - block * bitsPerBlock);
        while (i < stop) {
          int b = dumpedBlock[i >>> 3] >>> (i & 7);
          if (b == 0) {
            i = (i | 7) + 1; // the rest of this byte is clear
          } else if ((b & 1) != 0) {
            return block * bitsPerBlock + i;
          } else {
            i++;
          }
        }
        p = block * bitsPerBlock + stop;
      }
    } catch (IOException e) {
      return pfn < limit ? pfn : limit; // let readPage say what is wrong
    }
    return limit;
  }

  /** The file name. */
  public String name() {
    return src.name();
  }

  /** Number of pages whose data could not be decoded so far. */
  public int corruptPages() {
    return corruptPages;
  }

  @Override
  public int pageSize() {
    return blockSize;
  }

  @Override
  public List<String> problems() {
    return problems;
  }

  /** True when {@code pfn} belongs to this file (always, unless it is one part of a split set). */
  public boolean covers(long pfn) {
    return pfn >= header.startPfn() && pfn < header.endPfn();
  }

  private boolean bit(long bitmapOffset, long pfn, boolean ram) throws IOException {
    long block = pfn / bitsPerBlock;
    byte[] buf = ram ? ramBlock : dumpedBlock;
    long cached = ram ? cachedRamBlock : cachedDumpedBlock;
    if (cached != block) {
      int got = src.read(bitmapOffset + block * blockSize, buf, 0, blockSize);
      if (got != blockSize) {
        Arrays.fill(buf, (byte) 0);
      }
      if (ram) {
        cachedRamBlock = block;
      } else {
        cachedDumpedBlock = block;
      }
    }
    int inBlock = (int) (pfn % bitsPerBlock);
    return (buf[inBlock >>> 3] & (1 << (inBlock & 7))) != 0;
  }

  private long rankOf(long pfn) {
    try {
      long block = pfn / bitsPerBlock;
      if (block >= rankBeforeBlock.length - 1) {
        return rankBeforeBlock[rankBeforeBlock.length - 1];
      }
      bit(dumpedBitmapOffset, pfn, false);
      long r = rankBeforeBlock[(int) block];
      int inBlock = (int) (pfn % bitsPerBlock);
      int fullBytes = inBlock >>> 3;
      int i = 0;
      for (; i + 8 <= fullBytes; i += 8) {
        r += Long.bitCount(Bytes.readU64Le(dumpedBlock, i));
      }
      for (; i < fullBytes; i++) {
        r += Integer.bitCount(dumpedBlock[i] & 0xff);
      }
      r += Integer.bitCount(dumpedBlock[fullBytes] & 0xff & ((1 << (inBlock & 7)) - 1));
      return r;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The state of {@code pfn} without reading its data. */
  public PageState stateOf(long pfn) throws IOException {
    if (pfn < 0 || pfn >= pfnLimit || !covers(pfn)) {
      return PageState.NOT_DUMPED;
    }
    if (ramBitmapOffset >= 0 && !bit(ramBitmapOffset, pfn, true)) {
      return PageState.NOT_DUMPED;
    }
    if (!bit(dumpedBitmapOffset, pfn, false)) {
      return PageState.FILTERED;
    }
    return PageState.PRESENT;
  }

  @Override
  public PageState readPage(long pfn, byte[] dst) throws IOException {
    Arrays.fill(dst, 0, blockSize, (byte) 0);
    PageState st = stateOf(pfn);
    if (st != PageState.PRESENT) {
      return st;
    }
    long index = rankOf(pfn) - descBase;
    long descAt = dataOffset + index * DESC_SIZE;
    byte[] d = new byte[DESC_SIZE];
    if (src.read(descAt, d, 0, DESC_SIZE) != DESC_SIZE) {
      noteTruncation(descAt);
      return PageState.UNREADABLE;
    }
    long off = Bytes.readU64Le(d, 0);
    long size = Bytes.readU32Le(d, 8);
    int flags = Bytes.readI32Le(d, 12);
    if (off == 0) {
      return PageState.UNREADABLE; // never written: incomplete dump
    }
    if (off < descEnd) {
      corrupt(
          pfn,
          descAt,
          "page data offset " + off + " lies before the end of page_desc[] " + descEnd);
      return PageState.UNREADABLE;
    }
    if (size <= 0 || size > blockSize || off < 0) {
      corrupt(pfn, descAt, "page_desc size " + size + " (page size " + blockSize + ")");
      return PageState.UNREADABLE;
    }
    if (off > src.size() || src.size() - off < size) {
      noteTruncation(off);
      return PageState.UNREADABLE;
    }
    PageCompression c = PageCompression.ofFlags(flags);
    if (c == null) {
      if (size != blockSize) {
        corrupt(pfn, descAt, "raw page of " + size + " bytes");
        return PageState.UNREADABLE;
      }
      if (src.read(off, dst, 0, blockSize) != blockSize) {
        noteTruncation(off);
        return PageState.UNREADABLE;
      }
      return PageState.PRESENT;
    }
    int n = (int) size;
    if (src.read(off, compressed, 0, n) != n) {
      noteTruncation(off);
      return PageState.UNREADABLE;
    }
    int out = c.decompress(compressed, n, dst);
    if (out != blockSize) {
      Arrays.fill(dst, 0, blockSize, (byte) 0);
      corrupt(pfn, off, c.id() + " data does not decompress to one page");
      return PageState.UNREADABLE;
    }
    return PageState.PRESENT;
  }

  private void corrupt(long pfn, long at, String what) {
    corruptPages++;
    if (corruptPages <= 5) {
      problems.add(src.name() + ": pfn " + pfn + ": " + what + " at offset " + at);
    }
  }

  private void noteTruncation(long at) {
    if (!truncationNoted) {
      truncationNoted = true;
      problems.add(
          src.name()
              + ": page data at offset "
              + at
              + " lies past the end of the file ("
              + src.size()
              + " bytes): the dump is truncated");
    }
  }

  @Override
  public void close() throws IOException {
    src.close();
  }
}
