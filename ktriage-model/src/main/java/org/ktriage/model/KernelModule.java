package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * A loaded kernel module.
 *
 * @param name module name
 * @param taintFlags per-module taint letters from {@code mod(OE)}, empty when none
 * @param base core text base address, when known (crash {@code mod} or a dump)
 * @param size core size in bytes, when known
 * @param source where it was read
 */
public record KernelModule(
    String name,
    String taintFlags,
    @Nullable Long base,
    @Nullable Long size,
    @Nullable SourceSpan source) {

  public boolean covers(long address) {
    return base != null
        && size != null
        && Long.compareUnsigned(address, base) >= 0
        && Long.compareUnsigned(address - base, size) < 0;
  }
}
