package org.ktriage.ingest.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * Walks every CPU's timer wheel: per-CPU {@code timer_bases[NR_BASES]} (count from the BTF VAR),
 * each base's {@code vectors[]} hlist buckets, each {@code timer_list} linked through {@code
 * entry}. A node that cannot be read is kept as a timer with unknown callback: a freed module's
 * timer points into unmapped memory.
 */
public final class TimerWheel {
  private static final int MAX_PER_BUCKET = 1 << 16;

  /** LVL_BITS and LVL_CLK_SHIFT of kernel/time/timer.c (the wheel of v4.8+). */
  static final int LVL_BITS = 6;

  static final int LVL_CLK_SHIFT = 3;

  private TimerWheel() {}

  /**
   * The expiry a wheel bucket stands for: bucket {@code idx} is level {@code idx / 64}, position
   * {@code idx % 64}; a timer there has {@code ((expires + gran) >> shift) & 63 == position} with
   * {@code shift = 3 * level}, the next such value at or after the base clock.
   */
  static long bucketExpiry(long clk, int idx) {
    int level = idx >>> LVL_BITS;
    int pos = idx & ((1 << LVL_BITS) - 1);
    int shift = level * LVL_CLK_SHIFT;
    long clkLevel = clk >>> shift;
    long e = clkLevel + ((pos - clkLevel) & ((1 << LVL_BITS) - 1));
    return e << shift;
  }

  /** The current jiffies ({@code jiffies_64}), or null when the symbol is missing. */
  public static @Nullable Long jiffies(KernelView k) throws UnreadableInputException {
    Long j = k.findSymbol("jiffies_64");
    if (j == null) {
      j = k.findSymbol("jiffies");
    }
    return j == null ? null : k.readPointer(j);
  }

  /** The {@code work.func} of the delayed_work whose {@code timer} is at {@code timer}, or null. */
  private static @Nullable Long workFunction(KernelView k, BtfStruct delayedWork, long timer) {
    try {
      long dwork = timer - delayedWork.offset("timer");
      return k.readPointer(dwork + delayedWork.offset("work.func"));
    } catch (UnreadableInputException e) {
      return null;
    }
  }

  /**
   * A timer read from a bucket is on that bucket's list: {@code hlist_add_head()} (and {@code
   * hlist_add_behind()}) set {@code entry.pprev} to the address of the pointer that points at the
   * entry, the bucket's {@code first} or the previous entry's {@code next}. A node that says
   * otherwise is not a timer of this wheel (corrupt memory, or a wrong per-CPU offset reading
   * something else as the wheel): following its {@code next} would walk arbitrary memory, up to 65
   * 536 nodes per bucket of 576.
   */
  private static void onTheList(
      @Nullable Long pprev, long linkedFrom, int cpu, int base, int bucket, long timer)
      throws CorruptKernelDataException {
    if (pprev != null && pprev != linkedFrom) {
      throw new CorruptKernelDataException(
          String.format(
              "timer wheel of CPU %d, timer_bases[%d] bucket %d: timer_list at 0x%x has"
                  + " entry.pprev 0x%x, not 0x%x: not on the bucket's list",
              cpu, base, bucket, timer, pprev, linkedFrom));
    }
  }

  /** All pending timers, marking those that belong to no loaded module. */
  public static List<PendingTimer> pending(KernelView k, List<LoadedModule> modules)
      throws UnreadableInputException {
    long bases = k.symbol("timer_bases", "the timer wheel");
    Long declared = k.arrayLength("timer_bases");
    int nrBases = declared == null ? 1 : (int) Math.min(declared, 8);
    BtfStruct base = k.struct("timer_base");
    BtfStruct timer = k.struct("timer_list");
    long vectorsOff = base.offset("vectors");
    long nrVectors = k.arrayCount(base, "vectors", 4096);
    long entryOff = timer.offset("entry");
    long nextInNode = timer.offset("entry.next") - entryOff;
    KernelAddressSpace space = KernelAddressSpace.of(k);
    BtfStruct delayedWork = k.btf().findStruct("delayed_work");
    List<PendingTimer> out = new ArrayList<>();
    for (int cpu = 0; cpu < k.cpuCount(); cpu++) {
      for (int b = 0; b < nrBases; b++) {
        long baseAddr = k.perCpu(bases, cpu) + b * base.size();
        Long clk = base.hasMember("clk") ? k.readPointer(baseAddr + base.offset("clk")) : null;
        // the bucket heads (struct hlist_head vectors[WHEEL_SIZE], one pointer each) in one read
        byte[] bytes = new byte[8 * (int) nrVectors];
        k.memory().read(baseAddr + vectorsOff, bytes, 0, bytes.length);
        ByteBuffer heads = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int v = 0; v < nrVectors; v++) {
          long node = heads.getLong(8 * v);
          if (node == 0) {
            continue; // an empty bucket, most of the 576
          }
          Set<Long> seen = new HashSet<>();
          long linkedFrom = baseAddr + vectorsOff + 8L * v; // &vectors[v].first
          while (node != 0 && seen.add(node) && seen.size() <= MAX_PER_BUCKET) {
            long addr = node - entryOff;
            Long fn = null;
            Long expires = null;
            Long pprev = null;
            long next = 0;
            try {
              KernelObject t = KernelObject.read(k.memory(), timer, addr);
              fn = t.unsigned("function");
              expires = t.unsigned("expires");
              next = t.unsigned("entry.next");
              pprev = t.unsigned("entry.pprev");
            } catch (UnreadableInputException unreadable) {
              // keep the timer: its memory is gone, which is itself the finding
            }
            onTheList(pprev, linkedFrom, cpu, b, v, addr);
            linkedFrom = node + nextInNode;
            KernelSymbol sym = fn == null ? null : k.symbols().symbolize(fn);
            Long work = null;
            if (sym != null && sym.name().equals("delayed_work_timer_fn") && delayedWork != null) {
              work = workFunction(k, delayedWork, addr);
            }
            boolean orphaned =
                space.inFreedModuleArea(addr, modules)
                    || (fn != null && space.inFreedModuleArea(fn, modules))
                    || (work != null && space.inFreedModuleArea(work, modules));
            out.add(
                new PendingTimer(
                    cpu,
                    b,
                    v,
                    addr,
                    fn,
                    expires,
                    sym == null ? null : sym.name(),
                    orphaned,
                    clk == null ? null : bucketExpiry(clk, v),
                    work));
            node = next;
          }
        }
      }
    }
    return out;
  }
}
