package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * A callback the kernel still had queued when the dump was taken (a timer on a CPU's timer wheel,
 * an hrtimer, or a delayed work item), as read from the dump's memory.
 *
 * @param kind {@code timer}, {@code hrtimer} or {@code work}
 * @param object address of the queued object ({@code timer_list}, {@code hrtimer}, or the {@code
 *     timer_list} inside a {@code delayed_work})
 * @param function callback address ({@code timer_list.function}, {@code hrtimer.function}, or the
 *     work's {@code func}), or null when the object's memory was unreadable
 * @param functionSymbol the callback's kernel symbol, or null when no symbol covers it
 * @param expires expiry in jiffies (timer wheel: the timer's own {@code expires}, else the expiry
 *     of the wheel bucket holding it), or for an hrtimer in nanoseconds of its clock; null when
 *     unknown
 * @param dueIn expiry minus the dump's jiffies (timers), or null
 * @param cpu the CPU whose queue holds it
 * @param readable false when the object's own memory could not be read (a freed module's pages)
 * @param source where in the dump it was read
 */
public record PendingCallback(
    String kind,
    long object,
    @Nullable Long function,
    @Nullable String functionSymbol,
    @Nullable Long expires,
    @Nullable Long dueIn,
    int cpu,
    boolean readable,
    @Nullable SourceSpan source) {}
