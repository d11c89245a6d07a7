package org.ktriage.testkit.dump;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a kernel's kallsyms tables as {@code scripts/kallsyms.c} lays them out for a 64-bit kernel
 * of a given era ({@link KallsymsLayout}): the same token-table compression ({@code
 * optimize_token_table()}: every byte the names use is its own token, each free slot from 255 down
 * takes the most frequent pair of adjacent tokens), the same tables in the same order, each at an
 * 8-byte boundary ({@code ALGN}).
 */
public final class KallsymsWriter {
  /** One symbol: its name, type letter and address. */
  public record Symbol(String name, char type, long address) {}

  /**
   * The written tables.
   *
   * @param start virtual address of the first table
   * @param bytes the tables, back to back as the linker places them
   * @param labels virtual address of each table by its kernel symbol name ({@code kallsyms_names},
   *     …)
   */
  @SuppressWarnings("ArrayRecordComponent") // written out once
  public record Tables(long start, byte[] bytes, Map<String, Long> labels) {}

  private final List<Symbol> symbols;

  /** Compressed names (token indexes), in symbol order. */
  private final byte[][] compressed;

  /** Each token's bytes. */
  private final byte[][] tokens = new byte[256][];

  /**
   * Compresses the names of {@code symbols}, given in the order the kernel keeps them ({@code
   * sort_symbols()}: by address).
   */
  public KallsymsWriter(List<Symbol> symbols) {
    this.symbols = List.copyOf(symbols);
    int n = symbols.size();
    byte[][] syms = new byte[n][];
    int[] len = new int[n];
    for (int i = 0; i < n; i++) {
      Symbol s = symbols.get(i);
      syms[i] = (s.type() + s.name()).getBytes(StandardCharsets.ISO_8859_1);
      len[i] = syms[i].length;
    }
    // build_initial_token_table(), insert_real_symbols_in_table(), optimize_result()
    int[] profit = new int[0x10000];
    for (int i = 0; i < n; i++) {
      learn(profit, syms[i], len[i], 1);
    }
    byte[][] best = new byte[256][];
    for (byte[] s : syms) {
      for (byte b : s) {
        best[b & 0xff] = new byte[] {b};
      }
    }
    for (int slot = 255; slot >= 0; slot--) {
      if (best[slot] != null) {
        continue;
      }
      int bestPair = 0;
      int bestProfit = -10000;
      for (int p = 0; p < 0x10000; p++) {
        if (profit[p] > bestProfit) {
          bestPair = p;
          bestProfit = profit[p];
        }
      }
      if (profit[bestPair] == 0) {
        break;
      }
      byte a = (byte) (bestPair & 0xff);
      byte b = (byte) (bestPair >>> 8);
      best[slot] = new byte[] {a, b};
      for (int i = 0; i < n; i++) {
        len[i] = compress(profit, syms[i], len[i], a, b, (byte) slot);
      }
    }
    for (int i = 0; i < 256; i++) {
      tokens[i] = best[i] == null ? new byte[0] : expand(best, best[i]);
    }
    compressed = new byte[n][];
    for (int i = 0; i < n; i++) {
      compressed[i] = Arrays.copyOf(syms[i], len[i]);
    }
  }

  private static void learn(int[] profit, byte[] s, int len, int delta) {
    for (int i = 0; i < len - 1; i++) {
      profit[(s[i] & 0xff) | (s[i + 1] & 0xff) << 8] += delta;
    }
  }

  /** compress_symbols(): replaces every non-overlapping pair {a, b}, left to right. */
  private static int compress(int[] profit, byte[] s, int len, byte a, byte b, byte idx) {
    int at = find(s, 0, len, a, b);
    if (at < 0) {
      return len;
    }
    learn(profit, s, len, -1);
    int out = at;
    int in = at;
    while (in < len) {
      if (in + 1 < len && s[in] == a && s[in + 1] == b) {
        s[out++] = idx;
        in += 2;
      } else {
        s[out++] = s[in++];
      }
    }
    learn(profit, s, out, 1);
    return out;
  }

  private static int find(byte[] s, int from, int len, byte a, byte b) {
    for (int i = from; i < len - 1; i++) {
      if (s[i] == a && s[i + 1] == b) {
        return i;
      }
    }
    return -1;
  }

