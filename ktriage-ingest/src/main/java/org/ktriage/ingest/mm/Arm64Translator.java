package org.ktriage.ingest.mm;

import org.ktriage.ingest.bin.MissingMemoryException;

/**
 * arm64 translation (4 KiB, 16 KiB or 64 KiB granule): linear map ({@code (VA & ~PAGE_OFFSET) +
 * PHYS_OFFSET}), kernel image ({@code VA - kimage_voffset}) and a table walk from swapper_pg_dir
 * for the rest. Since v5.4 the linear map is the lower half of the kernel range (bit VA_BITS-1
 * clear), before it the upper half.
 */
public final class Arm64Translator implements AddressTranslator {
  private final PageTableReader tables;
  private final int vaBits;
  private final long physOffset;
  private final long kimageVoffset;
  private final long rootPhys;
  private final int pageShift;
  private final boolean flippedLayout;

  /**
   * Creates a translator.
   *
   * @param memory physical memory of the dump
   * @param vaBits actual VA size (64 - TCR_EL1.T1SZ, or VA_BITS)
   * @param physOffset PHYS_OFFSET
   * @param kimageVoffset kimage_voffset
   * @param swapperPgDir virtual address of swapper_pg_dir (a kernel-image address)
   * @param pageSize granule (4096, 16384 or 65536)
   * @param flippedLayout true for the v5.4+ layout (linear map in the lower half)
   */
  public Arm64Translator(
      PhysicalMemory memory,
      int vaBits,
      long physOffset,
      long kimageVoffset,
      long swapperPgDir,
      int pageSize,
      boolean flippedLayout) {
    this.tables = new PageTableReader(memory);
    this.vaBits = vaBits;
    this.physOffset = physOffset;
    this.kimageVoffset = kimageVoffset;
    this.rootPhys = swapperPgDir - kimageVoffset;
    this.pageShift = Integer.numberOfTrailingZeros(pageSize);
    this.flippedLayout = flippedLayout;
  }

  private boolean isLinear(long va) {
    boolean bit = ((va >>> (vaBits - 1)) & 1) != 0;
    return flippedLayout ? !bit : bit;
  }

  @Override
  public long toPhysical(long rawVa) throws MissingMemoryException {
    long va = rawVa | 0xff00000000000000L; // reset a KASAN/MTE tag to match-all
    if ((va >>> vaBits) != (-1L >>> vaBits)) {
      throw new MissingMemoryException(String.format("0x%x is not a kernel address", rawVa));
    }
    if (isLinear(va)) {
      long pageOffset = flippedLayout ? -(1L << vaBits) : -(1L << (vaBits - 1));
      return (va - pageOffset) + physOffset;
    }
    // kernel image range is resolved by the table walk as well; try the walk first
    try {
      return walk(va);
    } catch (MissingMemoryException e) {
      return va - kimageVoffset;
    }
  }

  /**
   * True when the page tables map {@code va} where the kernel image is mapped: at {@code va -
   * kimage_voffset} (arch/arm64/include/asm/memory.h {@code __kimg_to_phys}). A vmalloc or module
   * page, or an unmapped one, is not.
   */
  public boolean mapsKernelImage(long va) {
    try {
      return walk(va | 0xff00000000000000L) == (va | 0xff00000000000000L) - kimageVoffset;
    } catch (MissingMemoryException | RuntimeException e) {
      return false;
    }
  }

  private long walk(long va) throws MissingMemoryException {
    int bitsPerLevel = pageShift - 3;
    int levels = (vaBits - pageShift + bitsPerLevel - 1) / bitsPerLevel;
    long table = rootPhys;
    for (int l = 0; l < levels; l++) {
      int shift = pageShift + bitsPerLevel * (levels - 1 - l);
      long idx = (va >>> shift) & ((1L << bitsPerLevel) - 1);
      if (l == 0) {
        idx = (va >>> shift) & ((1L << (vaBits - shift)) - 1);
      }
      long e = tables.readEntry(table + idx * 8, va);
      int type = (int) (e & 3);
      long out = e & 0x0000fffffffff000L & ~((1L << pageShift) - 1);
      if (type == 0 || type == 2) {
        throw new MissingMemoryException(String.format("0x%x is not mapped", va));
      }
      if (l == levels - 1) {
        return out | (va & ((1L << pageShift) - 1));
      }
      if (type == 1) {
        long low = (1L << shift) - 1;
        return (e & 0x0000fffffffff000L & ~low) | (va & low);
      }
      table = out;
    }
    throw new MissingMemoryException(String.format("0x%x is not mapped", va));
  }
}
