package org.ktriage.ingest.kernel;

/**
 * One memory region of a loaded module: its kind as the kernel names it ({@code MOD_TEXT}, {@code
 * MOD_DATA}, ... on 6.4+; {@code core}/{@code init} layouts before), start address and size in
 * bytes; {@code init} is true for regions freed after the module's init ran.
 */
public record ModuleRegion(String kind, long base, long size, boolean init) {
  /** True when {@code addr} lies in the region. */
  public boolean contains(long addr) {
    return size > 0
        && Long.compareUnsigned(addr, base) >= 0
        && Long.compareUnsigned(addr - base, size) < 0;
  }
}
