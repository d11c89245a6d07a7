package org.ktriage.ingest.kallsyms;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * The kernel's own symbol table, decoded from the kallsyms arrays VMCOREINFO points at (v6.0+):
 * {@code kallsyms_num_syms}, {@code kallsyms_names} (per symbol a length byte — two bytes when the
 * first has bit 7 set, v6.1+ — then token indexes), {@code kallsyms_token_table} and {@code
 * kallsyms_token_index} (256 u16), and addresses from {@code kallsyms_offsets} with {@code
 * kallsyms_relative_base} (base-relative or absolute-percpu, whichever reproduces {@code
 * SYMBOL(_stext)}) or {@code kallsyms_addresses}. Also loads a System.map for older kernels.
 */
public final class KallsymsTable {
  private static final long MAX_SIZE = 1 << 16;

  /** Symbol addresses in address order. */
  private final long[] addrs;

  private final char[] types;

  /**
   * The names in address order, back to back as the kernel stores them (Latin-1 bytes, no NUL):
   * name {@code i} is {@code nameBytes[nameEnd[i - 1], nameEnd[i])}. A {@link String} is made only
   * for a symbol asked for, not for the 100 000-200 000 symbols of a kernel at load.
   */
  private final byte[] nameBytes;

  private final int[] nameEnd;

  /** Open addressing by name hash: symbol index + 1, 0 for a free slot (power-of-two size). */
  private final int[] byName;

  private final long textStart;
  private final long textEnd;
  private final long initTextStart;
  private final long initTextEnd;

