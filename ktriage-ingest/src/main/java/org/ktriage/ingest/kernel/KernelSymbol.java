package org.ktriage.ingest.kernel;

import org.jspecify.annotations.Nullable;

/**
 * A kernel symbol: name, start address, size in bytes (derived from the next symbol when the table
 * stores none), the nm type letter ('T' text, 'd' data, ...) and, for a symbol of a loaded module,
 * the module's name (null for the core kernel).
 */
public record KernelSymbol(
    String name, long address, long size, char type, @Nullable String module) {
  /** A symbol of the core kernel. */
  public KernelSymbol(String name, long address, long size, char type) {
    this(name, address, size, type, null);
  }

  /** True when {@code addr} lies in {@code [address, address+size)}. */
  public boolean contains(long addr) {
    return Long.compareUnsigned(addr, address) >= 0
        && Long.compareUnsigned(addr - address, Math.max(size, 1)) < 0;
  }
}
