package org.ktriage.ingest.kernel;

import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * The {@code struct page} of a page frame: {@code vmemmap + pfn} where the kernel keeps a virtual
 * memory map at a known base (x86_64's {@code vmemmap_base}), else through the frame's memory
 * section, as {@code pfn_to_page()} does under CONFIG_SPARSEMEM (include/linux/mmzone.h, {@code
 * __pfn_to_section}, {@code __section_mem_map_addr}; mm/sparse.c {@code sparse_encode_mem_map}):
 * {@code mem_section[nr / SECTIONS_PER_ROOT][nr % SECTIONS_PER_ROOT].section_mem_map} holds the
 * section's {@code mem_map} minus its first frame, with flag bits below {@code
 * SECTION_MAP_LAST_BIT} (at most 6 of them in any kernel; the coded pointer is a multiple of 64),
 * so the page is {@code (coded & ~63) + pfn * sizeof(struct page)}. Under SPARSEMEM_EXTREME the
 * roots are pointers, each to a page of {@code struct mem_section}; their layout comes from
 * VMCOREINFO ({@code SYMBOL(mem_section)}, {@code NUMBER(SECTION_SIZE_BITS)}, {@code
 * SIZE(mem_section)}, {@code OFFSET(mem_section.section_mem_map)}, {@code LENGTH(mem_section)},
 * kernel/crash_core.c), which every architecture exports.
 */
public final class MemorySections {
  static final int PAGE_SHIFT = 12;
  private static final long SECTION_MAP_MASK = ~63L;

  private final @Nullable KernelView k;
  private final long vmemmap;
  private final long roots;
  private final long rootCount;
  private final int pfnSectionShift;
  private final long sectionSize;
  private final long memMapOffset;

  private MemorySections(
      @Nullable KernelView k,
      long vmemmap,
      long roots,
      long rootCount,
      int pfnSectionShift,
      long sectionSize,
      long memMapOffset) {
    this.k = k;
    this.vmemmap = vmemmap;
    this.roots = roots;
    this.rootCount = rootCount;
    this.pfnSectionShift = pfnSectionShift;
    this.sectionSize = sectionSize;
    this.memMapOffset = memMapOffset;
  }

  /** A virtual memory map at {@code vmemmap} ({@code struct page} of frame 0). */
  static MemorySections vmemmap(long vmemmap) {
    return new MemorySections(null, vmemmap, 0, 0, 0, 0, 0);
  }

  /** The sections of the kernel in {@code k}, or null when VMCOREINFO does not describe them. */
  static @Nullable MemorySections of(KernelView k, VmcoreInfo vi) {
    Long symbol = vi.symbol("mem_section");
    Long bits = vi.number("SECTION_SIZE_BITS");
    Long size = vi.size("mem_section");
    Long offset = vi.offset("mem_section.section_mem_map");
    Long length = vi.length("mem_section");
    if (symbol == null
        || bits == null
        || size == null
        || length == null
        || bits <= PAGE_SHIFT
        || bits > 48
        || size < 8
        || size > 4096
        || length < 1
        || length > (1L << 24)) {
      return null;
    }
    // SYMBOL(mem_section) is the roots' address itself: the pointer's value since v4.15
    // (VMCOREINFO_SYMBOL_ARRAY), the static array's address before
    return new MemorySections(
        k, 0, symbol, length, (int) (bits - PAGE_SHIFT), size, offset == null ? 0 : offset);
  }

  /** The address of the {@code struct page} of frame {@code pfn}. */
  long page(long pfn, long pageStructSize) throws UnreadableInputException {
    KernelView view = k;
    if (view == null) {
      return vmemmap + pfn * pageStructSize;
    }
    long nr = pfn >>> pfnSectionShift;
    long perRoot = (1L << PAGE_SHIFT) / sectionSize;
    long root = nr / perRoot;
    if (root >= rootCount) {
      throw new CorruptKernelDataException(
          String.format("frame 0x%x is past the %d memory section roots", pfn, rootCount));
    }
    long rootAddr = view.readPointer(roots + root * 8);
    if (rootAddr == 0) {
      throw new CorruptKernelDataException(String.format("frame 0x%x has no section root", pfn));
    }
    long coded = view.readPointer(rootAddr + (nr % perRoot) * sectionSize + memMapOffset);
    if ((coded & 2) == 0) { // SECTION_HAS_MEM_MAP
      throw new CorruptKernelDataException(
          String.format("memory section %d of frame 0x%x has no mem_map", nr, pfn));
    }
    return (coded & SECTION_MAP_MASK) + pfn * pageStructSize;
  }
}
