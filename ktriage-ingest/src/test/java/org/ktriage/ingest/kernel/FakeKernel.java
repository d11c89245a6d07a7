package org.ktriage.ingest.kernel;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.Btf;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * A made-up kernel for unit tests: sparse 4 KiB pages of memory, a symbol map, and helpers that
 * write struct members at the offsets a real BTF gives.
 */
final class FakeKernel implements VirtualMemory, SymbolTable {
  final Btf btf;
  private final TreeMap<Long, byte[]> pages = new TreeMap<>();
  private final Map<String, Long> symbols = new HashMap<>();
  private final TreeMap<Long, KernelSymbol> byAddress = new TreeMap<>(Long::compareUnsigned);

  FakeKernel(Btf btf) {
    this.btf = btf;
  }

  void symbol(String name, long addr, long size, char type) {
    symbols.put(name, addr);
    byAddress.put(addr, new KernelSymbol(name, addr, size, type));
  }

  void map(long addr, long len) {
    for (long p = addr & ~0xfffL; Long.compareUnsigned(p, addr + len) < 0; p += 4096) {
      pages.computeIfAbsent(p, k -> new byte[4096]);
    }
  }

  void write(long addr, byte[] data) {
    for (int i = 0; i < data.length; i++) {
      long a = addr + i;
      byte[] page = pages.get(a & ~0xfffL);
      if (page == null) {
        throw new IllegalStateException(String.format("fake kernel: 0x%x not mapped", a));
      }
      page[(int) (a & 0xfff)] = data[i];
    }
  }

  void writeU64(long addr, long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    write(addr, b);
  }

  void writeU32(long addr, long v) {
    write(addr, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
  }

  /** Writes the member at {@code path} of the struct at {@code base} with its own width. */
  void set(String struct, long base, String path, long v) throws UnreadableInputException {
    BtfStruct s = btf.struct(struct);
    long off = s.offset(path);
    long size = s.member(path).size();
    if (size == 8) {
      writeU64(base + off, v);
    } else if (size == 4) {
      writeU32(base + off, v);
    } else if (size == 2) {
      write(base + off, new byte[] {(byte) v, (byte) (v >>> 8)});
    } else if (size == 1) {
      write(base + off, new byte[] {(byte) v});
    } else {
      throw new IllegalArgumentException(struct + "." + path + " is " + size + " bytes");
    }
  }

  void setString(String struct, long base, String path, String v) throws UnreadableInputException {
    write(base + btf.struct(struct).offset(path), v.getBytes(StandardCharsets.UTF_8));
  }

  /** Links {@code entries} (addresses of list_head nodes) into a circular list at {@code head}. */
  void list(long head, long... nodes) {
    long prev = head;
    for (long n : nodes) {
      writeU64(prev, n);
      writeU64(n + 8, prev);
      prev = n;
    }
    writeU64(prev, head);
    writeU64(head + 8, prev);
  }

  /** Flips {@code flips} random bits in the mapped pages. */
  void corrupt(java.util.Random random, int flips) {
    Long[] keys = pages.keySet().toArray(new Long[0]);
    for (int i = 0; i < flips; i++) {
      byte[] page = pages.get(keys[random.nextInt(keys.length)]);
      if (page != null) {
        page[random.nextInt(page.length)] ^= (byte) (1 << random.nextInt(8));
      }
    }
  }

  /** Overwrites random aligned words of the mapped pages with a random pointer-like value. */
  void scramblePointers(java.util.Random random, int words, long[] candidates) {
    Long[] keys = pages.keySet().toArray(new Long[0]);
    for (int i = 0; i < words; i++) {
      long page = keys[random.nextInt(keys.length)];
      writeU64(page + 8L * random.nextInt(512), candidates[random.nextInt(candidates.length)]);
    }
  }

  @Override
  public void read(long virtAddr, byte[] dst, int off, int len) throws UnreadableInputException {
    for (int i = 0; i < len; i++) {
      long a = virtAddr + i;
      byte[] page = pages.get(a & ~0xfffL);
      if (page == null) {
        throw new UnreadableInputException(String.format("0x%x is not mapped", a));
      }
      dst[off + i] = page[(int) (a & 0xfff)];
    }
  }

  @Override
  public @Nullable Long address(String name) {
    return symbols.get(name);
  }

  @Override
  public @Nullable KernelSymbol symbolize(long addr) {
    Map.Entry<Long, KernelSymbol> e = byAddress.floorEntry(addr);
    return e != null && e.getValue().contains(addr) ? e.getValue() : null;
  }
}
