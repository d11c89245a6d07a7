package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * The symbols of loaded modules, read from each {@code struct module} as {@code
 * kernel/module/kallsyms.c} keeps them for {@code /proc/kallsyms} and oops traces: an {@code
 * Elf64_Sym} array, its string table and (since v5.0, commit 1c7651f43777) a type table.
 *
 * <p>Where they live is probed from BTF: {@code module.kallsyms} points at a {@code struct
 * mod_kallsyms} (v4.5+, commit 8244062ef1e5; after init it is {@code &module.core_kallsyms});
 * before that {@code symtab}, {@code num_symtab} and {@code strtab} are members of {@code struct
 * module} itself, and the nm type letter is stored in {@code st_info}. An address resolves as
 * {@code find_kallsyms_symbol()} does: the defined, named symbol with the greatest value at or
 * below it, bounded by the next symbol's value or the end of the module region holding it.
 */
public final class ModuleSymbols implements SymbolTable {
  /** Symbols read from one module at most (a large driver such as amdgpu has about 60,000). */
  static final long MAX_SYMBOLS_PER_MODULE = 1 << 20;

  /** Bytes of one symbol name read at most (KSYM_NAME_LEN is 512 since v6.1, 128 before). */
  static final int MAX_NAME = 512;

  /** Size of {@code Elf64_Sym}: st_name u32, st_info u8, st_other u8, st_shndx u16, value, size. */
  static final int ELF64_SYM_SIZE = 24;

  private final List<ModuleTable> tables;
  private final List<String> problems;

  /** One module's defined symbols sorted by address. */
  private static final class ModuleTable {
    private final LoadedModule module;
    private final long[] addresses;
    private final String[] names;
    private final char[] types;

    ModuleTable(LoadedModule module, long[] addresses, String[] names, char[] types) {
      this.module = module;
      this.addresses = addresses;
      this.names = names;
      this.types = types;
    }

    LoadedModule module() {
      return module;
    }

    long[] addresses() {
      return addresses;
    }

    String[] names() {
      return names;
    }

    char[] types() {
      return types;
    }
  }

  private ModuleSymbols(List<ModuleTable> tables, List<String> problems) {
    this.tables = List.copyOf(tables);
    this.problems = List.copyOf(problems);
  }

  /**
   * Reads the symbol tables of {@code modules}. A module whose table cannot be read is left out and
   * named in {@link #problems()}.
   */
  public static ModuleSymbols read(KernelView k, List<LoadedModule> modules)
      throws UnreadableInputException {
    BtfStruct module = k.struct("module");
    List<ModuleTable> tables = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (LoadedModule m : modules) {
      try {
        tables.add(readOne(k, module, m));
      } catch (UnreadableInputException | RuntimeException e) {
        problems.add("symbols of module " + m.name() + " not read (" + e.getMessage() + ")");
      }
    }
    return new ModuleSymbols(tables, problems);
  }

  private static ModuleTable readOne(KernelView k, BtfStruct module, LoadedModule m)
      throws UnreadableInputException {
    KernelObject mod = KernelObject.read(k.memory(), module, m.address());
    KernelObject syms;
    if (module.hasMember("kallsyms")) {
      long p = mod.unsigned("kallsyms");
      if (p == 0) {
        throw new CorruptKernelDataException("module.kallsyms is NULL");
      }
      syms = KernelObject.read(k.memory(), k.struct("mod_kallsyms"), p);
    } else {
      syms = mod;
    }
    long symtab = syms.unsigned("symtab");
    long count = syms.unsigned("num_symtab");
    long strtab = syms.unsigned("strtab");
    long typetab = syms.layout().hasMember("typetab") ? syms.unsigned("typetab") : 0;
    if (count > MAX_SYMBOLS_PER_MODULE) {
      throw new CorruptKernelDataException("num_symtab is " + count);
    }
    int n = (int) count;
    byte[] raw = new byte[n * ELF64_SYM_SIZE];
    for (int off = 0; off < raw.length; off += 1 << 16) {
      k.memory().read(symtab + off, raw, off, Math.min(1 << 16, raw.length - off));
    }
    byte[] types = new byte[typetab == 0 ? 0 : n];
    if (typetab != 0) {
      k.memory().read(typetab, types, 0, n);
    }
    List<Object[]> defined = new ArrayList<>();
    // Entry 0 is the ELF null symbol, which find_kallsyms_symbol() skips too.
    for (int i = 1; i < n; i++) {
      int at = i * ELF64_SYM_SIZE;
      long nameOff = le(raw, at, 4);
      int info = raw[at + 4] & 0xff;
      int shndx = (int) le(raw, at + 6, 2);
      long value = le(raw, at + 8, 8);
      // undefined symbols (SHN_UNDEF) and absolute values outside the module are no place in it
      if (shndx == 0 || !m.covers(value)) {
        continue;
      }
      String name = k.memory().readCString(strtab + nameOff, MAX_NAME);
      if (name.isEmpty() || isArmMappingSymbol(name)) {
        continue;
      }
      char type = typetab != 0 ? (char) (types[i] & 0xff) : (char) info;
      defined.add(new Object[] {value, name, type});
    }
    // stable: symbols of equal value stay in symbol-table order
    defined.sort((a, b) -> Long.compareUnsigned((Long) a[0], (Long) b[0]));
    long[] addrs = new long[defined.size()];
    String[] names = new String[defined.size()];
    char[] typeChars = new char[defined.size()];
    for (int i = 0; i < addrs.length; i++) {
      addrs[i] = (Long) defined.get(i)[0];
      names[i] = (String) defined.get(i)[1];
      typeChars[i] = (Character) defined.get(i)[2];
    }
    return new ModuleTable(m, addrs, names, typeChars);
  }

