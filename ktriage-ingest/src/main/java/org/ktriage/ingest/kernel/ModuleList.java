package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.Btf;
import org.ktriage.ingest.btf.BtfEnumerator;
import org.ktriage.ingest.btf.BtfKind;
import org.ktriage.ingest.btf.BtfStruct;
import org.ktriage.ingest.btf.BtfType;

/**
 * Reads the loaded modules from the {@code modules} list ({@code struct module.list}). Region
 * layouts are probed: {@code mem[MOD_*]} (v6.4+, commit ac3b43283923), {@code core_layout}/{@code
 * init_layout} (v4.5–v6.3), {@code module_core}/{@code core_size} (before v4.5).
 */
public final class ModuleList {
  private ModuleList() {}

  /** The modules in list order (most recently loaded first). */
  public static List<LoadedModule> read(KernelView k) throws UnreadableInputException {
    long head = k.symbol("modules", "the module list");
    BtfStruct module = k.struct("module");
    List<LoadedModule> out = new ArrayList<>();
    for (long addr : k.listEntries(head, module.offset("list"), "modules")) {
      out.add(readOne(k, KernelObject.read(k.memory(), module, addr)));
    }
    return out;
  }

  private static LoadedModule readOne(KernelView k, KernelObject m)
      throws UnreadableInputException {
    Btf btf = k.btf();
    String name = m.string("name");
    String state = enumName(btf, "module_state", m.unsigned("state"));
    List<ModuleRegion> regions = new ArrayList<>();
    BtfStruct layout = m.layout();
    if (layout.hasMember("mem")) {
      long count = k.arrayCount(layout, "mem", 64);
      for (int i = 0; i < count; i++) {
        String kind = enumName(btf, "mod_mem_type", i);
        regions.add(
            new ModuleRegion(
                kind,
                m.unsigned("mem[" + i + "].base"),
                m.unsigned("mem[" + i + "].size"),
                kind.startsWith("MOD_INIT")));
      }
    } else if (layout.hasMember("core_layout")) {
      regions.add(
          new ModuleRegion(
              "core", m.unsigned("core_layout.base"), m.unsigned("core_layout.size"), false));
      regions.add(
          new ModuleRegion(
              "init", m.unsigned("init_layout.base"), m.unsigned("init_layout.size"), true));
    } else {
      regions.add(
          new ModuleRegion("core", m.unsigned("module_core"), m.unsigned("core_size"), false));
      regions.add(
          new ModuleRegion("init", m.unsigned("module_init"), m.unsigned("init_size"), true));
    }
    long base = regions.get(0).base();
    long size = 0;
    for (ModuleRegion r : regions) {
      if (!r.init()) {
        size += r.size();
      }
    }
    return new LoadedModule(m.address(), name, state, base, size, regions);
  }

  /** The enumerator of {@code enum type} with this value, or the number when BTF has none. */
  static String enumName(Btf btf, String type, long value) {
    @Nullable BtfType t = btf.find(type, BtfKind.ENUM, BtfKind.ENUM64);
    if (t != null) {
      for (BtfEnumerator e : btf.enumerators(t)) {
        if (e.value() == value) {
          return e.name();
        }
      }
    }
    return Long.toString(value);
  }
}