  private KallsymsTable(long[] addrs, byte[] nameBytes, int[] nameEnd, char[] types) {
    int n = addrs.length;
    boolean sorted = true;
    for (int i = 1; i < n && sorted; i++) {
      sorted = Long.compareUnsigned(addrs[i - 1], addrs[i]) <= 0;
    }
    if (sorted) {
      // the kernel's own arrays are in address order already (scripts/kallsyms.c sort_symbols())
      this.addrs = addrs;
      this.types = types;
      this.nameBytes = nameBytes;
      this.nameEnd = nameEnd;
    } else {
      // keep entries in address order; a stable sort keeps aliases in their input order
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compareUnsigned(addrs[a], addrs[b]));
      this.addrs = new long[n];
      this.types = new char[n];
      this.nameBytes = new byte[nameBytes.length];
      this.nameEnd = new int[n];
      int at = 0;
      for (int i = 0; i < n; i++) {
        int k = order[i];
        this.addrs[i] = addrs[k];
        this.types[i] = types[k];
        int from = k == 0 ? 0 : nameEnd[k - 1];
        System.arraycopy(nameBytes, from, this.nameBytes, at, nameEnd[k] - from);
        at += nameEnd[k] - from;
        this.nameEnd[i] = at;
      }
    }
    this.byName = new int[Math.max(16, Integer.highestOneBit(Math.max(1, n)) << 2)];
    int mask = byName.length - 1;
    for (int i = 0; i < n; i++) {
      int from = nameStart(i);
      int slot = hash(this.nameBytes, from, this.nameEnd[i]) & mask;
      // a name already indexed keeps its first (lowest-address) symbol, the one indexOf returns:
      // the kernel repeats names (static functions of several files), and a corrupt token table
      // makes every name the same, which must not cost a probe per earlier symbol (n^2)
      boolean seen = false;
      while (byName[slot] != 0) {
        int j = byName[slot] - 1;
        int jFrom = nameStart(j);
        if (Arrays.equals(
            this.nameBytes, jFrom, this.nameEnd[j], this.nameBytes, from, this.nameEnd[i])) {
          seen = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (!seen) {
        byName[slot] = i + 1;
      }
    }
    Long s = addressOf("_stext");
    Long e = addressOf("_etext");
    this.textStart = s != null ? s : 0;
    this.textEnd = e != null ? e : 0;
    Long is = addressOf("_sinittext");
    Long ie = addressOf("_einittext");
    this.initTextStart = is != null ? is : 0;
    this.initTextEnd = ie != null ? ie : 0;
  }

  /** A table of symbols in any order (kept sorted by address). */
  static KallsymsTable of(long[] addrs, String[] names, char[] types) {
    Names nm = new Names(names.length);
    for (String name : names) {
      nm.add(name);
    }
    return new KallsymsTable(addrs, nm.bytes(), nm.ends(), types);
  }

  private int nameStart(int i) {
    return i == 0 ? 0 : nameEnd[i - 1];
  }

  private String name(int i) {
    int from = nameStart(i);
    return new String(nameBytes, from, nameEnd[i] - from, StandardCharsets.ISO_8859_1);
  }

  private static int hash(byte[] b, int from, int to) {
    int h = 0;
    for (int k = from; k < to; k++) {
      h = 31 * h + (b[k] & 0xff);
    }
    return h ^ (h >>> 16);
  }

  /** The index of the first symbol named {@code name} (in address order), or -1. */
  private int indexOf(String name) {
    int len = name.length();
    int h = 0;
    for (int k = 0; k < len; k++) {
      char c = name.charAt(k);
      if (c > 0xff) {
        return -1;
      }
      h = 31 * h + c;
    }
    int mask = byName.length - 1;
    for (int slot = (h ^ (h >>> 16)) & mask; byName[slot] != 0; slot = (slot + 1) & mask) {
      int i = byName[slot] - 1;
      if (sameName(nameBytes, nameStart(i), nameEnd[i], name)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean sameName(byte[] b, int from, int to, String name) {
    if (to - from != name.length()) {
      return false;
    }
    for (int k = from; k < to; k++) {
      if ((b[k] & 0xff) != name.charAt(k - from)) {
        return false;
      }
    }
    return true;
  }

  /** The symbols in address order. */
  public java.util.List<KernelSymbol> symbols() {
    java.util.List<KernelSymbol> out = new ArrayList<>(addrs.length);
    for (int i = 0; i < addrs.length; i++) {
      out.add(new KernelSymbol(name(i), types[i], addrs[i], 0, 0));
    }
    return out;
  }

  /** Number of symbols. */
  public int size() {
    return addrs.length;
  }

  /** True when VMCOREINFO carries the kallsyms keys. */
  public static boolean available(VmcoreInfo info) {
    return info.symbol("kallsyms_names") != null
        && info.symbol("kallsyms_num_syms") != null
        && info.symbol("kallsyms_token_table") != null
        && info.symbol("kallsyms_token_index") != null
        && (info.symbol("kallsyms_offsets") != null || info.symbol("kallsyms_addresses") != null);
  }

  /** Decodes the table from the dump's memory. */
  public static KallsymsTable load(VmcoreInfo info, KernelMemory mem)
      throws MissingMemoryException, UnsupportedDumpException {
    if (!available(info)) {
      throw new UnsupportedDumpException(
          "VMCOREINFO has no kallsyms keys (kernels before 6.0): pass a System.map");
    }
    long num = mem.readU32(sym(info, "kallsyms_num_syms"), "kallsyms_num_syms");
    if (num <= 0 || num > 4_000_000) {
      throw new MissingMemoryException("kallsyms_num_syms " + num + " is implausible");
    }
    int n = (int) num;
    byte[] tokIdx = mem.readExact(sym(info, "kallsyms_token_index"), 512, "kallsyms_token_index");
    int maxTok = 0;
    for (int i = 0; i < 256; i++) {
      maxTok = Math.max(maxTok, Bytes.readU16Le(tokIdx, i * 2));
    }
    byte[] tokTab =
        mem.readExact(sym(info, "kallsyms_token_table"), maxTok + 256, "kallsyms_token_table");
    byte[][] tokens = new byte[256][];
    for (int i = 0; i < 256; i++) {
      int from = Bytes.readU16Le(tokIdx, i * 2);
      int to = from;
      int limit = Math.min(tokTab.length, from + 256);
      while (to < limit && tokTab[to] != 0) {
        to++;
      }
      tokens[i] = Arrays.copyOfRange(tokTab, from, to);
    }
    // each name expands its tokens; the first byte is the symbol's type letter
    Names names = new Names(n);
    char[] types = new char[n];
    SequentialReader r = new SequentialReader(mem, sym(info, "kallsyms_names"));
    byte[] one = new byte[512];
    for (int i = 0; i < n; i++) {
      int len = r.u8();
      if ((len & 0x80) != 0) {
        len = (len & 0x7f) | (r.u8() << 7);
      }
      int got = 0;
      for (int k = 0; k < len; k++) {
        byte[] t = tokens[r.u8()];
        if (got + t.length > one.length) {
          one = Arrays.copyOf(one, one.length * 2 + t.length);
        }
        System.arraycopy(t, 0, one, got, t.length);
        got += t.length;
      }
      types[i] = got > 0 ? (char) (one[0] & 0xff) : '?';
      names.add(one, got > 0 ? 1 : 0, got);
    }
    byte[] nameBytes = names.bytes();
    int[] nameEnd = names.ends();
    long[] addrs = new long[n];
    Long stext = info.symbol("_stext");
    Long offsets = info.symbol("kallsyms_offsets");
    Long absolute = info.symbol("kallsyms_addresses");
    if (offsets != null) {
      byte[] raw = mem.readExact(offsets, n * 4, "kallsyms_offsets");
      Long baseSym = info.symbol("kallsyms_relative_base");
      long base = baseSym != null ? mem.readU64(baseSym, "kallsyms_relative_base") : 0;
      int stextIdx = -1;
      for (int i = 0; i < n && stextIdx < 0; i++) {
        if (sameName(nameBytes, i == 0 ? 0 : nameEnd[i - 1], nameEnd[i], "_stext")) {
          stextIdx = i;
        }
      }
      long[][] cand = new long[3][n];
      for (int i = 0; i < n; i++) {
        int o = Bytes.readI32Le(raw, i * 4);
        cand[0][i] = base + (o & 0xffffffffL); // base-relative
        cand[1][i] = o >= 0 ? o : base - 1 - o; // absolute-percpu
        cand[2][i] = offsets + 4L * i + o; // place-relative (v7.0+)
      }
      long[] pick = cand[0];
      if (stext != null && stextIdx >= 0) {
        for (long[] c : cand) {
          if (c[stextIdx] == stext) {
            pick = c;
            break;
          }
        }
      }
      addrs = pick;
    } else if (absolute != null) {
      byte[] raw = mem.readExact(absolute, n * 8, "kallsyms_addresses");
      for (int i = 0; i < n; i++) {
        addrs[i] = Bytes.readU64Le(raw, i * 8);
      }
    }
    return new KallsymsTable(addrs, nameBytes, nameEnd, types);
  }

  /**
   * The System.map's bytes, unpacked when it is kept xz- or gzip-compressed (as a debug package or
   * a support case may carry it).
   */
  private static java.io.InputStream systemMapStream(Path file) throws IOException {
    java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(6);
    byte[] magic = in.readNBytes(6);
    in.reset();
    try {
      if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        return new java.util.zip.GZIPInputStream(in, 1 << 16);
      }
      if (magic.length == 6
          && (magic[0] & 0xff) == 0xfd
          && magic[1] == '7'
          && magic[2] == 'z'
          && magic[3] == 'X'
          && magic[4] == 'Z'
          && magic[5] == 0) {
        return new org.tukaani.xz.XZInputStream(in);
      }
    } catch (IOException e) {
      in.close();
      throw e;
    }
    return in;
  }

  /** Loads a System.map ({@code address type name} lines), shifted by {@code kernelOffset}. */
  public static KallsymsTable fromSystemMap(Path file, long kernelOffset) throws IOException {
    List<long[]> a = new ArrayList<>();
    Names nm = new Names(1 << 14);
    StringBuilder ty = new StringBuilder();
    try (BufferedReader br =
        new BufferedReader(
            new java.io.InputStreamReader(systemMapStream(file), StandardCharsets.ISO_8859_1))) {
      String line;
      while ((line = br.readLine()) != null) {
        String[] f = line.trim().split("\\s+", -1);
        if (f.length < 3 || f[1].length() != 1) {
          continue;
        }
        try {
          long addr = Long.parseUnsignedLong(f[0], 16);
          // KASLR moves the kernel image, not the x86_64 per-cpu symbols: those link at offsets
          // from 0 (__per_cpu_start, fixed_percpu_data) that kallsyms keeps absolute
          // (CONFIG_KALLSYMS_ABSOLUTE_PERCPU) and the relocation never touches
          a.add(new long[] {addr < 0 ? addr + kernelOffset : addr});
        } catch (NumberFormatException e) {
          continue;
        }
        nm.add(f[2]);
        ty.append(f[1].charAt(0));
      }
    }
    if (a.isEmpty()) {
      throw new IOException(file + ": no symbols in it (a System.map is nm -n output)");
    }
    long[] addrs = new long[a.size()];
    for (int i = 0; i < addrs.length; i++) {
      addrs[i] = a.get(i)[0];
    }
    return new KallsymsTable(addrs, nm.bytes(), nm.ends(), ty.toString().toCharArray());
  }

  private static long sym(VmcoreInfo info, String name) throws UnsupportedDumpException {
    Long v = info.symbol(name);
    if (v == null) {
      throw new UnsupportedDumpException("VMCOREINFO lacks SYMBOL(" + name + ")");
    }
    return v;
  }

  /** The address of a symbol by name, or null. */
  public @Nullable Long addressOf(String name) {
    int i = indexOf(name);
    return i < 0 ? null : addrs[i];
  }

  /**
   * True when {@code addr} lies in the kernel's text ({@code [_stext, _etext)} or {@code
   * [_sinittext, _einittext)}).
   */
  public boolean isKernelText(long addr) {
    return within(addr, textStart, textEnd) || within(addr, initTextStart, initTextEnd);
  }

  private static boolean within(long addr, long start, long end) {
    return end != 0
        && Long.compareUnsigned(addr, start) >= 0
        && Long.compareUnsigned(addr, end) < 0;
  }

  /** The symbol containing {@code addr} (largest start ≤ addr within 64 KiB), or null. */
  public @Nullable KernelSymbol lookup(long addr) {
    int lo = 0;
    int hi = addrs.length - 1;
    int ans = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(addrs[mid], addr) <= 0) {
        ans = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (ans < 0) {
      return null;
    }
    // prefer a text symbol among aliases at the same address
    int best = ans;
    for (int j = ans; j >= 0 && addrs[j] == addrs[ans]; j--) {
      char t = Character.toLowerCase(types[j]);
      if (t == 't' || t == 'w') {
        best = j;
        break;
      }
    }
    long start = addrs[best];
    long size = 0;
    for (int j = ans + 1; j < addrs.length; j++) {
      if (addrs[j] != start) {
        size = addrs[j] - start;
        break;
      }
    }
    long off = addr - start;
    if (off < 0 || off >= MAX_SIZE || (size > 0 && off >= size)) {
      return null;
    }
    return new KernelSymbol(name(best), types[best], start, off, size);
  }

  /** Names appended back to back into one growing byte array, with their end offsets. */
  private static final class Names {
    private byte[] bytes;
    private int[] ends;
    private int count;
    private int size;

    Names(int expected) {
      // a hint only: kallsyms_num_syms is read from the dump, so start small and grow
      int hint = Math.min(Math.max(16, expected), 1 << 18);
      this.bytes = new byte[hint * 24];
      this.ends = new int[hint];
    }

    void add(byte[] b, int from, int to) {
      int len = to - from;
      if (size + len > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
      }
      System.arraycopy(b, from, bytes, size, len);
      size += len;
      if (count == ends.length) {
        ends = Arrays.copyOf(ends, ends.length * 2);
      }
      ends[count++] = size;
    }

    void add(String name) {
      byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
      add(b, 0, b.length);
    }

    byte[] bytes() {
      return Arrays.copyOf(bytes, size);
    }

    int[] ends() {
      return Arrays.copyOf(ends, count);
    }
  }

  /** Reads a byte stream through kernel memory in 64 KiB chunks. */
  private static final class SequentialReader {
    private final KernelMemory mem;
    private long next;
    private final byte[] buf = new byte[1 << 16];
    private int pos = buf.length;

    SequentialReader(KernelMemory mem, long start) {
      this.mem = mem;
      this.next = start;
    }

    int u8() throws MissingMemoryException {
      if (pos == buf.length) {
        long missing = mem.readLenient(next, buf, "kallsyms_names");
        if (missing == buf.length) {
          throw new MissingMemoryException(
              "kallsyms_names at 0x" + Long.toHexString(next) + " is not in the dump");
        }
        next += buf.length;
        pos = 0;
      }
      return buf[pos++] & 0xff;
    }
  }
}
