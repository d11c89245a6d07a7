package org.ktriage.testkit.dump;

import io.airlift.compress.Compressor;
import io.airlift.compress.lzo.LzoCompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * Writes small kdump-compressed dumps the way makedumpfile lays them out: disk_dump_header (block
 * 0), kdump_sub_header v6 and the ELF notes (block 1…), the RAM and dumped bitmaps, page_desc[],
 * then page data (a shared zero page first when dump level bit 1 is set), with any page
 * compression; also split sets and the flattened form.
 */
public final class KdumpWriter {
  /** Page compression of the written dump. */
  public enum Compression {
    NONE(0),
    ZLIB(0x01),
    LZO(0x02),
    SNAPPY(0x04),
    ZSTD(0x20);

    final int flag;

    Compression(int flag) {
      this.flag = flag;
    }
  }

  private static final int BS = PhysicalImage.PAGE_SIZE;

  private Compression compression = Compression.ZLIB;
  private String machine = "x86_64";
  private String release = "6.1.0-synthetic";
  private int dumpLevel = 31;
  private int headerVersion = 6;
  private List<Note> notes = List.of();
  private String vmcoreinfo = "";
  private long physBase;
  private boolean incomplete;

  public KdumpWriter compression(Compression c) {
    this.compression = c;
    return this;
  }

  public KdumpWriter machine(String m) {
    this.machine = m;
    return this;
  }

  /** utsname.release; QEMU writes it empty. */
  public KdumpWriter release(String r) {
    this.release = r;
    return this;
  }

  public KdumpWriter dumpLevel(int level) {
    this.dumpLevel = level;
    return this;
  }

  /** header_version (3..6; fields of later versions are left zero). */
  public KdumpWriter headerVersion(int v) {
    this.headerVersion = v;
    return this;
  }

  /** Notes (NT_PRSTATUS…); VMCOREINFO is appended from {@link #vmcoreinfo(String)}. */
  public KdumpWriter notes(List<Note> n) {
    this.notes = List.copyOf(n);
    return this;
  }

  public KdumpWriter vmcoreinfo(String text) {
    this.vmcoreinfo = text;
    return this;
  }

  public KdumpWriter physBase(long pb) {
    this.physBase = pb;
    return this;
  }

  /** Set the header's incomplete flag and leave the last page descriptor unwritten (offset 0). */
  public KdumpWriter incomplete(boolean on) {
    this.incomplete = on;
    return this;
  }

  /** One complete dump. */
  public byte[] toBytes(PhysicalImage image) {
    return part(image, 0, image.maxPfn(), false);
  }

  /** A split set of {@code parts} files, each covering a contiguous pfn range. */
  public List<byte[]> split(PhysicalImage image, int parts) {
    List<byte[]> out = new ArrayList<>();
    long per = (image.maxPfn() + parts - 1) / parts;
    for (int i = 0; i < parts; i++) {
      long s = i * per;
      long e = Math.min(image.maxPfn(), s + per);
      out.add(part(image, s, e, true));
    }
    return out;
  }

  private byte[] part(PhysicalImage image, long startPfn, long endPfn, boolean split) {
    long maxMapnr = image.maxPfn();
    List<Note> all = new ArrayList<>(notes);
    if (!vmcoreinfo.isEmpty()) {
      all.add(new Note("VMCOREINFO", 0, vmcoreinfo.getBytes(StandardCharsets.ISO_8859_1)));
    }
    byte[] noteBlob = Note.encode(all);
    int subHdrBlocks = (104 + noteBlob.length + BS - 1) / BS;
    long oneBitmap = ((maxMapnr + 7) / 8 + BS - 1) / BS * BS;
    long bitmapBlocks = 2 * oneBitmap / BS;
    long dataOffset = (1 + subHdrBlocks + bitmapBlocks) * (long) BS;

    byte[] ram = new byte[(int) oneBitmap];
    byte[] dumped = new byte[(int) oneBitmap];
    List<Long> dumpedPfns = new ArrayList<>();
    for (long pfn : image.filtered()) {
      setBit(ram, pfn);
    }
    for (long pfn : image.pages().keySet()) {
      setBit(ram, pfn);
      setBit(dumped, pfn);
      if (pfn >= startPfn && pfn < endPfn) {
        dumpedPfns.add(pfn);
      }
    }
    Collections.sort(dumpedPfns);
    long pageDataStart = dataOffset + 24L * dumpedPfns.size();
    PageData pages = pageData(image, dumpedPfns, pageDataStart);

    byte[] out = new byte[(int) (pageDataStart + pages.data().length)];
    diskDumpHeader(out, subHdrBlocks, bitmapBlocks, maxMapnr);
    subHeader(out, new PfnRange(startPfn, endPfn, maxMapnr, split), noteBlob.length);
    System.arraycopy(noteBlob, 0, out, (int) NOTE_OFFSET, noteBlob.length);
    long bm = (1L + subHdrBlocks) * BS;
    System.arraycopy(ram, 0, out, (int) bm, ram.length);
    System.arraycopy(dumped, 0, out, (int) (bm + oneBitmap), dumped.length);
    System.arraycopy(pages.descs(), 0, out, (int) dataOffset, pages.descs().length);
    System.arraycopy(pages.data(), 0, out, (int) pageDataStart, pages.data().length);
    return out;
  }

