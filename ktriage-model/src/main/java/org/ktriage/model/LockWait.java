package org.ktriage.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A task sleeping on a lock, with the lock's owner as the lock's own {@code owner} word names it
 * (read from a dump).
 *
 * @param waiterPid pid of the waiting task
 * @param waiterComm command name of the waiting task
 * @param lockAddress address of the lock
 * @param kind {@code mutex} or {@code rw_semaphore}
 * @param ownerPid pid of the owner, or null when unowned or unknown
 * @param ownerComm command name of the owner, or null
 * @param ownerState the owner's state as {@code crash ps} abbreviates it (RU, IN, UN, ...), or null
 * @param readerOwned true for an rw_semaphore held by readers (the owner is then the last reader)
 * @param ownerStack the owner's stack, innermost first, or empty when not unwound
 * @param source where in the dump it was read
 */
public record LockWait(
    int waiterPid,
    String waiterComm,
    long lockAddress,
    String kind,
    @Nullable Integer ownerPid,
    @Nullable String ownerComm,
    @Nullable String ownerState,
    boolean readerOwned,
    List<StackSegment> ownerStack,
    @Nullable SourceSpan source) {
  public LockWait {
    ownerStack = List.copyOf(ownerStack);
  }
}
