package org.ktriage.ingest.kernel;

import org.jspecify.annotations.Nullable;

/**
 * A {@code timer_list} queued on a CPU's timer wheel: CPU, base index, wheel bucket, its address,
 * callback and expiry in jiffies (null when the timer's memory is not readable: a freed module's
 * pages are unmapped), the callback's symbol, and whether the timer or its callback lies in the
 * module area outside every loaded module (the signature of a timer left behind by an unloaded
 * module). {@code bucketExpiry} is the expiry the wheel bucket stands for (jiffies; the timer's own
 * expiry lies within one bucket granularity below it), known even when the timer is unreadable. For
 * the timer of a {@code delayed_work} ({@code delayed_work_timer_fn}), {@code workFunction} is the
 * work's {@code func}, checked against the module area too.
 */
public record PendingTimer(
    int cpu,
    int base,
    int bucket,
    long address,
    @Nullable Long function,
    @Nullable Long expires,
    @Nullable String functionSymbol,
    boolean orphaned,
    @Nullable Long bucketExpiry,
    @Nullable Long workFunction) {}
