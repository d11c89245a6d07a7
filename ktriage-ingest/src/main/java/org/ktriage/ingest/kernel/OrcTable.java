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

  private final Section vmlinux;
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

  /**
   * One pair of tables read in place, as {@code __orc_find()} reads them: {@code n} s32 entries of
   * {@code orc_unwind_ip} from {@code ipStart}, each relative to its own address, and the matching
   * 6-byte entries of {@code orc_unwind} from {@code orcStart}. A lookup is a binary search over
   * the dump's memory, never a copy of the whole table (400 000 entries, 4 MiB, for a distribution
   * kernel; a lookup reads about 20 of them).
   */
  private static final class Section {
    final VirtualMemory memory;
    final long ipStart;
    final long orcStart;
    final int n;
    final long first;
    final long last;

    Section(VirtualMemory memory, long ipStart, long orcStart, long n)
        throws UnreadableInputException {
      if (n <= 0 || n > MAX_ENTRIES) {
        throw new CorruptKernelDataException("ORC table has implausible size " + n);
      }
      this.memory = memory;
      this.ipStart = ipStart;
      this.orcStart = orcStart;
      this.n = (int) n;
      this.first = ip(0);
      this.last = ip(this.n - 1);
      memory.read(orcStart + 6L * (n - 1), new byte[6], 0, 6); // both ends are in the dump
    }

    long ip(int i) throws UnreadableInputException {
      long at = ipStart + 4L * i;
      return at + (int) memory.readU32Le(at);
    }

    boolean covers(long ip) {
      return Long.compareUnsigned(ip, first) >= 0 && Long.compareUnsigned(ip, last) <= 0;
    }

    /** The last entry at or below {@code ip} (which {@link #covers}). */
    int lastAtOrBelow(long ip) throws UnreadableInputException {
      int lo = 0;
      int hi = n - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (Long.compareUnsigned(ip(mid), ip) <= 0) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo;
    }

    byte[] entry(int i) throws UnreadableInputException {
      byte[] b = new byte[6];
      memory.read(orcStart + 6L * i, b, 0, 6);
      return b;
    }
  }

  /** A loaded module's own table ({@code module.arch.orc_unwind_ip}, {@code orc_unwind}). */
  private record ModuleOrc(LoadedModule module, Section table) {}

  private OrcTable(Section vmlinux, BtfStruct orc, List<ModuleOrc> modules)
      throws UnreadableInputException {
    this.orcLayout = orc;
    this.vmlinux = vmlinux;
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

  /** The vmlinux tables, read in place. */
  public static OrcTable read(KernelView k) throws UnreadableInputException {
    long ipStart = k.symbol("__start_orc_unwind_ip", "ORC unwinding");
    long ipStop = k.symbol("__stop_orc_unwind_ip", "ORC unwinding");
    long orcStart = k.symbol("__start_orc_unwind", "ORC unwinding");
    Section vmlinux = new Section(k.memory(), ipStart, orcStart, (ipStop - ipStart) / 4);
    return new OrcTable(vmlinux, k.struct("orc_entry"), List.of());
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
        Section t =
            new Section(
                k.memory(), mod.unsigned("arch.orc_unwind_ip"), mod.unsigned("arch.orc_unwind"), n);
        mods.add(new ModuleOrc(m, t));
      } catch (UnreadableInputException | RuntimeException e) {
        problems.add("ORC table of module " + m.name() + " not read (" + e.getMessage() + ")");
      }
    }
    return new OrcTable(vmlinux, orcLayout, mods);
  }

  /** Number of entries. */
  public int size() {
    return vmlinux.n;
  }

  /** True when {@code ip} lies within the range the vmlinux table or a module's table covers. */
  boolean covers(long ip) {
    return coversVmlinux(ip) || moduleOf(ip) != null;
  }

  private boolean coversVmlinux(long ip) {
    return vmlinux.covers(ip);
  }

  private @Nullable ModuleOrc moduleOf(long ip) {
    for (ModuleOrc m : modules) {
      if (m.module().covers(ip) && Long.compareUnsigned(ip, m.table().first) >= 0) {
        return m;
      }
    }
    return null;
  }

  /**
   * The entry for {@code ip}: the last one at or below it; null outside the table. Read from the
   * dump at each call: a table the dump holds only in part throws here, for the unwind at hand.
   */
  @Nullable Entry find(long ip) throws UnreadableInputException {
    Section t;
    if (coversVmlinux(ip)) {
      t = vmlinux;
    } else {
      ModuleOrc m = moduleOf(ip);
      if (m == null) {
        return null;
      }
      t = m.table();
    }
    return decode(t.entry(t.lastAtOrBelow(ip)), 0);
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
    return "OrcTable["
        + vmlinux.n
        + " entries, "
        + Arrays.toString(new long[] {vmlinux.first})
        + "]";
  }
}
