package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.Btf;
import org.ktriage.ingest.btf.BtfArray;
import org.ktriage.ingest.btf.BtfKind;
import org.ktriage.ingest.btf.BtfStruct;
import org.ktriage.ingest.btf.BtfType;

/**
 * A crashed kernel seen through its memory, its symbols and its own BTF: the context every reader
 * of this package works from (per-CPU addressing, struct reads, list walks).
 */
public final class KernelView {
  /** Upper bound of entries a list walk follows before it calls the list corrupt. */
  public static final int MAX_LIST_ENTRIES = 1 << 20;

  private final VirtualMemory memory;
  private final SymbolTable symbols;
  private final Btf btf;
  private final long[] perCpuOffsets;

  /**
   * The structs asked for, one {@link BtfStruct} per name, so the member paths each has looked up
   * are kept: every task read asks task_struct for the same fields (names come from the readers'
   * code, not from the dump, so this stays small).
   */
  private final Map<String, BtfStruct> structs;

  private KernelView(VirtualMemory memory, SymbolTable symbols, Btf btf, long[] perCpuOffsets) {
    this(memory, symbols, btf, perCpuOffsets, new ConcurrentHashMap<>());
  }

  private KernelView(
      VirtualMemory memory,
      SymbolTable symbols,
      Btf btf,
      long[] perCpuOffsets,
      Map<String, BtfStruct> structs) {
    this.memory = memory;
    this.symbols = symbols;
    this.btf = btf;
    this.perCpuOffsets = perCpuOffsets;
    this.structs = structs;
  }

  /** Reads the kernel's BTF from memory and the per-CPU offsets of its possible CPUs. */
  public static KernelView open(VirtualMemory memory, SymbolTable symbols)
      throws UnreadableInputException {
    return open(memory, symbols, KernelBtf.read(memory, symbols));
  }

  /** Opens with a BTF obtained elsewhere. */
  public static KernelView open(VirtualMemory memory, SymbolTable symbols, Btf btf)
      throws UnreadableInputException {
    return new KernelView(memory, symbols, btf, readPerCpuOffsets(memory, symbols));
  }

  private static long[] readPerCpuOffsets(VirtualMemory memory, SymbolTable symbols)
      throws UnreadableInputException {
    Long offsets = symbols.address("__per_cpu_offset");
    Long nrCpuIds = symbols.address("nr_cpu_ids");
    if (offsets == null) {
      // A kernel built without SMP: per-CPU variables live at their link addresses.
      return new long[] {0};
    }
    long n = nrCpuIds == null ? 1 : memory.readU32Le(nrCpuIds);
    if (n < 1 || n > 8192) {
      throw new CorruptKernelDataException("nr_cpu_ids is " + n + ", outside 1..8192");
    }
    long[] out = new long[(int) n];
    for (int cpu = 0; cpu < n; cpu++) {
      out[cpu] = memory.readU64Le(offsets + 8L * cpu);
    }
    return out;
  }

  /** The same kernel seen through another symbol table (e.g. one that adds module symbols). */
  public KernelView withSymbols(SymbolTable other) {
    return new KernelView(memory, other, btf, perCpuOffsets, structs);
  }

  /**
   * The same kernel (symbols, BTF and the struct layouts looked up in it) over other memory, e.g.
   * the same dump with some bytes changed: the per-CPU offsets are read again from it.
   */
  public KernelView withMemory(VirtualMemory other) throws UnreadableInputException {
    return new KernelView(other, symbols, btf, readPerCpuOffsets(other, symbols), structs);
  }

  /** The memory. */
  public VirtualMemory memory() {
    return memory;
  }

  /** The symbols. */
  public SymbolTable symbols() {
    return symbols;
  }

  /** The kernel's BTF. */
  public Btf btf() {
    return btf;
  }

  /** Number of possible CPUs ({@code nr_cpu_ids}). */
  public int cpuCount() {
    return perCpuOffsets.length;
  }

  /** Address of a symbol that must exist. */
  public long symbol(String name, String why) throws MissingKernelSymbolException {
    Long a = symbols.address(name);
    if (a == null) {
      throw new MissingKernelSymbolException(name, why);
    }
    return a;
  }

  /** Address of a symbol, or null. */
  public @Nullable Long findSymbol(String name) {
    return symbols.address(name);
  }

  /** Address of CPU {@code cpu}'s instance of the per-CPU variable at link address {@code var}. */
  public long perCpu(long var, int cpu) {
    return var + perCpuOffsets[cpu];
  }

  /** A struct layout that must exist in this kernel's BTF. */
  public BtfStruct struct(String name) throws UnreadableInputException {
    BtfStruct s = structs.get(name);
    if (s == null) {
      s = btf.struct(name);
      structs.put(name, s);
    }
    return s;
  }

  /** Reads a struct at an address. */
  public KernelObject read(String struct, long address) throws UnreadableInputException {
    return KernelObject.read(memory, struct(struct), address);
  }

  /** Reads a pointer-sized value. */
  public long readPointer(long address) throws UnreadableInputException {
    return memory.readU64Le(address);
  }

  /**
   * Element count of a global array variable from its BTF VAR (e.g. {@code timer_bases}), or null
   * when BTF has no such variable or it is not an array.
   */
  public @Nullable Long arrayLength(String var) {
    BtfType v = btf.find(var, BtfKind.VAR);
    if (v == null) {
      return null;
    }
    try {
      BtfType t = btf.resolve(v.typeId());
      if (t.kind() != BtfKind.ARRAY) {
        return null;
      }
      BtfArray a = btf.array(t);
      return a.elementCount();
    } catch (UnreadableInputException e) {
      return null;
    }
  }

  /** Element count of an array member (e.g. {@code timer_base.vectors}), bounded by {@code max}. */
  public long arrayCount(BtfStruct struct, String path, long max) throws UnreadableInputException {
    org.ktriage.ingest.btf.BtfField f = struct.member(path);
    if (f.resolved().kind() != BtfKind.ARRAY) {
      throw new CorruptKernelDataException(
          "BTF: " + struct.name() + "." + path + " is " + f.resolved().kind() + ", not an array");
    }
    long n = btf.array(f.resolved()).elementCount();
    if (n > max) {
      throw new CorruptKernelDataException(
          "BTF: " + struct.name() + "." + path + " has " + n + " elements, more than " + max);
    }
    return n;
  }

  /**
   * The entries of a circular {@code list_head} list: for each node after {@code head}, the address
   * of the containing struct ({@code node - memberOffset}). Stops at the head; a node that repeats,
   * a poison or unreadable pointer ends the walk with an exception naming the list.
   */
  public List<Long> listEntries(long head, long memberOffset, String what)
      throws UnreadableInputException {
    List<Long> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    long node = memory.readU64Le(head);
    while (node != head) {
      if (node == 0 || !seen.add(node) || out.size() >= MAX_LIST_ENTRIES) {
        throw new CorruptKernelDataException(
            String.format(
                "list %s at 0x%x: bad or repeating node 0x%x after %d entries",
                what, head, node, out.size()));
      }
      out.add(node - memberOffset);
      node = memory.readU64Le(node);
    }
    return out;
  }
}
