package org.ktriage.ingest.kernel;

import org.jspecify.annotations.Nullable;

/** The kernel's symbols (kallsyms from VMCOREINFO, or a System.map): by name and by address. */
public interface SymbolTable {
  /** Address of a symbol, or null when the table has none of that name. */
  @Nullable Long address(String name);

  /** The symbol containing {@code addr} (the last one at or below it within its size), or null. */
  @Nullable KernelSymbol symbolize(long addr);
}