  /** expand_symbol(): a token whose table entry is itself stands for its byte. */
  private static byte[] expand(byte[][] best, byte[] token) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte c : token) {
      byte[] t = best[c & 0xff];
      if (t.length == 1 && t[0] == c) {
        out.write(c);
      } else {
        out.writeBytes(expand(best, t));
      }
    }
    return out.toByteArray();
  }

  /** The symbols, in the order written. */
  public List<Symbol> symbols() {
    return symbols;
  }

  /**
   * The tables of {@code layout}, placed at virtual address {@code at} (8-aligned).
   *
   * @throws IllegalArgumentException where {@code scripts/kallsyms.c} fails too: an address out of
   *     range of the layout's offsets
   */
  public Tables write(KallsymsLayout layout, long at) {
    if ((at & 7) != 0) {
      throw new IllegalArgumentException("tables start 8-aligned");
    }
    Out out = new Out(at);
    if (!layout.addressesLast) {
      addresses(layout, out);
    }
    out.label("kallsyms_num_syms");
    if (layout.ptrCounts) {
      out.u64(symbols.size());
    } else {
      out.u32(symbols.size());
    }
    List<Integer> markers = new ArrayList<>();
    out.label("kallsyms_names");
    int off = 0;
    for (int i = 0; i < compressed.length; i++) {
      if ((i & 0xff) == 0) {
        markers.add(off);
      }
      int len = compressed[i].length;
      if (len > 0x7f && !layout.ulebLengths) {
        throw new IllegalArgumentException("a name of " + len + " tokens needs v6.1+ lengths");
      }
      if (len <= 0x7f) {
        out.u8(len);
        off += len + 1;
      } else {
        out.u8((len & 0x7f) | 0x80);
        out.u8((len >>> 7) & 0x7f);
        off += len + 2;
      }
      out.bytes(compressed[i]);
    }
    out.label("kallsyms_markers");
    for (int m : markers) {
      if (layout.ptrCounts) {
        out.u64(m);
      } else {
        out.u32(m);
      }
    }
    if (layout.seqsOfNames && !layout.addressesLast) {
      seqsOfNames(out);
    }
    out.label("kallsyms_token_table");
    int[] index = new int[256];
    int toff = 0;
    for (int i = 0; i < 256; i++) {
      index[i] = toff;
      out.bytes(tokens[i]);
      out.u8(0);
      toff += tokens[i].length + 1;
    }
    out.label("kallsyms_token_index");
    for (int i = 0; i < 256; i++) {
      out.u16(index[i]);
    }
    if (layout.addressesLast) {
      addresses(layout, out);
      if (layout.seqsOfNames) {
        seqsOfNames(out);
      }
    }
    return new Tables(at, out.buf.toByteArray(), out.labels);
  }

  private void addresses(KallsymsLayout layout, Out out) {
    if (layout.addresses == KallsymsLayout.Addresses.ABSOLUTE) {
      out.label("kallsyms_addresses");
      for (Symbol s : symbols) {
        out.u64(s.address());
      }
      return;
    }
    boolean percpu = layout.addresses == KallsymsLayout.Addresses.RELATIVE_ABSOLUTE_PERCPU;
    // record_relative_base(): the first (lowest) symbol that is not an absolute per-CPU one
    long base = 0;
    for (Symbol s : symbols) {
      if (!(percpu && perCpuAbsolute(s))) {
        base = s.address();
        break;
      }
    }
    out.label("kallsyms_offsets");
    for (Symbol s : symbols) {
      long offset;
      boolean overflow;
      if (!percpu) {
        offset = s.address() - base;
        overflow = Long.compareUnsigned(offset, 0xffffffffL) > 0;
      } else if (perCpuAbsolute(s)) {
        offset = s.address();
        overflow = offset < 0 || offset > Integer.MAX_VALUE;
      } else {
        offset = base - s.address() - 1;
        overflow = offset < Integer.MIN_VALUE || offset >= 0;
      }
      if (overflow) {
        throw new IllegalArgumentException(
            String.format(
                "kallsyms failure: %s value %#x out of range in relative mode",
                s.name(), s.address()));
      }
      out.u32(offset);
    }
    out.label("kallsyms_relative_base");
    out.u64(base);
  }

  /**
   * A per-CPU symbol of a kernel with a zero-based per-CPU section ({@code percpu_range}): its
   * address is an offset from 0, not a kernel address.
   */
  private static boolean perCpuAbsolute(Symbol s) {
    return s.address() >= 0;
  }

  /** kallsyms_seqs_of_names: symbol indexes sorted by name, then address, then index. */
  private void seqsOfNames(Out out) {
    Integer[] order = new Integer[symbols.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Comparator<Integer> byName =
        (x, y) -> {
          int c =
              Arrays.compareUnsigned(
                  symbols.get(x).name().getBytes(StandardCharsets.ISO_8859_1),
                  symbols.get(y).name().getBytes(StandardCharsets.ISO_8859_1));
          if (c != 0) {
            return c;
          }
          c = Long.compareUnsigned(symbols.get(x).address(), symbols.get(y).address());
          return c != 0 ? c : Integer.compare(x, y);
        };
    Arrays.sort(order, byName);
    out.label("kallsyms_seqs_of_names");
    for (int seq : order) {
      out.u8(seq >>> 16);
      out.u8(seq >>> 8);
      out.u8(seq);
    }
  }

  /** The assembler's output: bytes, labels at {@code ALGN} (8) boundaries. */
  private static final class Out {
    final long start;
    final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    final Map<String, Long> labels = new LinkedHashMap<>();

    Out(long start) {
      this.start = start;
    }

    void label(String name) {
      while (buf.size() % 8 != 0) {
        buf.write(0);
      }
      labels.put(name, start + buf.size());
    }

    void u8(int v) {
      buf.write(v & 0xff);
    }

    void u16(int v) {
      u8(v);
      u8(v >>> 8);
    }

    void u32(long v) {
      for (int i = 0; i < 4; i++) {
        u8((int) (v >>> (8 * i)));
      }
    }

    void u64(long v) {
      for (int i = 0; i < 8; i++) {
        u8((int) (v >>> (8 * i)));
      }
    }

    void bytes(byte[] b) {
      buf.writeBytes(b);
    }
  }
}
