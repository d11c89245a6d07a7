package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * One link of the cause chain, first cause first.
 *
 * @param event what happened: a failure-class id or a chain word ({@code recursive-lock}, {@code
 *     panic})
 * @param where {@code function+0xoff} or a short place, or null
 * @param context context id ({@code softirq}, {@code nmi}, …), or null
 * @param cpu CPU, or null
 * @param detail a short phrase for people, or null
 * @param source the line it was read from, or null
 */
public record ChainEvent(
    String event,
    @Nullable String where,
    @Nullable String context,
    @Nullable Integer cpu,
    @Nullable String detail,
    @Nullable SourceSpan source) {}
