package org.ktriage.ingest.kernel;

import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * The regions of a 64-bit kernel's address space that say what an address is, for {@link
 * KernelAddresses}: where kernel addresses start, the direct (linear) map and the physical address
 * at its start, the vmalloc area, and the {@code struct page} array.
 *
 * <ul>
 *   <li>x86_64 (Documentation/arch/x86/x86_64/mm.rst, 4-level paging): kernel addresses have bits
 *       63..47 set; the direct map, vmalloc area and vmemmap start at {@code page_offset_base},
 *       {@code vmalloc_base} and {@code vmemmap_base} (KASLR bases, arch/x86/mm/kaslr.c).
 *   <li>arm64 (arch/arm64/include/asm/memory.h): kernel addresses have bits 63..VA_BITS set; since
 *       v5.4 the linear map is the lower half of that range ({@code PAGE_OFFSET = -(1 << VA_BITS)},
 *       {@code PAGE_END}), before it the upper half; {@code __lm_to_phys(a) = (a & ~PAGE_OFFSET) +
 *       PHYS_OFFSET}, {@code PHYS_OFFSET} being {@code memstart_addr}. The {@code struct page} of a
 *       frame comes from its memory section ({@link MemorySections}). The vmalloc and vmemmap
 *       ranges are VMCOREINFO's ({@code VMALLOC_START}, {@code VMEMMAP_START}, v5.19+), else
 *       v5.11+'s {@code VMEMMAP_START = -(1 << (VA_BITS - VMEMMAP_SHIFT))} (4 KiB pages, 64-byte
 *       {@code struct page}) with vmalloc from {@code PAGE_END} to 256 MiB below it; the kernel
 *       image and the module area lie inside the vmalloc range.
 * </ul>
 *
 * @param kernelBits bits {@code 63..kernelBits} are set in every kernel address
 * @param directMap start of the direct map, or null when unknown
 * @param directMapSize its size
 * @param directMapPhys the physical address mapped at {@code directMap}
 * @param vmalloc start of the vmalloc area, or null when unknown
 * @param vmallocSize its size
 * @param pages the frame-to-{@code struct page} lookup, or null when unknown
 * @param vmemmapStart start of the {@code struct page} array, or null when unknown
 * @param vmemmapSize its size
 */
