package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * Finds what an uninterruptible task waits for without debuginfo: a task sleeping in {@code
 * __mutex_lock} or {@code rwsem_down_*_slowpath} has a waiter struct ({@code mutex_waiter}, {@code
 * rwsem_waiter}) on its own stack whose {@code task} is itself and whose {@code list} is linked
 * into the lock's {@code wait_list}. Following that list to the node that lies on no task's stack
 * gives the lock; its {@code owner} word, minus the flag bits (MUTEX_FLAGS, RWSEM_OWNER_FLAGS_MASK:
 * the low 3 bits), is the owning task.
 */
public final class LockOwners {
  static final long OWNER_FLAGS = 0x7;
  static final long RWSEM_READER_OWNED = 0x1;
  private static final int MAX_WAITERS = 4096;

  private LockOwners() {}

  /**
   * The lock each task in {@code UN} state waits for, where its stack shows one. {@code hints}
   * gives, per task address, the function names of its stack: a trace through an rwsem slow path
   * makes the lock an rw_semaphore, anything else is tried as a mutex first.
   */
  public static List<BlockedOnLock> find(
      KernelView k, List<KernelTask> tasks, Map<Long, List<String>> hints)
      throws UnreadableInputException {
    long threadSize = Backtraces.threadSize(k);
    Map<Long, KernelTask> byAddress = new HashMap<>();
    for (KernelTask t : tasks) {
      byAddress.put(t.address(), t);
    }
    BtfStruct mutexWaiter = k.struct("mutex_waiter");
    List<BlockedOnLock> out = new ArrayList<>();
    for (KernelTask t : tasks) {
      if (!t.state().equals("UN") || t.stackBase() == 0) {
        continue;
      }
      boolean rwsem = false;
      for (String fn : hints.getOrDefault(t.address(), List.of())) {
        rwsem |= fn.contains("rwsem");
      }
      BlockedOnLock found = scanStack(k, t, threadSize, tasks, byAddress, mutexWaiter, rwsem);
      if (found != null) {
        out.add(found);
      }
    }
    return out;
  }

  private static @Nullable BlockedOnLock scanStack(
      KernelView k,
      KernelTask t,
      long threadSize,
      List<KernelTask> tasks,
      Map<Long, KernelTask> byAddress,
      BtfStruct mutexWaiter,
      boolean rwsem)
      throws UnreadableInputException {
    long taskOff = mutexWaiter.offset("task");
    byte[] stack = new byte[(int) threadSize];
    try {
      k.memory().read(t.stackBase(), stack, 0, stack.length);
    } catch (UnreadableInputException e) {
      return null;
    }
    for (int off = (int) taskOff; off + 8 <= stack.length; off += 8) {
      if (le64(stack, off) != t.address()) {
        continue;
      }
      long waiter = t.stackBase() + off - taskOff;
      Long head = listHead(k, waiter, tasks, threadSize);
      if (head == null) {
        continue;
      }
      String[] kinds =
          rwsem ? new String[] {"rw_semaphore", "mutex"} : new String[] {"mutex", "rw_semaphore"};
      for (String kind : kinds) {
        BtfStruct lock = k.btf().findStruct(kind);
        if (lock == null || !lock.hasMember("wait_list") || !lock.hasMember("owner")) {
          continue;
        }
        long lockAddr = head - lock.offset("wait_list");
        long ownerWord = k.memory().readU64Le(lockAddr + lock.offset("owner"));
        KernelTask owner = byAddress.get(ownerWord & ~OWNER_FLAGS);
        if (owner != null || ownerWord == 0) {
          boolean readers = kind.equals("rw_semaphore") && (ownerWord & RWSEM_READER_OWNED) != 0;
          return new BlockedOnLock(t, kind, lockAddr, ownerWord, owner, readers);
        }
      }
    }
    return null;
  }

  /** The first node of the waiter's list that lies on no task's stack (the lock's wait_list). */
  private static @Nullable Long listHead(
      KernelView k, long waiter, List<KernelTask> tasks, long threadSize) {
    Set<Long> seen = new HashSet<>();
    long node = waiter;
    try {
      for (int i = 0; i < MAX_WAITERS; i++) {
        long next = k.memory().readU64Le(node);
        long prevOfNext = k.memory().readU64Le(next + 8);
        if (prevOfNext != node || !seen.add(next)) {
          return null;
        }
        if (!onAnyStack(next, tasks, threadSize)) {
          return next;
        }
        node = next;
      }
    } catch (UnreadableInputException e) {
      return null;
    }
    return null;
  }

  private static boolean onAnyStack(long addr, List<KernelTask> tasks, long threadSize) {
    for (KernelTask t : tasks) {
      if (t.stackBase() != 0
          && Long.compareUnsigned(addr, t.stackBase()) >= 0
          && Long.compareUnsigned(addr - t.stackBase(), threadSize) < 0) {
        return true;
      }
    }
    return false;
  }

  private static long le64(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[off + i] & 0xffL);
    }
    return v;
  }
}
