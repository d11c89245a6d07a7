package org.ktriage.ingest.kallsyms;

import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.mm.PhysicalMemory;

/**
 * Finds the kallsyms tables in the kernel image by their structure, for dumps whose VMCOREINFO does
 * not point at them (kernels before 6.0), the way vmlinux-to-elf does on raw images.
 *
 * <p>Facts from scripts/kallsyms.c ({@code write_src()}): every table starts 8-aligned on 64-bit
 * ({@code ALGN}); {@code kallsyms_num_syms} is followed by {@code kallsyms_names} (per symbol a
 * length byte, two when bit 7 is set since v6.1, then token indexes) and {@code kallsyms_markers}
 * (the names offset of every 256th symbol, {@code unsigned long} before v4.20, {@code u32} since);
 * {@code kallsyms_token_table} (256 NUL-terminated tokens; a character symbols use is its own
 * token, so tokens {@code '0'..'9'} read {@code "0\0" … "9\0"}) is followed by {@code
 * kallsyms_token_index} (256 u16 offsets). Addresses are {@code kallsyms_addresses} (u64) or {@code
 * kallsyms_offsets} (s32) with {@code kallsyms_relative_base} (u64): before v6.4 they come first,
 * right before {@code kallsyms_num_syms}; since v6.4 (commit "scripts/kallsyms: change the output
 * order") they follow {@code kallsyms_token_index}. v6.2 added {@code kallsyms_seqs_of_names},
 * which this scanner does not need.
 */
public final class KallsymsScanner {
  /** How far from the image start the token table is looked for. */
  private static final long SCAN_BYTES = 96L << 20;

  /** How much memory before the token table holds names, markers and (old order) addresses. */
  private static final int BEFORE = 12 << 20;

  /** How much after the token table holds the index and (new order) addresses. */
  private static final int AFTER = 8 << 20;

  private static final byte[] DIGITS =
      "0\0001\0002\0003\0004\0005\0006\0007\0008\0009\000"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private KallsymsScanner() {}

