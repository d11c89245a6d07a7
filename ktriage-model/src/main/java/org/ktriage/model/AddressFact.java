package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * What an address seen in the crash is, read from a dump's memory the way {@code crash}'s {@code
 * kmem} tells it.
 *
 * @param address the address looked up (a fault address or a register of the failing context)
 * @param kind one of {@code kernel-image}, {@code module}, {@code freed-module-area}, {@code
 *     task-stack}, {@code stack-guard}, {@code slab-allocated}, {@code slab-free}, {@code
 *     slab-other}, {@code page}, {@code vmalloc}, {@code vmemmap}, {@code user}, {@code
 *     non-canonical}, {@code unknown}
 * @param owner the slab cache, task ({@code pid comm}), module or symbol that owns it, or null
 * @param start the start of the object, stack or region that holds it
 * @param description one sentence, as {@code kmem} would print it
 * @param source where in the dump it was read
 */
public record AddressFact(
    long address,
    String kind,
    @Nullable String owner,
    long start,
    String description,
    SourceSpan source) {}
