package org.ktriage.ingest.kernel;

import java.util.List;

/**
 * Where an x86_64 kernel address lies: the module mapping area runs from {@code MODULES_VADDR} (the
 * end of the kernel image mapping: 0xffffffffa0000000, or 0xffffffffc0000000 with a 1 GiB KASLR
 * image) to {@code MODULES_END} (0xffffffffff000000), and never below the image's {@code _end}; see
 * Documentation/arch/x86/x86_64/mm.rst.
 */
public final class KernelAddressSpace {
  static final long MODULES_VADDR_MIN = 0xffffffffa0000000L;
  static final long MODULES_END = 0xffffffffff000000L;

  private final long modulesStart;

  private KernelAddressSpace(long modulesStart) {
    this.modulesStart = modulesStart;
  }

  /** The layout of this kernel ({@code _end} moves the module area's start up when needed). */
  public static KernelAddressSpace of(KernelView k) {
    Long end = k.findSymbol("_end");
    long start = MODULES_VADDR_MIN;
    if (end != null && Long.compareUnsigned(end, start) > 0) {
      // KASLR: the image may extend to 1 GiB; modules start at the next 512 MiB boundary above it.
      start = (end + 0x1fffffffL) & ~0x1fffffffL;
    }
    return new KernelAddressSpace(start);
  }

  /** True for an address in the module mapping area. */
  public boolean inModuleArea(long addr) {
    return Long.compareUnsigned(addr, modulesStart) >= 0
        && Long.compareUnsigned(addr, MODULES_END) < 0;
  }

  /** True for an address in the module area that no loaded module covers. */
  public boolean inFreedModuleArea(long addr, List<LoadedModule> modules) {
    if (!inModuleArea(addr)) {
      return false;
    }
    for (LoadedModule m : modules) {
      if (m.covers(addr)) {
        return false;
      }
    }
    return true;
  }
}