  /** The notes start right after the 104 bytes of kdump_sub_header v6, in block 1. */
  private static final long NOTE_OFFSET = BS + 104L;

  /** page_desc[] (one 24-byte descriptor per dumped page) and the page data they point into. */
  @SuppressWarnings("ArrayRecordComponent") // written out once, never compared
  private record PageData(byte[] descs, byte[] data) {}

  /**
   * The descriptors and data of the dumped pages, data starting at {@code pageDataStart}: a shared
   * zero page first when dump level bit 1 (zero pages excluded) is set, the last descriptor left
   * unwritten (offset 0, no data) when the dump is incomplete.
   */
  private PageData pageData(PhysicalImage image, List<Long> dumpedPfns, long pageDataStart) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    ByteArrayOutputStream descs = new ByteArrayOutputStream();
    long zeroPageOff = -1;
    if ((dumpLevel & 1) != 0) {
      zeroPageOff = pageDataStart;
      data.writeBytes(compress(new byte[BS]).bytes);
    }
    byte[] zeroCompressed = (dumpLevel & 1) != 0 ? compress(new byte[BS]).bytes : new byte[0];
    int zeroFlags = (dumpLevel & 1) != 0 ? compress(new byte[BS]).flags : 0;
    for (int i = 0; i < dumpedPfns.size(); i++) {
      byte[] page = java.util.Objects.requireNonNull(image.pages().get(dumpedPfns.get(i)));
      boolean lastUnwritten = incomplete && i == dumpedPfns.size() - 1;
      if (zeroPageOff >= 0 && Arrays.equals(page, new byte[BS])) {
        desc(descs, zeroPageOff, zeroCompressed.length, zeroFlags);
        continue;
      }
      Packed p = compress(page);
      desc(descs, lastUnwritten ? 0 : pageDataStart + data.size(), p.bytes.length, p.flags);
      if (!lastUnwritten) {
        data.writeBytes(p.bytes);
      }
    }
    return new PageData(descs.toByteArray(), data.toByteArray());
  }

  /** struct disk_dump_header in block 0 (makedumpfile diskdump_mod.h). */
  private void diskDumpHeader(byte[] out, int subHdrBlocks, long bitmapBlocks, long maxMapnr) {
    byte[] sig = "KDUMP   ".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(sig, 0, out, 0, 8);
    LittleEndianOut.putU32(out, 8, headerVersion);
    putString(out, 12, "Linux");
    putString(out, 77, "synthetic");
    putString(out, 142, release);
    putString(out, 207, "#1 SMP synthetic");
    putString(out, 272, machine);
    LittleEndianOut.putU32(out, 424, compression.flag | (incomplete ? 0x08 : 0));
    LittleEndianOut.putU32(out, 428, BS);
    LittleEndianOut.putU32(out, 432, subHdrBlocks);
    LittleEndianOut.putU32(out, 436, bitmapBlocks);
    LittleEndianOut.putU32(out, 440, maxMapnr);
    LittleEndianOut.putU32(out, 460, 1);
  }

  /** The pfn range one file of a (split) set covers, of a machine with {@code maxMapnr} pages. */
  private record PfnRange(long start, long end, long maxMapnr, boolean split) {}

  /**
   * struct kdump_sub_header in block 1, with the fields its header version has: v3 the VMCOREINFO
   * note's descriptor (the last note's), v4 the notes, v6 the 64-bit pfn range and max_mapnr.
   */
  private void subHeader(byte[] out, PfnRange r, int notesLength) {
    int sh = BS;
    LittleEndianOut.putU64(out, sh, physBase);
    LittleEndianOut.putU32(out, sh + 8, dumpLevel);
    LittleEndianOut.putU32(out, sh + 12, r.split() ? 1 : 0);
    LittleEndianOut.putU64(out, sh + 16, r.start());
    LittleEndianOut.putU64(out, sh + 24, r.end());
    if (headerVersion >= 3 && !vmcoreinfo.isEmpty()) {
      long viOff = NOTE_OFFSET + notesLength - pad4(vmcoreinfo.length());
      LittleEndianOut.putU64(out, sh + 32, viOff);
      LittleEndianOut.putU64(out, sh + 40, vmcoreinfo.length());
    }
    if (headerVersion >= 4) {
      LittleEndianOut.putU64(out, sh + 48, NOTE_OFFSET);
      LittleEndianOut.putU64(out, sh + 56, notesLength);
    }
    if (headerVersion >= 6) {
      LittleEndianOut.putU64(out, sh + 80, r.start());
      LittleEndianOut.putU64(out, sh + 88, r.end());
      LittleEndianOut.putU64(out, sh + 96, r.maxMapnr());
    }
  }

  /**
   * The flattened form of a kdump file: records of at most {@code recordSize} bytes, written in a
   * shuffled order when {@code seed} is non-zero, with the header record written twice (the later
   * copy wins).
   */
  public static byte[] flatten(byte[] kdump, int recordSize, long seed) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    byte[] head = new byte[4096];
    byte[] sig = "makedumpfile".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(sig, 0, head, 0, sig.length);
    head[23] = 1;
    head[31] = 1;
    o.writeBytes(head);
    List<long[]> recs = new ArrayList<>();
    for (long off = 0; off < kdump.length; off += recordSize) {
      recs.add(new long[] {off, Math.min(recordSize, kdump.length - off)});
    }
    if (seed != 0) {
      Collections.shuffle(recs, new Random(seed));
      // an early garbage copy of the first record, overwritten by the real one later
      LittleEndianOut.u64Be(o, 0);
      LittleEndianOut.u64Be(o, 16);
      o.writeBytes(new byte[16]);
    }
    for (long[] r : recs) {
      LittleEndianOut.u64Be(o, r[0]);
      LittleEndianOut.u64Be(o, r[1]);
      o.write(kdump, (int) r[0], (int) r[1]);
    }
    LittleEndianOut.u64Be(o, -1);
    LittleEndianOut.u64Be(o, -1);
    return o.toByteArray();
  }

  @SuppressWarnings("ArrayRecordComponent") // written out once, never compared
  private record Packed(byte[] bytes, int flags) {}

  private Packed compress(byte[] page) {
    byte[] c =
        switch (compression) {
          case NONE -> page;
          case ZLIB -> deflate(page);
          case LZO -> with(new LzoCompressor(), page);
          case SNAPPY -> with(new SnappyCompressor(), page);
          case ZSTD -> with(new ZstdCompressor(), page);
        };
    if (compression == Compression.NONE || c.length >= BS) {
      return new Packed(page.clone(), 0);
    }
    return new Packed(c, compression.flag);
  }

  private static byte[] with(Compressor c, byte[] in) {
    byte[] out = new byte[c.maxCompressedLength(in.length)];
    int n = c.compress(in, 0, in.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }

  private static byte[] deflate(byte[] in) {
    Deflater d = new Deflater();
    d.setInput(in);
    d.finish();
    byte[] buf = new byte[in.length * 2 + 64];
    int n = d.deflate(buf);
    d.end();
    return Arrays.copyOf(buf, n);
  }

  private static void desc(ByteArrayOutputStream o, long off, int size, int flags) {
    LittleEndianOut.u64(o, off);
    LittleEndianOut.u32(o, size);
    LittleEndianOut.u32(o, flags);
    LittleEndianOut.u64(o, 0);
  }

  private static void setBit(byte[] b, long pfn) {
    b[(int) (pfn >>> 3)] |= (byte) (1 << (pfn & 7));
  }

  private static void putString(byte[] b, int off, String s) {
    byte[] x = s.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(x, 0, b, off, Math.min(64, x.length));
  }

  private static long pad4(long n) {
    return (n + 3) & ~3L;
  }

  /** Pages by pfn, for tests that check what was written. */
  public static Map<Long, byte[]> pagesOf(PhysicalImage image) {
    return image.pages();
  }
}
