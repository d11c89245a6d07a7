package org.ktriage.ingest.kernel;

import org.jspecify.annotations.Nullable;

/**
 * An {@code hrtimer} queued on a CPU's clock base: CPU, clock base index, its address, callback
 * (null when unreadable), the callback's symbol, expiry in nanoseconds of its clock, and whether
 * the timer or its callback lies in the module area outside every loaded module.
 */
public record PendingHrtimer(
    int cpu,
    int clockBase,
    long address,
    @Nullable Long function,
    @Nullable String functionSymbol,
    @Nullable Long expiresNanos,
    boolean orphaned) {}
