package org.ktriage.ingest.kernel;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;

/**
 * Where a kernel's module mapping area is.
 *
 * <ul>
 *   <li>arm64 places modules from a base its KASLR code chooses, probed by name: {@code
 *       module_alloc_base} (arch/arm64/kernel/module.c before v6.5; {@code module_alloc()} tries
 *       {@code [base, base + MODULES_VSIZE)}, 128 MiB), or {@code module_direct_base} (v6.5+, the
 *       128 MiB range reached by direct branches; {@code module_plt_base} names the 2 GiB one
 *       reached through PLTs).
 *   <li>x86_64: from {@code MODULES_VADDR} (the end of the kernel image mapping:
 *       0xffffffffa0000000, or 0xffffffffc0000000 with a 1 GiB KASLR image) to {@code MODULES_END}
 *       (0xffffffffff000000), and never below the image's {@code _end}; see
 *       Documentation/arch/x86/x86_64/mm.rst.
 * </ul>
 */
public final class KernelAddressSpace {
  static final long MODULES_VADDR_MIN = 0xffffffffa0000000L;
  static final long MODULES_END = 0xffffffffff000000L;

  /** arm64's MODULES_VSIZE (arch/arm64/include/asm/memory.h), also module_direct_base's range. */
  static final long ARM64_MODULES_VSIZE = 128L << 20;

  /** The range module_plt_base starts (arch/arm64/kernel/module.c, v6.5+). */
  static final long ARM64_PLT_RANGE = 2L << 30;

  private final long modulesStart;
  private final long modulesEnd;
  private final long pltStart;
  private final long pltEnd;
  private final long imageStart;
  private final long imageEnd;

  private KernelAddressSpace(
      long modulesStart, long modulesEnd, long pltStart, long pltEnd, KernelView k) {
    this.modulesStart = modulesStart;
    this.modulesEnd = modulesEnd;
    this.pltStart = pltStart;
    this.pltEnd = pltEnd;
    Long text = k.findSymbol("_text");
    Long end = k.findSymbol("_end");
    this.imageStart = text == null || end == null ? 0 : text;
    this.imageEnd = text == null || end == null ? 0 : end;
  }

  /** The layout of this kernel ({@code _end} moves the module area's start up when needed). */
  public static KernelAddressSpace of(KernelView k) {
    Long arm64 = base(k, "module_alloc_base");
    if (arm64 == null) {
      arm64 = base(k, "module_direct_base");
    }
    if (arm64 != null) {
      Long plt = base(k, "module_plt_base");
      return new KernelAddressSpace(
          arm64,
          arm64 + ARM64_MODULES_VSIZE,
          plt == null ? 0 : plt,
          plt == null ? 0 : plt + ARM64_PLT_RANGE,
          k);
    }
    Long end = k.findSymbol("_end");
    long start = MODULES_VADDR_MIN;
    if (end != null && Long.compareUnsigned(end, start) > 0) {
      // KASLR: the image may extend to 1 GiB; modules start at the next 512 MiB boundary above it.
      start = (end + 0x1fffffffL) & ~0x1fffffffL;
    }
    return new KernelAddressSpace(start, MODULES_END, 0, 0, k);
  }

  /** The value of an arm64 module base variable, when the kernel has it and it is set. */
  private static @Nullable Long base(KernelView k, String name) {
    Long a = k.findSymbol(name);
    if (a == null) {
      return null;
    }
    try {
      long v = k.readPointer(a);
      return v >> 47 == -1 ? v : null; // a kernel address, never 0
    } catch (UnreadableInputException | RuntimeException e) {
      return null;
    }
  }

  /**
   * True for an address in the module mapping area. arm64's randomized module range may take in the
   * kernel image (arch/arm64/kernel/kaslr.c with RANDOMIZE_MODULE_REGION_FULL), which is never
   * module memory.
   */
  public boolean inModuleArea(long addr) {
    return (inRange(addr, modulesStart, modulesEnd) || inRange(addr, pltStart, pltEnd))
        && !inRange(addr, imageStart, imageEnd);
  }

  private static boolean inRange(long addr, long start, long end) {
    return start != end
        && Long.compareUnsigned(addr, start) >= 0
        && Long.compareUnsigned(addr, end) < 0;
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
