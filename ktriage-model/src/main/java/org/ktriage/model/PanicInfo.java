package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * The panic: its message ({@code Kernel panic - not syncing: <message>}, or crash's {@code PANIC:}
 * string) and where it happened.
 */
public record PanicInfo(
    String message,
    @Nullable Integer cpu,
    @Nullable String task,
    @Nullable Integer pid,
    @Nullable SourceSpan source) {}
