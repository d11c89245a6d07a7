package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * Reads every task: processes on {@code init_task.tasks}, their threads ({@code
 * signal->thread_head}/{@code thread_node}, or {@code thread_group} on older kernels), and the idle
 * task of every CPU ({@code runqueues.idle}); the current task of each CPU comes from {@code
 * pcpu_hot.current_task} (v6.2+), {@code current_task} (x86_64 before) or {@code runqueues.curr}.
 * Members are probed: {@code __state} (v5.14+) or {@code state}, {@code cpu} or {@code
 * thread_info.cpu}.
 */
public final class TaskList {
  private TaskList() {}

  /** The tasks sorted by pid (idle tasks by CPU), like {@code crash ps}. */
  public static List<KernelTask> read(KernelView k) throws UnreadableInputException {
    long[] current = currentTasks(k);
    Map<Long, Integer> activeCpu = new HashMap<>();
    for (int cpu = 0; cpu < current.length; cpu++) {
      if (current[cpu] != 0) {
        activeCpu.put(current[cpu], cpu);
      }
    }
    BtfStruct task = k.struct("task_struct");
    long initTask = k.symbol("init_task", "the task list");
    Map<Long, Boolean> addrs = new LinkedHashMap<>();
    addrs.put(initTask, true);
    for (long leader :
        k.listEntries(initTask + task.offset("tasks"), task.offset("tasks"), "tasks")) {
      addrs.put(leader, true);
      for (long thread : threads(k, task, leader)) {
        addrs.put(thread, true);
      }
    }
    for (long idle : idleTasks(k)) {
      addrs.put(idle, true);
    }
    List<KernelTask> out = new ArrayList<>();
    for (long addr : addrs.keySet()) {
      out.add(readTask(k, KernelObject.read(k.memory(), task, addr), activeCpu.containsKey(addr)));
    }
    out.sort(Comparator.comparingInt(KernelTask::pid).thenComparingInt(KernelTask::cpu));
    return out;
  }

  private static List<Long> threads(KernelView k, BtfStruct task, long leader)
      throws UnreadableInputException {
    if (task.hasMember("thread_node")) {
      long signal = k.readPointer(leader + task.offset("signal"));
      if (signal == 0) {
        return List.of();
      }
      long head = signal + k.struct("signal_struct").offset("thread_head");
      return k.listEntries(head, task.offset("thread_node"), "signal.thread_head");
    }
    if (task.hasMember("thread_group")) {
      long off = task.offset("thread_group");
      List<Long> out = new ArrayList<>();
      for (long t : k.listEntries(leader + off, off, "thread_group")) {
        out.add(t);
      }
      return out;
    }
    return List.of();
  }

  /** The idle task of every CPU (from {@code runqueues.idle}); empty when not readable. */
  static List<Long> idleTasks(KernelView k) throws UnreadableInputException {
    Long rq = k.findSymbol("runqueues");
    List<Long> out = new ArrayList<>();
    if (rq == null) {
      return out;
    }
    long idleOff = k.struct("rq").offset("idle");
    for (int cpu = 0; cpu < k.cpuCount(); cpu++) {
      long idle = k.readPointer(k.perCpu(rq, cpu) + idleOff);
      if (idle != 0) {
        out.add(idle);
      }
    }
    return out;
  }

  /** The current task of each CPU (0 when unknown). */
  public static long[] currentTasks(KernelView k) throws UnreadableInputException {
    long[] out = new long[k.cpuCount()];
    @Nullable Long hot = k.findSymbol("pcpu_hot");
    @Nullable Long cur = k.findSymbol("current_task");
    @Nullable Long rq = k.findSymbol("runqueues");
    for (int cpu = 0; cpu < out.length; cpu++) {
      if (hot != null) {
        out[cpu] = k.readPointer(k.perCpu(hot, cpu) + k.struct("pcpu_hot").offset("current_task"));
      } else if (cur != null) {
        out[cpu] = k.readPointer(k.perCpu(cur, cpu));
      } else if (rq != null) {
        out[cpu] = k.readPointer(k.perCpu(rq, cpu) + k.struct("rq").offset("curr"));
      }
    }
    return out;
  }

  /**
   * The stack pointer the scheduler saved when the task last switched out: {@code thread.sp} on x86
   * ({@code __switch_to_asm}), {@code thread.cpu_context.sp} on arm64 ({@code cpu_switch_to} in
   * arch/arm64/kernel/entry.S); 0 when the layout has neither.
   */
  private static long savedSp(KernelObject t, BtfStruct layout) throws UnreadableInputException {
    if (layout.hasMember("thread.sp")) {
      return t.unsigned("thread.sp");
    }
    if (layout.hasMember("thread.cpu_context.sp")) {
      return t.unsigned("thread.cpu_context.sp");
    }
    return 0;
  }

  /** Reads one task. */
  public static KernelTask readTask(KernelView k, KernelObject t, boolean active)
      throws UnreadableInputException {
    BtfStruct layout = t.layout();
    long state = layout.hasMember("__state") ? t.unsigned("__state") : t.unsigned("state");
    long exitState = t.unsigned("exit_state");
    int cpu = (int) (layout.hasMember("cpu") ? t.unsigned("cpu") : t.unsigned("thread_info.cpu"));
    long parent = t.unsigned("real_parent");
    int ppid = 0;
    int pid = (int) t.signed("pid");
    // Idle tasks (pid 0) have no parent in the ps sense, whatever real_parent says.
    if (pid != 0 && parent != 0 && parent != t.address()) {
      ppid = (int) k.memory().readU32Le(parent + layout.offset("pid"));
    }
    return new KernelTask(
        t.address(),
        pid,
        (int) t.signed("tgid"),
        ppid,
        cpu,
        TaskState.code(state, exitState),
        state,
        t.string("comm"),
        t.unsigned("mm") == 0,
        t.unsigned("stack"),
        savedSp(t, layout),
        active);
  }
}
