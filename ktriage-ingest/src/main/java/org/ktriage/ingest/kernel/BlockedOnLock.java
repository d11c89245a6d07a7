package org.ktriage.ingest.kernel;

import org.jspecify.annotations.Nullable;

/**
 * A task waiting for a sleeping lock: the waiter, the lock kind ({@code mutex} or {@code
 * rw_semaphore}), the lock's address, the owner task read from the lock's {@code owner} word (null
 * when unowned or not a known task), and for a reader-owned rw_semaphore {@code readerOwned} (the
 * owner is then only the last reader).
 */
public record BlockedOnLock(
    KernelTask waiter,
    String kind,
    long lockAddress,
    long ownerWord,
    @Nullable KernelTask owner,
    boolean readerOwned) {}
