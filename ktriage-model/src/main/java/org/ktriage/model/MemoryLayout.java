package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * Kernel virtual memory layout facts known for this crash (from VMCOREINFO, the log or the kernel
 * era); any field may be unknown.
 */
public record MemoryLayout(
    @Nullable Long pageOffsetBase,
    @Nullable Long vmallocBase,
    @Nullable Long vmemmapBase,
    @Nullable Long kernelOffset,
    @Nullable Long modulesStart,
    @Nullable Long modulesEnd,
    boolean fiveLevel) {
  public static MemoryLayout unknown() {
    return new MemoryLayout(null, null, null, null, null, null, false);
  }
}
