package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfField;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * The vmlinux ORC unwind tables of an x86_64 kernel (v4.14+): {@code __start_orc_unwind_ip} ..
 * {@code __stop_orc_unwind_ip} holds one s32 per entry, an address relative to the entry itself,
 * sorted; {@code __start_orc_unwind} holds the matching 6-byte {@code struct orc_entry} {s16
 * sp_offset; s16 bp_offset; u16 flags}. The flag bit layout is taken from the kernel's own BTF
 * ({@code sp_reg}, {@code bp_reg}, {@code type}, and {@code end} before v6.3 or {@code signal}
 * since): the type numbering changed when {@code end} went away (v6.4, commit fb799447ae29).
 */
public final class OrcTable {
  /** Largest table accepted (a distribution kernel has about 400,000 entries). */
  static final long MAX_ENTRIES = 1 << 23;

  /** ORC_REG_* numbers (unchanged since v4.14). */
  static final int REG_UNDEFINED = 0;

  static final int REG_PREV_SP = 1;
  static final int REG_DX = 2;
  static final int REG_DI = 3;
  static final int REG_BP = 4;
  static final int REG_SP = 5;
  static final int REG_R10 = 6;
  static final int REG_R13 = 7;
  static final int REG_BP_INDIRECT = 8;
  static final int REG_SP_INDIRECT = 9;

  /** Unwind types, normalised to the v6.4+ numbering. */
  enum Type {
    UNDEFINED,
    END_OF_STACK,
    CALL,
    REGS,
    REGS_PARTIAL
  }

  /** One decoded entry. */
  record Entry(int spOffset, int bpOffset, int spReg, int bpReg, Type type, boolean signal) {}

  private final long[] ips;
  private final byte[] entries;
  private final List<ModuleOrc> modules;
  private final BtfStruct orcLayout;
  private final Field spReg;
  private final Field bpReg;
  private final Field type;
  private final Field signal;
  private final Field end;
  private final boolean oldTypes;

  private record Field(int shift, int width) {
    int get(int flags) {
      return width == 0 ? 0 : (flags >>> shift) & ((1 << width) - 1);
    }
  }

  /** A loaded module's own table ({@code module.arch.orc_unwind_ip}, {@code orc_unwind}). */
  private static final class ModuleOrc {
    final LoadedModule module;
    final long[] ips;
    final byte[] entries;

    ModuleOrc(LoadedModule module, long[] ips, byte[] entries) {
      this.module = module;
      this.ips = ips;
      this.entries = entries;
    }
  }

  private OrcTable(long[] ips, byte[] entries, BtfStruct orc) throws UnreadableInputException {
    this(ips, entries, orc, List.of());
  }

  private OrcTable(long[] ips, byte[] entries, BtfStruct orc, List<ModuleOrc> modules)
      throws UnreadableInputException {
    this.orcLayout = orc;
    this.ips = ips;
    this.entries = entries;
    this.modules = List.copyOf(modules);
    this.spReg = field(orc, "sp_reg");
    this.bpReg = field(orc, "bp_reg");
    this.type = field(orc, "type");
    this.signal = orc.hasMember("signal") ? field(orc, "signal") : new Field(0, 0);
    this.end = orc.hasMember("end") ? field(orc, "end") : new Field(0, 0);
    this.oldTypes = orc.hasMember("end");
  }

  private static Field field(BtfStruct orc, String name) throws UnreadableInputException {
    BtfField f = orc.member(name);
    int shift = (int) (f.bitOffset() - 32);
    int width = f.isBitfield() ? f.bitfieldSize() : (int) f.size() * 8;
    if (shift < 0 || shift + width > 16) {
      throw new CorruptKernelDataException(
          "orc_entry." + name + " at bit " + f.bitOffset() + " is not in the flags word");
    }
    return new Field(shift, width);
  }

  /** Reads the vmlinux tables. */
  public static OrcTable read(KernelView k) throws UnreadableInputException {
    long ipStart = k.symbol("__start_orc_unwind_ip", "ORC unwinding");
    long ipStop = k.symbol("__stop_orc_unwind_ip", "ORC unwinding");
    long orcStart = k.symbol("__start_orc_unwind", "ORC unwinding");
    long n = (ipStop - ipStart) / 4;
    if (n <= 0 || n > MAX_ENTRIES) {
      throw new CorruptKernelDataException("ORC table has implausible size " + n);
    }
    long[] ips = readIps(k.memory(), ipStart, (int) n);
    byte[] entries = new byte[(int) n * 6];
    readChunked(k.memory(), orcStart, entries);
    return new OrcTable(ips, entries, k.struct("orc_entry"));
  }

