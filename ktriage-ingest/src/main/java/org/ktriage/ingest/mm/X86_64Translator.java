package org.ktriage.ingest.mm;

import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.MissingMemoryException;

/**
 * x86_64 translation: the kernel-image shortcut ({@code PA = VA - __START_KERNEL_map + phys_base}),
 * the direct-map shortcut ({@code PA = VA - page_offset_base}) and a 4- or 5-level page walk with 1
 * GiB and 2 MiB pages from a root table (SYMBOL(init_top_pgt) or a CPU's CR3).
 */
public final class X86_64Translator implements AddressTranslator {
  /** {@code __START_KERNEL_map}. */
  public static final long START_KERNEL_MAP = 0xffffffff80000000L;

  private static final long ADDR_MASK = 0x000ffffffffff000L;
  private static final long PS = 1L << 7;

  private final PageTableReader tables;
  private final @Nullable Long physBase;
  private final @Nullable Long pageOffsetBase;
  private final long kernelImageSize;
  private final long rootPhys;
  private final boolean fiveLevel;
  private final long smeMask;

  /**
   * Creates a translator.
   *
   * @param memory physical memory of the dump
   * @param physBase phys_base, or null to walk the page tables for kernel-image addresses too
   * @param pageOffsetBase the direct-map base, or null to walk the page tables for it
   * @param kernelImageSize KERNEL_IMAGE_SIZE (512 MiB or 1 GiB)
   * @param rootPhys physical address of the top-level page table
   * @param fiveLevel true with 5-level paging
   * @param smeMask AMD SME C-bit mask to clear from entries (0 if none)
   */
  public X86_64Translator(
      PhysicalMemory memory,
      @Nullable Long physBase,
      @Nullable Long pageOffsetBase,
      long kernelImageSize,
      long rootPhys,
      boolean fiveLevel,
      long smeMask) {
    this.tables = new PageTableReader(memory);
    this.physBase = physBase;
    this.pageOffsetBase = pageOffsetBase;
    this.kernelImageSize = kernelImageSize;
    this.rootPhys = rootPhys & ADDR_MASK & ~smeMask;
    this.fiveLevel = fiveLevel;
    this.smeMask = smeMask;
  }

  /** The direct-map base in use, or null. */
  public @Nullable Long pageOffsetBase() {
    return pageOffsetBase;
  }

  /** phys_base in use, or null. */
  public @Nullable Long physBase() {
    return physBase;
  }

  /** Physical address of the root page table. */
  public long rootPhys() {
    return rootPhys;
  }

  @Override
  public long toPhysical(long va) throws MissingMemoryException {
    if (physBase != null
        && Long.compareUnsigned(va, START_KERNEL_MAP) >= 0
        && Long.compareUnsigned(va - START_KERNEL_MAP, kernelImageSize) < 0) {
      return va - START_KERNEL_MAP + physBase;
    }
    if (pageOffsetBase != null
        && Long.compareUnsigned(va, pageOffsetBase) >= 0
        && Long.compareUnsigned(va - pageOffsetBase, fiveLevel ? 1L << 55 : 1L << 46) < 0) {
      return va - pageOffsetBase;
    }
    return walk(va);
  }

  /** Walks the page tables from the root, ignoring the shortcuts. */
  public long walk(long va) throws MissingMemoryException {
    int top = fiveLevel ? 56 : 47;
    long upper = va >> top;
    if (upper != 0 && upper != -1) {
      throw new MissingMemoryException(String.format("0x%x is a non-canonical address", va));
    }
    long vpage = va & ~0xfffL;
    Long hit = tables.cached(vpage);
    if (hit != null) {
      return hit | (va & 0xfff);
    }
    long table = rootPhys;
    int[] shifts = fiveLevel ? new int[] {48, 39, 30, 21, 12} : new int[] {39, 30, 21, 12};
    for (int shift : shifts) {
      long idx = (va >>> shift) & 511;
      long e = tables.readEntry(table + idx * 8, va) & ~smeMask;
      if ((e & 1) == 0) {
        throw new MissingMemoryException(String.format("0x%x is not mapped", va));
      }
      if (shift == 12 || ((shift == 30 || shift == 21) && (e & PS) != 0)) {
        long low = (1L << shift) - 1;
        long pa = (e & 0x000fffffffffffffL & ~low) | (va & low);
        tables.remember(vpage, pa & ~0xfffL);
        return pa;
      }
      table = e & ADDR_MASK;
    }
    throw new MissingMemoryException(String.format("0x%x is not mapped", va));
  }
}
