package org.ktriage.ingest.kallsyms;

/**
 * A symbolized address.
 *
 * @param name symbol name
 * @param type nm type letter ({@code T}, {@code t}, {@code D}, …)
 * @param address symbol start
 * @param offset address minus symbol start
 * @param size distance to the next symbol (capped), 0 when unknown
 */
public record KernelSymbol(String name, char type, long address, long offset, long size) {
  /** {@code name+0xoff/0xsize}, as the kernel prints {@code %pS}. */
  public String where() {
    return name + "+0x" + Long.toHexString(offset) + "/0x" + Long.toHexString(size);
  }
}
