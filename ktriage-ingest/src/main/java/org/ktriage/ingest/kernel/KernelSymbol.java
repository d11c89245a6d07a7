package org.ktriage.ingest.kernel;

/**
 * A kernel symbol: name, start address, size in bytes (derived from the next symbol when the table
 * stores none) and the nm type letter ('T' text, 'd' data, ...).
 */
public record KernelSymbol(String name, long address, long size, char type) {
  /** True when {@code addr} lies in {@code [address, address+size)}. */
  public boolean contains(long addr) {
    return Long.compareUnsigned(addr, address) >= 0
        && Long.compareUnsigned(addr - address, Math.max(size, 1)) < 0;
  }
}