  /** ARM ELF mapping symbols ($a, $d, $t, $x) mark code/data switches, not functions. */
  private static boolean isArmMappingSymbol(String name) {
    return name.length() >= 2
        && name.charAt(0) == '$'
        && "adtx".indexOf(name.charAt(1)) >= 0
        && (name.length() == 2 || name.charAt(2) == '.');
  }

  private static long le(byte[] b, int at, int width) {
    long v = 0;
    for (int i = width - 1; i >= 0; i--) {
      v = v << 8 | (b[at + i] & 0xff);
    }
    return v;
  }

  /** Modules whose tables could not be read, as sentences. */
  public List<String> problems() {
    return problems;
  }

  /** Number of symbols over all modules. */
  public int size() {
    int n = 0;
    for (ModuleTable t : tables) {
      n += t.addresses().length;
    }
    return n;
  }

  /** The symbols of one module by name, in address order (for views and tests). */
  public List<KernelSymbol> symbolsOf(String moduleName) {
    List<KernelSymbol> out = new ArrayList<>();
    for (ModuleTable t : tables) {
      if (t.module().name().equals(moduleName)) {
        for (int i = 0; i < t.addresses().length; i++) {
          KernelSymbol s = symbolAt(t, i);
          out.add(s);
        }
      }
    }
    return out;
  }

  @Override
  public @Nullable Long address(String name) {
    for (ModuleTable t : tables) {
      for (int i = 0; i < t.names().length; i++) {
        if (t.names()[i].equals(name)) {
          return t.addresses()[i];
        }
      }
    }
    return null;
  }

  @Override
  public @Nullable KernelSymbol symbolize(long addr) {
    for (ModuleTable t : tables) {
      if (!t.module().covers(addr)) {
        continue;
      }
      long[] a = t.addresses();
      int i = Arrays.binarySearch(a, addr);
      if (i < 0) {
        i = -i - 2;
      }
      // all values lie in the module's regions, which share the sign bit: signed order is theirs
      if (i < 0) {
        return null;
      }
      // aliases (e.g. init_module for a module_init function): find_kallsyms_symbol() keeps the
      // first in symbol-table order, which the stable sort kept first among equal values
      while (i > 0 && a[i - 1] == a[i]) {
        i--;
      }
      KernelSymbol s = symbolAt(t, i);
      return s.contains(addr) ? s : null;
    }
    return null;
  }

  private static KernelSymbol symbolAt(ModuleTable t, int i) {
    long start = t.addresses()[i];
    long end = regionEnd(t.module(), start);
    // the next symbol with a greater value bounds this one (aliases share a value)
    for (int j = i + 1; j < t.addresses().length; j++) {
      if (t.addresses()[j] != start) {
        if (Long.compareUnsigned(t.addresses()[j], end) < 0) {
          end = t.addresses()[j];
        }
        break;
      }
    }
    return new KernelSymbol(
        t.names()[i], start, Math.max(end - start, 0), t.types()[i], t.module().name());
  }

  /** The end of the module region that holds {@code addr}, or {@code addr + 1} when none does. */
  private static long regionEnd(LoadedModule m, long addr) {
    for (ModuleRegion r : m.regions()) {
      if (r.contains(addr)) {
        return r.base() + r.size();
      }
    }
    return addr + 1;
  }

  /**
   * The kernel's symbols, then the modules': what an oops trace resolves through {@code
   * kallsyms_lookup()} (core kernel first, then {@code module_address_lookup()}).
   */
  public static SymbolTable over(SymbolTable kernel, ModuleSymbols modules) {
    return new SymbolTable() {
      @Override
      public @Nullable Long address(String name) {
        Long a = kernel.address(name);
        return a != null ? a : modules.address(name);
      }

      @Override
      public @Nullable KernelSymbol symbolize(long addr) {
        KernelSymbol s = kernel.symbolize(addr);
        if (s != null) {
          return s;
        }
        return modules.symbolize(addr);
      }
    };
  }
}