  /**
   * Scans the kernel image from {@code imageStart} for the tables; {@code stext}, when known
   * (VMCOREINFO {@code SYMBOL(_stext)}), picks among address encodings. Null when no consistent set
   * of tables is found.
   *
   * <p>Bounded by what the dump holds, not by what it claims: it looks at no more bytes than the
   * dump stores ({@link PhysicalMemory#storedBytes}, a 4 KiB file costs nothing), and a stretch the
   * dump does not store is stepped over without reading or zero-filling it ({@link
   * PhysicalMemory#nextStoredPfn}). The step relies on the image being physically contiguous:
   * x86-64 maps the whole kernel image at {@code __START_KERNEL_map + phys_base}
   * (arch/x86/include/asm/page_64.h {@code __phys_addr_symbol()}).
   */
  public static @Nullable KallsymsTable scan(
      KernelMemory mem, long imageStart, @Nullable Long stext) {
    PhysicalMemory pm = mem.physical();
    int ps = pm.pageSize();
    long budget = Math.min(SCAN_BYTES, pm.storedBytes());
    // the page read, after the tail of the page before it (a token table may straddle the two)
    int carry = DIGITS.length - 1;
    byte[] buf = new byte[carry + ps];
    byte[] page = new byte[ps];
    boolean previousRead = false;
    long looked = 0;
    Window windows = new Window();
    for (long off = 0; off < SCAN_BYTES && looked < budget; ) {
      long va = imageStart + off;
      long pfn;
      try {
        pfn = Long.divideUnsigned(mem.translator().toPhysical(va), ps);
      } catch (MissingMemoryException e) {
        off += ps;
        previousRead = false;
        continue;
      }
      long left = (SCAN_BYTES - off + ps - 1) / ps;
      long next = pfn + left < 0 ? pfn : pm.nextStoredPfn(pfn, pfn + left);
      if (next > pfn) {
        off += (next - pfn) * ps; // not stored: skipped, never read
        previousRead = false;
        continue;
      }
      long missing;
      try {
        missing = mem.readLenient(va, page, "kernel image");
      } catch (MissingMemoryException e) {
        missing = ps;
      }
      looked += ps;
      off += ps;
      if (missing == ps) {
        previousRead = false;
        continue;
      }
      if (previousRead) {
        System.arraycopy(buf, ps, buf, 0, carry);
      } else {
        java.util.Arrays.fill(buf, 0, carry, (byte) 0);
      }
      System.arraycopy(page, 0, buf, carry, ps);
      previousRead = true;
      long bufStart = va - carry;
      for (int i = indexOf(buf, DIGITS, 0); i >= 0; i = indexOf(buf, DIGITS, i + 1)) {
        KallsymsTable t = tryAt(mem, bufStart + i, imageStart, stext, windows);
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Tries the token table whose token '0' starts at {@code zero}. The window read around it is the
   * stored memory there, page by page, up to {@link #BEFORE} below and {@link #AFTER} above: the
   * tables are one stretch of the image's .rodata, so a page the dump does not store ends it (a 96
   * KiB input used to cost a zero-filled 20 MiB window for every digit run in it).
   */
  private static @Nullable KallsymsTable tryAt(
      KernelMemory mem, long zero, long imageStart, @Nullable Long stext, Window last) {
    int ps = mem.physical().pageSize();
    long zeroPage = zero & -(long) ps;
    byte[] cached = last.bytes;
    if (last.zeroPage == zeroPage && cached != null) {
      // another digit run in the same page: the same window (a page of them is 200 candidates)
      return tryWindow(cached, last.start, zero, stext);
    }
    last.zeroPage = zeroPage;
    last.bytes = null;
    long floor = Math.max(imageStart, zero - BEFORE) & -(long) ps;
    java.util.ArrayDeque<byte[]> pages = new java.util.ArrayDeque<>();
    for (long va = zeroPage; va - zeroPage < AFTER + ps; va += ps) {
      byte[] p = storedPage(mem, va, ps);
      if (p == null) {
        break;
      }
      pages.addLast(p);
    }
    if (pages.isEmpty()) {
      return null;
    }
    long windowStart = zeroPage;
    for (long va = zeroPage - ps; Long.compareUnsigned(va, floor) >= 0 && va < zeroPage; va -= ps) {
      byte[] p = storedPage(mem, va, ps);
      if (p == null) {
        break;
      }
      pages.addFirst(p);
      windowStart = va;
    }
    byte[] w = new byte[pages.size() * ps];
    int at = 0;
    for (byte[] p : pages) {
      System.arraycopy(p, 0, w, at, ps);
      at += ps;
    }
    last.bytes = w;
    last.start = windowStart;
    return tryWindow(w, windowStart, zero, stext);
  }

  /** The window last read, kept for the next candidate in the same page. */
  private static final class Window {
    long zeroPage = 1;
    long start;
    byte @Nullable [] bytes;
  }

  /** The page at {@code va}, or null when the dump does not store it. */
  private static byte @Nullable [] storedPage(KernelMemory mem, long va, int ps) {
    byte[] p = new byte[ps];
    try {
      return mem.readLenient(va, p, "kallsyms tables") == ps ? null : p;
    } catch (MissingMemoryException e) {
      return null;
    }
  }

  private static @Nullable KallsymsTable tryWindow(
      byte[] w, long windowStart, long zero, @Nullable Long stext) {
    int z = (int) (zero - windowStart);
    // walk back over the 47 tokens between token 0 and '0': p ends on token 0's NUL
    int p = z - 1;
    for (int k = 0; k < 47; k++) {
      p--;
      while (p >= 0 && w[p] != 0) {
        p--;
      }
      if (p < 0) {
        return null;
      }
    }
    int token0End = p;
    p--;
    while (p >= 0 && w[p] != 0) {
      p--;
    }
    // token 0 starts after the NUL before it, or (the table being ALGN-aligned) at an aligned
    // byte after it: the data before the table need not end with a NUL (arm64 6.1: its markers
    // end with non-zero bytes right at the table)
    for (int tableStart = p + 1; tableStart < token0End; tableStart = nextAligned(tableStart)) {
      KallsymsTable t = tryTable(w, windowStart, tableStart, stext);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  private static int nextAligned(int pos) {
    return (pos + 8) & ~7;
  }

  private static @Nullable KallsymsTable tryTable(
      byte[] w, long windowStart, int tableStart, @Nullable Long stext) {
    int[] offsets = new int[257];
    int q = tableStart;
    for (int i = 0; i < 256; i++) {
      offsets[i] = q - tableStart;
      int e = q;
      while (e < w.length && w[e] != 0) {
        e++;
      }
      if (e >= w.length || e == q) {
        return null;
      }
      q = e + 1;
    }
    offsets[256] = q - tableStart;
    int indexAt = -1;
    for (int a = align(q, windowStart, 8) - 8; a <= align(q, windowStart, 8) + 8; a += 2) {
      if (a < q || a + 512 > w.length) {
        continue;
      }
      boolean ok = true;
      for (int i = 0; i < 256 && ok; i++) {
        ok = Bytes.readU16Le(w, a + 2 * i) == offsets[i];
      }
      if (ok) {
        indexAt = a;
        break;
      }
    }
    if (indexAt < 0) {
      return null;
    }
    // the tokens as strings only for a table whose index matched (most candidates fail before)
    String[] tokens = new String[256];
    for (int i = 0; i < 256; i++) {
      tokens[i] =
          new String(
              w,
              tableStart + offsets[i],
              offsets[i + 1] - offsets[i] - 1,
              java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    // names: an 8-aligned start whose preceding u32 (kallsyms_num_syms) gives N entries that end
    // right before markers {0, offset of entry 256, …}
    for (int names = tableStart & ~7; names >= 8; names -= 8) {
      // .long N then ALGN padding, or PTR N: the upper four bytes are zero either way
      long n = Bytes.readU32Le(w, names - 8);
      // every name takes at least a length byte and one token before the token table
      if (n < 256
          || n > 4_000_000
          || n > (tableStart - names) / 2
          || Bytes.readU32Le(w, names - 4) != 0) {
        continue;
      }
      KallsymsTable t =
          tryNames(w, windowStart, names, (int) n, tableStart, indexAt, tokens, stext);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  private static int align(int pos, long windowStart, int a) {
    long abs = windowStart + pos;
    long up = (abs + a - 1) & -a;
    return (int) (up - windowStart);
  }

  /** The decoded names of a candidate table: names, type letters, and where entry 256 starts. */
  private static final class Names {
    final String[] names;
    final char[] types;
    final int off256;
    final int end;

    Names(String[] names, char[] types, int off256, int end) {
      this.names = names;
      this.types = types;
      this.off256 = off256;
      this.end = end;
    }
  }

  private static @Nullable KallsymsTable tryNames(
      byte[] w,
      long windowStart,
      int names,
      int n,
      int tableStart,
      int indexAt,
      String[] tokens,
      @Nullable Long stext) {
    Names nm = decodeNames(w, names, n, tableStart, tokens);
    if (nm == null || !markersAt(w, windowStart, nm.end, nm.off256)) {
      return null;
    }
    int stextIdx = java.util.Arrays.asList(nm.names).indexOf("_stext");
    if (stextIdx < 0) {
      return null;
    }
    for (long[] a : addressCandidates(w, windowStart, names - 8, n, indexAt)) {
      if (stext != null ? a[stextIdx] == stext : plausible(a, nm.types, a[stextIdx])) {
        return KallsymsTable.of(a, nm.names, nm.types);
      }
    }
    return null;
  }

  /** Expands the {@code n} names from {@code names}; null when they run into the token table. */
  private static @Nullable Names decodeNames(
      byte[] w, int names, int n, int tableStart, String[] tokens) {
    int pos = names;
    int off256 = -1;
    String[] nm = new String[n];
    char[] types = new char[n];
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < n; i++) {
      if (i == 256) {
        off256 = pos - names;
      }
      if (pos >= tableStart) {
        return null;
      }
      int l = w[pos++] & 0xff;
      if ((l & 0x80) != 0) {
        l = (l & 0x7f) | ((w[pos++] & 0xff) << 7);
      }
      if (l == 0 || pos + l > tableStart) {
        return null;
      }
      sb.setLength(0);
      for (int k = 0; k < l; k++) {
        sb.append(tokens[w[pos++] & 0xff]);
      }
      types[i] = sb.charAt(0);
      nm[i] = sb.substring(1);
    }
    return new Names(nm, types, off256, pos);
  }

  /** Markers right after the names: u32 or unsigned long, first 0, second entry 256's offset. */
  private static boolean markersAt(byte[] w, long windowStart, int pos, int off256) {
    int m = align(pos, windowStart, 8) - 8;
    for (int a = Math.max(pos, m); a <= pos + 8 && a + 16 <= w.length; a++) {
      if ((windowStart + a) % 4 != 0) {
        continue;
      }
      if (Bytes.readU32Le(w, a) == 0
          && (Bytes.readU32Le(w, a + 4) == off256
              || (Bytes.readU64Le(w, a + 8) == off256 && Bytes.readU32Le(w, a + 4) == 0))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The address arrays the window could hold: new order after the token index, old order before
   * {@code kallsyms_num_syms}; relative offsets (base-relative or absolute-percpu) or absolute.
   */
  private static java.util.List<long[]> addressCandidates(
      byte[] w, long windowStart, int numSyms, int n, int indexAt) {
    int afterIndex = align(indexAt + 512, windowStart, 8);
    java.util.List<long[]> candidates = new java.util.ArrayList<>(6);
    for (int offsetsAt : new int[] {afterIndex, numSyms - 8 - align8(4 * n)}) {
      if (offsetsAt < 0 || offsetsAt + 4L * n + 16 > w.length) {
        continue;
      }
      int relBaseAt = align(offsetsAt + 4 * n, windowStart, 8);
      long base = Bytes.readU64Le(w, relBaseAt);
      long[] rel = new long[n];
      long[] pcpu = new long[n];
      for (int i = 0; i < n; i++) {
        int o = Bytes.readI32Le(w, offsetsAt + 4 * i);
        rel[i] = base + (o & 0xffffffffL);
        pcpu[i] = o >= 0 ? o : base - 1 - o;
      }
      candidates.add(rel);
      candidates.add(pcpu);
    }
    for (int addrsAt : new int[] {afterIndex, numSyms - 8 * n}) {
      if (addrsAt < 0 || addrsAt + 8L * n > w.length) {
        continue;
      }
      long[] abs = new long[n];
      for (int i = 0; i < n; i++) {
        abs[i] = Bytes.readU64Le(w, addrsAt + 8 * i);
      }
      candidates.add(abs);
    }
    return candidates;
  }

  private static int align8(int v) {
    return (v + 7) & ~7;
  }

  /** Without a known _stext: text symbols sorted and within 64 MiB above _stext. */
  private static boolean plausible(long[] a, char[] types, long stext) {
    if ((stext & 0xfff) != 0 || stext >= 0) {
      return false;
    }
    int text = 0;
    int near = 0;
    for (int i = 0; i < a.length; i++) {
      char t = Character.toLowerCase(types[i]);
      if (t == 't') {
        text++;
        long d = a[i] - stext;
        if (d >= 0 && d < (64L << 20)) {
          near++;
        }
      }
    }
    return text > 0 && near * 10L >= text * 9L;
  }
}
