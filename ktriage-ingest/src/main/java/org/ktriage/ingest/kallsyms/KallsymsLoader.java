package org.ktriage.ingest.kallsyms;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * Reads the kallsyms arrays VMCOREINFO points at (v6.0+, kernel/vmcore_info.c): {@code
 * kallsyms_num_syms}, {@code kallsyms_names}, {@code kallsyms_token_table}, {@code
 * kallsyms_token_index} (256 u16), and addresses from {@code kallsyms_offsets} with {@code
 * kallsyms_relative_base} or from {@code kallsyms_addresses}. The names are kept compressed, as the
 * kernel keeps them, and expanded when asked for ({@link CompressedNames}).
 */
final class KallsymsLoader {
  /** Largest symbol count accepted (a distribution kernel has about 200 000). */
  static final long MAX_SYMS = 4_000_000;

  /**
   * Largest {@code kallsyms_names} read: a distribution kernel's is 2-3 MiB; a hostile count or
   * length would otherwise read on through all the memory the dump holds.
   */
  static final int MAX_NAMES_BYTES = 64 << 20;

  private KallsymsLoader() {}

  static KallsymsTable load(VmcoreInfo info, KernelMemory mem)
      throws MissingMemoryException, UnsupportedDumpException {
    long num = mem.readU32(sym(info, "kallsyms_num_syms"), "kallsyms_num_syms");
    if (num <= 0 || num > MAX_SYMS) {
      throw new MissingMemoryException("kallsyms_num_syms " + num + " is implausible");
    }
    int n = (int) num;
    CompressedNames names = readNames(mem, sym(info, "kallsyms_names"), n, tokens(info, mem));
    long[] addrs = addresses(info, mem, n, names);
    return KallsymsTable.ofKernel(addrs, names);
  }

  /** The 256 tokens: {@code kallsyms_token_index} gives where each starts in the table. */
  private static byte[][] tokens(VmcoreInfo info, KernelMemory mem)
      throws MissingMemoryException, UnsupportedDumpException {
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
    return tokens;
  }

  /** The {@code n} compressed names as read, and where each starts; none is expanded. */
  private static CompressedNames readNames(KernelMemory mem, long start, int n, byte[][] tokens)
      throws MissingMemoryException {
    SequentialReader r = new SequentialReader(mem, start, n);
    int[] at = new int[n];
    for (int i = 0; i < n; i++) {
      at[i] = r.position();
      int len = r.u8();
      if ((len & 0x80) != 0) {
        len = (len & 0x7f) | (r.u8() << 7);
      }
      r.skip(len);
    }
    return new CompressedNames(r.bytes(), at, tokens, null);
  }

  /**
   * The addresses in the kernel's order: absolute ({@code kallsyms_addresses}), or {@code
   * kallsyms_offsets} read base-relative, absolute-percpu or place-relative (v7.0+), whichever puts
   * a symbol named {@code _stext} at VMCOREINFO's {@code SYMBOL(_stext)}.
   */
  private static long[] addresses(VmcoreInfo info, KernelMemory mem, int n, CompressedNames names)
      throws MissingMemoryException {
    Long offsets = info.symbol("kallsyms_offsets");
    Long absolute = info.symbol("kallsyms_addresses");
    if (offsets != null) {
      byte[] raw = mem.readExact(offsets, n * 4, "kallsyms_offsets");
      Long baseSym = info.symbol("kallsyms_relative_base");
      long base = baseSym != null ? mem.readU64(baseSym, "kallsyms_relative_base") : 0;
      int pick = pickByStext(raw, base, offsets, names, info.symbol("_stext"));
      long[] addrs = new long[n];
      for (int i = 0; i < n; i++) {
        addrs[i] = relative(pick, raw, i, base, offsets);
      }
      return addrs;
    }
    long[] addrs = new long[n];
    if (absolute != null) {
      byte[] raw = mem.readExact(absolute, n * 8, "kallsyms_addresses");
      for (int i = 0; i < n; i++) {
        addrs[i] = Bytes.readU64Le(raw, i * 8);
      }
    }
    return addrs;
  }

  /** Base-relative, absolute-percpu, place-relative (v7.0+): how kallsyms_offsets are read. */
  private static final int ENCODINGS = 3;

  private static long relative(int encoding, byte[] raw, int i, long base, long offsets) {
    int o = Bytes.readI32Le(raw, i * 4);
    return switch (encoding) {
      case 1 -> o >= 0 ? o : base - 1 - o;
      case 2 -> offsets + 4L * i + o;
      default -> base + (o & 0xffffffffL);
    };
  }

  /** The first encoding with a symbol named {@code _stext} at {@code stext}; else base-relative. */
  private static int pickByStext(
      byte[] raw, long base, long offsets, CompressedNames names, @Nullable Long stext) {
    if (stext == null) {
      return 0;
    }
    int n = raw.length / 4;
    for (int e = 0; e < ENCODINGS; e++) {
      for (int i = 0; i < n; i++) {
        // only the symbols at _stext's address are expanded, not every name
        if (relative(e, raw, i, base, offsets) == stext && names.kernelNameIs(i, "_stext")) {
          return e;
        }
      }
    }
    return 0;
  }

  private static long sym(VmcoreInfo info, String name) throws UnsupportedDumpException {
    Long v = info.symbol(name);
    if (v == null) {
      throw new UnsupportedDumpException("VMCOREINFO lacks SYMBOL(" + name + ")");
    }
    return v;
  }

  /**
   * Reads {@code kallsyms_names} through kernel memory, keeping what it read: a first page, then
   * chunks doubling up to 64 KiB, so a short table (or a hostile count that ends early) reads what
   * it uses, and a kernel's whole table (1-2 MiB) is read in 64 KiB steps.
   */
  private static final class SequentialReader {
    private static final int FIRST_CHUNK = 1 << 12;
    private static final int MAX_CHUNK = 1 << 16;
    private final KernelMemory mem;
    private long next;
    private byte[] kept;
    private int chunk = FIRST_CHUNK;
    private int size;
    private int pos;

    SequentialReader(KernelMemory mem, long start, int n) {
      this.mem = mem;
      this.next = start;
      // about 10 bytes a name in a real kernel; a hint only, the count may lie
      this.kept = new byte[(int) Math.min(4L << 20, Math.max(FIRST_CHUNK, 12L * n))];
    }

    int position() {
      return pos;
    }

    private void fill(int upTo) throws MissingMemoryException {
      while (size < upTo) {
        if (size + chunk > MAX_NAMES_BYTES) {
          throw new MissingMemoryException(
              "kallsyms_names runs past " + (MAX_NAMES_BYTES >> 20) + " MiB");
        }
        if (size + chunk > kept.length) {
          kept = Arrays.copyOf(kept, Math.max(kept.length * 2, size + chunk));
        }
        byte[] read = new byte[chunk];
        long missing = mem.readLenient(next, read, "kallsyms_names");
        if (missing == read.length) {
          throw new MissingMemoryException(
              "kallsyms_names at 0x" + Long.toHexString(next) + " is not in the dump");
        }
        System.arraycopy(read, 0, kept, size, read.length);
        size += read.length;
        next += read.length;
        chunk = Math.min(MAX_CHUNK, chunk * 2);
      }
    }

    int u8() throws MissingMemoryException {
      fill(pos + 1);
      return kept[pos++] & 0xff;
    }

    void skip(int len) throws MissingMemoryException {
      fill(pos + len);
      pos += len;
    }

    /** The bytes read so far (those past {@link #position} unused). */
    byte[] bytes() {
      return kept;
    }
  }
}
