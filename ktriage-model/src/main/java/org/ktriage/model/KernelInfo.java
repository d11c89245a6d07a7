package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * What the report says about the crashed kernel.
 *
 * @param release uts release ({@code 6.1.0-56-amd64}), or null
 * @param version uts version ({@code #1 SMP PREEMPT_DYNAMIC …}), or null
 * @param arch {@code x86_64}, {@code arm64}, …, or null when unknown
 * @param hostname node name, or null
 * @param taint taint at the time of the first report, or null
 * @param hardware DMI {@code Hardware name:} value, or null
 * @param layout memory layout, never null (fields may be unknown)
 */
public record KernelInfo(
    @Nullable String release,
    @Nullable String version,
    @Nullable String arch,
    @Nullable String hostname,
    @Nullable Taint taint,
    @Nullable String hardware,
    MemoryLayout layout) {
  public static KernelInfo unknown() {
    return new KernelInfo(null, null, null, null, null, null, MemoryLayout.unknown());
  }
}