  /** Each entry of an {@code orc_unwind_ip} array is an s32 relative to its own address. */
  private static long[] readIps(VirtualMemory memory, long ipStart, int n)
      throws UnreadableInputException {
    byte[] raw = new byte[n * 4];
    readChunked(memory, ipStart, raw);
    long[] ips = new long[n];
    for (int i = 0; i < n; i++) {
      int rel =
          (raw[4 * i] & 0xff)
              | (raw[4 * i + 1] & 0xff) << 8
              | (raw[4 * i + 2] & 0xff) << 16
              | raw[4 * i + 3] << 24;
      ips[i] = ipStart + 4L * i + rel;
    }
    return ips;
  }

  /**
   * This table joined by the tables of loaded modules: {@code unwind_module_init()} keeps each
   * module's sorted {@code orc_unwind_ip}/{@code orc_unwind} arrays and their count in {@code
   * module.arch} (x86 {@code struct mod_arch_specific}), and {@code orc_find()} looks an address
   * outside vmlinux up in the module that holds it. Modules whose table cannot be read are left out
   * and named in {@code problems}.
   */
  public OrcTable withModules(KernelView k, List<LoadedModule> loaded, List<String> problems)
      throws UnreadableInputException {
    BtfStruct module = k.struct("module");
    if (!module.hasMember("arch.num_orcs")) {
      problems.add("struct module has no arch.num_orcs: module frames are not unwound with ORC");
      return this;
    }
    List<ModuleOrc> mods = new ArrayList<>();
    for (LoadedModule m : loaded) {
      try {
        KernelObject mod = KernelObject.read(k.memory(), module, m.address());
        long n = mod.unsigned("arch.num_orcs");
        if (n == 0) {
          continue;
        }
        if (n > MAX_ENTRIES) {
          throw new CorruptKernelDataException("num_orcs is " + n);
        }
        long[] mips = readIps(k.memory(), mod.unsigned("arch.orc_unwind_ip"), (int) n);
        byte[] ment = new byte[(int) n * 6];
        readChunked(k.memory(), mod.unsigned("arch.orc_unwind"), ment);
        mods.add(new ModuleOrc(m, mips, ment));
      } catch (UnreadableInputException | RuntimeException e) {
        problems.add("ORC table of module " + m.name() + " not read (" + e.getMessage() + ")");
      }
    }
    return new OrcTable(ips, entries, orcLayout, mods);
  }

  private static void readChunked(VirtualMemory memory, long addr, byte[] dst)
      throws UnreadableInputException {
    int chunk = 1 << 16;
    for (int off = 0; off < dst.length; off += chunk) {
      memory.read(addr + off, dst, off, Math.min(chunk, dst.length - off));
    }
  }

  /** Number of entries. */
  public int size() {
    return ips.length;
  }

  /** True when {@code ip} lies within the range the vmlinux table or a module's table covers. */
  boolean covers(long ip) {
    return coversVmlinux(ip) || moduleOf(ip) != null;
  }

  private boolean coversVmlinux(long ip) {
    return Long.compareUnsigned(ip, ips[0]) >= 0
        && Long.compareUnsigned(ip, ips[ips.length - 1]) <= 0;
  }

  private @Nullable ModuleOrc moduleOf(long ip) {
    for (ModuleOrc m : modules) {
      if (m.module.covers(ip) && Long.compareUnsigned(ip, m.ips[0]) >= 0) {
        return m;
      }
    }
    return null;
  }

  /** The entry for {@code ip}: the last one at or below it; null outside the table. */
  @Nullable Entry find(long ip) {
    if (coversVmlinux(ip)) {
      return decode(entries, lastAtOrBelow(ips, ip));
    }
    ModuleOrc m = moduleOf(ip);
    if (m == null) {
      return null;
    }
    return decode(m.entries, lastAtOrBelow(m.ips, ip));
  }

  private static int lastAtOrBelow(long[] ips, long ip) {
    int lo = 0;
    int hi = ips.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (Long.compareUnsigned(ips[mid], ip) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private Entry decode(byte[] table, int i) {
    int at = 6 * i;
    int sp = (short) ((table[at] & 0xff) | (table[at + 1] & 0xff) << 8);
    int bp = (short) ((table[at + 2] & 0xff) | (table[at + 3] & 0xff) << 8);
    int flags = (table[at + 4] & 0xff) | (table[at + 5] & 0xff) << 8;
    int t = type.get(flags);
    Type kind;
    if (oldTypes) {
      int sr = spReg.get(flags);
      if (end.get(flags) != 0) {
        kind = Type.END_OF_STACK;
      } else if (sr == REG_UNDEFINED) {
        kind = Type.UNDEFINED;
      } else {
        kind =
            switch (t) {
              case 0 -> Type.CALL;
              case 1 -> Type.REGS;
              case 2 -> Type.REGS_PARTIAL;
              default -> Type.UNDEFINED;
            };
      }
    } else {
      kind = t < Type.values().length ? Type.values()[t] : Type.UNDEFINED;
    }
    return new Entry(sp, bp, spReg.get(flags), bpReg.get(flags), kind, signal.get(flags) != 0);
  }

  @Override
  public String toString() {
    return "OrcTable[" + ips.length + " entries, " + Arrays.toString(new long[] {ips[0]}) + "]";
  }
}
