package org.ktriage.ingest.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * Walks every CPU's high-resolution timers: per-CPU {@code hrtimer_bases}, each {@code
 * clock_base[i].active} timerqueue (an rbtree of {@code timerqueue_node}s embedded at the start of
 * each {@code hrtimer}). A node that cannot be read ends its subtree but is itself reported.
 */
public final class HrtimerQueue {
  private static final int MAX_NODES = 1 << 16;

  private HrtimerQueue() {}

  /** All queued hrtimers, marking those that belong to no loaded module. */
  public static List<PendingHrtimer> pending(KernelView k, List<LoadedModule> modules)
      throws UnreadableInputException {
    long bases = k.symbol("hrtimer_bases", "the hrtimer queues");
    BtfStruct cpuBase = k.struct("hrtimer_cpu_base");
    BtfStruct clockBase = k.struct("hrtimer_clock_base");
    BtfStruct hrtimer = k.struct("hrtimer");
    long nrClockBases = k.arrayCount(cpuBase, "clock_base", 64);
    long activeOff = clockBase.offset("active.rb_root.rb_root.rb_node");
    long nodeOff = hrtimer.offset("node.node");
    KernelAddressSpace space = KernelAddressSpace.of(k);
    List<PendingHrtimer> out = new ArrayList<>();
    for (int cpu = 0; cpu < k.cpuCount(); cpu++) {
      long base = k.perCpu(bases, cpu) + cpuBase.offset("clock_base");
      for (int i = 0; i < nrClockBases; i++) {
        long root = k.readPointer(base + i * clockBase.size() + activeOff);
        Deque<Long> todo = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        if (root != 0) {
          todo.push(root);
        }
        while (!todo.isEmpty() && seen.size() < MAX_NODES) {
          long node = todo.pop();
          if (!seen.add(node)) {
            continue;
          }
          long addr = node - nodeOff;
          Long fn = null;
          Long expires = null;
          try {
            KernelObject t = KernelObject.read(k.memory(), hrtimer, addr);
            fn = t.unsigned("function");
            expires = t.unsigned("node.expires");
            long right = t.unsigned("node.node.rb_right");
            long left = t.unsigned("node.node.rb_left");
            if (right != 0) {
              todo.push(right);
            }
            if (left != 0) {
              todo.push(left);
            }
          } catch (UnreadableInputException unreadable) {
            // reported below without callback: its memory is gone
          }
          KernelSymbol sym = fn == null ? null : k.symbols().symbolize(fn);
          boolean orphaned =
              space.inFreedModuleArea(addr, modules)
                  || (fn != null && space.inFreedModuleArea(fn, modules));
          out.add(
              new PendingHrtimer(
                  cpu, i, addr, fn, sym == null ? null : sym.name(), expires, orphaned));
        }
      }
    }
    return out;
  }
}
