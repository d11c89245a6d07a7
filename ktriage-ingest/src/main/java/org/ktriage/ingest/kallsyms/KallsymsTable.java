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

  /** The names in the same order, decoded or as the kernel keeps them. */
  private final SymbolNames names;

  /** Open addressing by name hash: symbol index + 1, 0 for a free slot; made when first used. */
  private int @Nullable [] byName;

  /** {@code _stext}, {@code _etext}, {@code _sinittext}, {@code _einittext}; made when used. */
  private long @Nullable [] text;

  private KallsymsTable(long[] addrs, SymbolNames names) {
    this.addrs = addrs;
    this.names = names;
  }

  /**
   * The order that sorts {@code addrs} (stable: aliases keep their input order), or null when they
   * are sorted already, as the kernel's own arrays are (scripts/kallsyms.c sort_symbols()).
   */
  private static int @Nullable [] addressOrder(long[] addrs) {
    int n = addrs.length;
    boolean sorted = true;
    for (int i = 1; i < n && sorted; i++) {
      sorted = Long.compareUnsigned(addrs[i - 1], addrs[i]) <= 0;
    }
    if (sorted) {
      return null;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compareUnsigned(addrs[a], addrs[b]));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = order[i];
    }
    return out;
  }

  private static long[] reorder(long[] addrs, int[] order) {
    long[] out = new long[addrs.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = addrs[order[i]];
    }
    return out;
  }

  /** A table of decoded symbols in any order (kept sorted by address). */
  private static KallsymsTable decoded(long[] addrs, DecodedNames names) {
    int[] order = addressOrder(addrs);
    return order == null
        ? new KallsymsTable(addrs, names)
        : new KallsymsTable(reorder(addrs, order), names.reordered(order));
  }

  /** The kernel's own table, names kept compressed (kept sorted by address). */
  static KallsymsTable ofKernel(long[] addrs, CompressedNames names) {
    int[] order = addressOrder(addrs);
    return order == null
        ? new KallsymsTable(addrs, names)
        : new KallsymsTable(reorder(addrs, order), names.inOrder(order));
  }

  /** A table of symbols in any order (kept sorted by address). */
  static KallsymsTable of(long[] addrs, String[] names, char[] types) {
    DecodedNames.Builder nm = new DecodedNames.Builder(names.length);
    for (int i = 0; i < names.length; i++) {
      nm.add(names[i], types[i]);
    }
    return decoded(addrs, nm.build());
  }

  /**
   * The index by name, made on first use: a table used only to name addresses (the stack of a
   * report) never expands every name. A name already indexed keeps its first (lowest-address)
   * symbol, the one {@link #addressOf} returns: the kernel repeats names (static functions of
   * several files), and a corrupt token table makes every name the same, which must not cost a
   * probe per earlier symbol (n^2).
   */
  private synchronized int[] byName() {
    int[] index = byName;
    if (index != null) {
      return index;
    }
    DecodedNames d = names.decoded();
    byte[] bytes = d.bytes();
    int n = d.size();
    index = new int[Math.max(16, Integer.highestOneBit(Math.max(1, n)) << 2)];
    int mask = index.length - 1;
    for (int i = 0; i < n; i++) {
      int from = d.start(i);
      int slot = hash(bytes, from, d.end(i)) & mask;
      boolean seen = false;
      while (index[slot] != 0) {
        int j = index[slot] - 1;
        if (Arrays.equals(bytes, d.start(j), d.end(j), bytes, from, d.end(i))) {
          seen = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (!seen) {
        index[slot] = i + 1;
      }
    }
    byName = index;
    return index;
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
    int[] index = byName();
    DecodedNames d = names.decoded();
    int mask = index.length - 1;
    for (int slot = (h ^ (h >>> 16)) & mask; index[slot] != 0; slot = (slot + 1) & mask) {
      int i = index[slot] - 1;
      if (sameName(d.bytes(), d.start(i), d.end(i), name)) {
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
      out.add(new KernelSymbol(names.name(i), names.type(i), addrs[i], 0, 0));
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

  /**
   * The table VMCOREINFO's kallsyms entries point at, read from the dump's memory; the names stay
   * compressed until asked for ({@link KallsymsLoader}).
   */
  public static KallsymsTable load(VmcoreInfo info, KernelMemory mem)
      throws MissingMemoryException, UnsupportedDumpException {
    if (!available(info)) {
      throw new UnsupportedDumpException(
          "VMCOREINFO has no kallsyms keys (kernels before 6.0): pass a System.map");
    }
    return KallsymsLoader.load(info, mem);
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
    DecodedNames.Builder nm = new DecodedNames.Builder(1 << 14);
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
        nm.add(f[2], f[1].charAt(0));
      }
    }
    if (a.isEmpty()) {
      throw new IOException(file + ": no symbols in it (a System.map is nm -n output)");
    }
    long[] addrs = new long[a.size()];
    for (int i = 0; i < addrs.length; i++) {
      addrs[i] = a.get(i)[0];
    }
    return decoded(addrs, nm.build());
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
    long[] t = textBounds();
    return within(addr, t[0], t[1]) || within(addr, t[2], t[3]);
  }

  private synchronized long[] textBounds() {
    long[] t = text;
    if (t == null) {
      String[] bounds = {"_stext", "_etext", "_sinittext", "_einittext"};
      t = new long[4];
      for (int i = 0; i < 4; i++) {
        Long a = addressOf(bounds[i]);
        t[i] = a != null ? a : 0;
      }
      text = t;
    }
    return t;
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
      char t = Character.toLowerCase(names.type(j));
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
    return new KernelSymbol(names.name(best), names.type(best), start, off, size);
  }
}