public record AddressRegions(
    int kernelBits,
    @Nullable Long directMap,
    long directMapSize,
    long directMapPhys,
    @Nullable Long vmalloc,
    long vmallocSize,
    @Nullable MemorySections pages,
    @Nullable Long vmemmapStart,
    long vmemmapSize) {

  static final long X86_DIRECT_MAP_SIZE = 1L << 46; // 64 TiB
  static final long X86_VMALLOC_SIZE = 1L << 45; // 32 TiB
  static final long X86_VMEMMAP_SIZE = 1L << 40; // 1 TiB

  /**
   * The regions of the kernel in {@code k}: arm64's when the dump's VMCOREINFO has arm64's keys
   * ({@code kimage_voffset}, arch/arm64/kernel/crash_core.c), x86_64's otherwise.
   */
  public static AddressRegions of(KernelView k, @Nullable VmcoreInfo vi) {
    if (vi != null && vi.number("kimage_voffset") != null) {
      AddressRegions arm64 = arm64(k, vi);
      if (arm64 != null) {
        return arm64;
      }
    }
    return x86(k);
  }

  /** x86_64, 4-level paging, bases from the KASLR variables. */
  static AddressRegions x86(KernelView k) {
    Long vmemmap = variable(k, "vmemmap_base");
    return new AddressRegions(
        47,
        variable(k, "page_offset_base"),
        X86_DIRECT_MAP_SIZE,
        0,
        variable(k, "vmalloc_base"),
        X86_VMALLOC_SIZE,
        vmemmap == null ? null : MemorySections.vmemmap(vmemmap),
        vmemmap,
        X86_VMEMMAP_SIZE);
  }

  /** arm64 from VMCOREINFO (VA_BITS or TCR_EL1_T1SZ, PHYS_OFFSET) and the memory sections. */
  private static @Nullable AddressRegions arm64(KernelView k, VmcoreInfo vi) {
    Long t1sz = vi.number("TCR_EL1_T1SZ");
    Long va = t1sz != null ? Long.valueOf(64 - t1sz) : vi.number("VA_BITS");
    Long phys = vi.number("PHYS_OFFSET");
    if (phys == null) {
      phys = variable(k, "memstart_addr");
    }
    if (va == null || phys == null || va < 36 || va > 52) {
      return null;
    }
    int vaBits = (int) (long) va;
    // the layout probe of the dump reader (DumpTranslators.arm64): v5.4+ exports TCR_EL1_T1SZ
    // (v5.9+) or links _stext into the upper half
    Long stext = vi.symbol("_stext");
    boolean flipped = t1sz != null || (stext != null && ((stext >>> (vaBits - 1)) & 1) != 0);
    long linear = flipped ? -(1L << vaBits) : -(1L << (vaBits - 1));
    long linearSize = 1L << (vaBits - 1);
    MemorySections pages = MemorySections.of(k, vi);
    // v5.19+ exports the ranges (arch/arm64/kernel/crash_core.c); before, the v5.11+ constants
    Long vmallocStart = vi.number("VMALLOC_START");
    Long vmallocEnd = vi.number("VMALLOC_END");
    if (vmallocStart == null || vmallocEnd == null) {
      vmallocStart = flipped ? -(1L << (vaBits - 1)) : -(1L << vaBits);
      vmallocEnd = -(1L << (vaBits - 6)) - (256L << 20);
    }
    Long vmemmapStart = vi.number("VMEMMAP_START");
    Long vmemmapEnd = vi.number("VMEMMAP_END");
    if (vmemmapStart == null || vmemmapEnd == null) {
      vmemmapStart = -(1L << (vaBits - 6));
      vmemmapEnd = vmemmapStart + (1L << (vaBits - 7));
    }
    return new AddressRegions(
        vaBits,
        linear,
        linearSize,
        phys,
        vmallocStart,
        Long.compareUnsigned(vmallocEnd, vmallocStart) > 0 ? vmallocEnd - vmallocStart : 0,
        pages,
        vmemmapStart,
        Long.compareUnsigned(vmemmapEnd, vmemmapStart) > 0 ? vmemmapEnd - vmemmapStart : 0);
  }

  private static @Nullable Long variable(KernelView k, String name) {
    Long a = k.findSymbol(name);
    if (a == null) {
      return null;
    }
    try {
      return k.readPointer(a);
    } catch (UnreadableInputException e) {
      return null;
    }
  }

  /** True when {@code addr} has the kernel's top bits set. */
  public boolean kernelHalf(long addr) {
    return (addr >> kernelBits) == -1;
  }

  /** True when every bit from {@code kernelBits} up is clear: a user address. */
  public boolean userHalf(long addr) {
    return (addr >>> kernelBits) == 0;
  }

  static boolean in(long addr, @Nullable Long base, long size) {
    return base != null
        && Long.compareUnsigned(addr, base) >= 0
        && Long.compareUnsigned(addr - base, size) < 0;
  }

  /** True for a direct-map address. */
  public boolean inDirectMap(long addr) {
    return in(addr, directMap, directMapSize);
  }

  /** True for an address in the vmalloc area. */
  public boolean inVmalloc(long addr) {
    return in(addr, vmalloc, vmallocSize);
  }

  /** True for an address in the {@code struct page} array. */
  public boolean inVmemmap(long addr) {
    return in(addr, vmemmapStart, vmemmapSize);
  }

  /** The physical address of a direct-map address. */
  public long physical(long addr) {
    return addr - (directMap == null ? 0 : directMap) + directMapPhys;
  }

  /** The direct-map address of a physical address. */
  public long directMapAddress(long phys) {
    return phys - directMapPhys + (directMap == null ? 0 : directMap);
  }
}
