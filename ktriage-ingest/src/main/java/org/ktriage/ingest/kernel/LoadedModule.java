package org.ktriage.ingest.kernel;

import java.util.List;

/**
 * A module on the kernel's {@code modules} list: the {@code struct module} address, name, state
 * (the {@code enum module_state} enumerator, e.g. {@code MODULE_STATE_LIVE}), text base, core size
 * in bytes (what {@code crash mod} prints as BASE and SIZE) and every memory region.
 */
public record LoadedModule(
    long address, String name, String state, long base, long size, List<ModuleRegion> regions) {
  public LoadedModule {
    regions = List.copyOf(regions);
  }

  /** True when {@code addr} lies in any region of the module (core or init). */
  public boolean covers(long addr) {
    for (ModuleRegion r : regions) {
      if (r.contains(addr)) {
        return true;
      }
    }
    return false;
  }
}
