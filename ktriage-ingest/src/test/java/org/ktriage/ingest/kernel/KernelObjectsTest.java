package org.ktriage.ingest.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.btf.Btf;
import org.ktriage.ingest.btf.BtfFixtures;

/**
 * Modules, tasks and timers of a made-up kernel laid out with the real 6.18 BTF (module memory in
 * {@code mem[MOD_*]}, {@code __state}, {@code current_task} without {@code pcpu_hot}); the 6.1 lab
 * dumps cover the older layouts.
 */
class KernelObjectsTest {
  static final long MODULES_HEAD = 0xffffffff82000000L;
  static final long INIT_TASK = 0xffffffff82100000L;
  static final long PER_CPU_OFFSETS = 0xffffffff82200000L;
  static final long NR_CPU_IDS = 0xffffffff82200100L;
  static final long END = 0xffffffff83000000L;
  static final long PROCESS_TIMEOUT = 0xffffffff81100000L;
  static final long CPU0_AREA = 0xffff888000100000L;
  static final long CPU1_AREA = 0xffff888000200000L;
  static final long CURRENT_TASK = 86040;
  static final long RUNQUEUES = 178752;
  static final long TIMER_BASES = 100864;
  static final long MODULE = 0xffffffffc0001000L;
  static final long MODULE_TEXT = 0xffffffffc0000000L;
  static final long MODULE_DATA = 0xffffffffc0002000L;
  static final long TASK_A = 0xffff888000300000L;
  static final long IDLE1 = 0xffff888000310000L;

  private static Btf btf;
  private FakeKernel fake;

  @BeforeAll
  static void loadBtf() throws Exception {
    if (btf != null) {
      return;
    }
    btf = Btf.parse(BtfFixtures.vmlinux618(), "vmlinux-6.18.btf");
  }

  @BeforeEach
  void build() throws Exception {
    fake = new FakeKernel(btf);
    fake.symbol("modules", MODULES_HEAD, 16, 'd');
    fake.symbol("init_task", INIT_TASK, 0x4000, 'D');
    fake.symbol("__per_cpu_offset", PER_CPU_OFFSETS, 64, 'D');
    fake.symbol("nr_cpu_ids", NR_CPU_IDS, 4, 'D');
    fake.symbol("_end", END, 0, 'B');
    fake.symbol("process_timeout", PROCESS_TIMEOUT, 0x40, 'T');
    fake.symbol("current_task", CURRENT_TASK, 8, 'D');
    fake.symbol("runqueues", RUNQUEUES, 3584, 'd');
    fake.symbol("timer_bases", TIMER_BASES, 14208, 'd');
    for (long a : new long[] {MODULES_HEAD, INIT_TASK, PER_CPU_OFFSETS}) {
      fake.map(a, 0x8000);
    }
    fake.map(CPU0_AREA, 0x40000);
    fake.map(CPU1_AREA, 0x40000);
    fake.writeU64(PER_CPU_OFFSETS, CPU0_AREA);
    fake.writeU64(PER_CPU_OFFSETS + 8, CPU1_AREA);
    fake.writeU32(NR_CPU_IDS, 2);
    fake.map(MODULE_TEXT, 0x3000);
    fake.map(TASK_A, 0x4000);
    fake.map(IDLE1, 0x4000);

    long listOff = btf.struct("module").offset("list");
    fake.list(MODULES_HEAD, MODULE + listOff);
    fake.setString("module", MODULE, "name", "demo");
    fake.set("module", MODULE, "state", 0);
    fake.set("module", MODULE, "mem[0].base", MODULE_TEXT);
    fake.set("module", MODULE, "mem[0].size", 0x1000);
    fake.set("module", MODULE, "mem[1].base", MODULE_DATA);
    fake.set("module", MODULE, "mem[1].size", 0x1000);

    long tasksOff = btf.struct("task_struct").offset("tasks");
    fake.list(INIT_TASK + tasksOff, TASK_A + tasksOff);
    task(INIT_TASK, 0, "swapper/0", 0, 0, INIT_TASK);
    task(TASK_A, 1, "init", 0x1, 0, INIT_TASK);
    fake.set("task_struct", TASK_A, "mm", 0xffff888000400000L);
    task(IDLE1, 0, "swapper/1", 0, 1, INIT_TASK);
    fake.writeU64(CPU0_AREA + CURRENT_TASK, TASK_A);
    fake.writeU64(CPU1_AREA + CURRENT_TASK, IDLE1);
    long idleOff = btf.struct("rq").offset("idle");
    fake.writeU64(CPU0_AREA + RUNQUEUES + idleOff, INIT_TASK);
    fake.writeU64(CPU1_AREA + RUNQUEUES + idleOff, IDLE1);
  }

  private void task(long addr, int pid, String comm, long state, int cpu, long parent)
      throws Exception {
    fake.set("task_struct", addr, "pid", pid);
    fake.set("task_struct", addr, "tgid", pid);
    fake.setString("task_struct", addr, "comm", comm);
    fake.set("task_struct", addr, "__state", state);
    // 6.18 keeps the CPU in thread_info (moved back from task_struct in v5.16).
    fake.set(
        "task_struct",
        addr,
        btf.struct("task_struct").hasMember("cpu") ? "cpu" : "thread_info.cpu",
        cpu);
    fake.set("task_struct", addr, "real_parent", parent);
    fake.set("task_struct", addr, "stack", addr + 0x100000);
  }

  FakeKernel fake() {
    return fake;
  }

  private KernelView kernel() throws Exception {
    return KernelView.open(fake, fake, btf);
  }

  @Test
  void modulesUseTheMemArrayOnNewKernels() throws Exception {
    List<LoadedModule> mods = ModuleList.read(kernel());
    assertThat(mods).hasSize(1);
    LoadedModule m = mods.get(0);
    assertThat(m.name()).isEqualTo("demo");
    assertThat(m.state()).isEqualTo("MODULE_STATE_LIVE");
    assertThat(m.base()).isEqualTo(MODULE_TEXT);
    assertThat(m.size()).isEqualTo(0x2000);
    assertThat(m.regions()).hasSize(7);
    assertThat(m.regions().get(1).kind()).isEqualTo("MOD_DATA");
    assertThat(m.regions().get(4).init()).isTrue();
    assertThat(m.covers(MODULE_DATA + 0x10)).isTrue();
    assertThat(m.covers(MODULE_DATA + 0x1000)).isFalse();
  }

  @Test
  void tasksIncludeEveryCpusIdleTaskAndMarkCurrentOnes() throws Exception {
    List<KernelTask> tasks = TaskList.read(kernel());
    assertThat(tasks)
        .extracting(KernelTask::comm)
        .containsExactly("swapper/0", "swapper/1", "init");
    KernelTask init = tasks.get(2);
    assertThat(init.state()).isEqualTo("IN");
    assertThat(init.kernelThread()).isFalse();
    assertThat(init.active()).isTrue();
    assertThat(tasks.get(0).active()).isFalse();
    assertThat(tasks.get(1).active()).isTrue();
    assertThat(tasks.get(1).cpu()).isEqualTo(1);
  }

  @Test
  void timersInFreedModuleMemoryAreOrphans() throws Exception {
    KernelView k = kernel();
    long vectors = btf.struct("timer_base").offset("vectors");
    long entry = btf.struct("timer_list").offset("entry");
    long bucket5 = CPU0_AREA + TIMER_BASES + vectors + 5 * 8;
    long bucket7 = CPU1_AREA + TIMER_BASES + vectors + 7 * 8;
    long freedTimer = 0xffffffffc0010000L; // module area, unmapped, no module covers it
    long kernelTimer = CPU0_AREA + 0x30000;
    long liveModuleTimer = MODULE_DATA + 0x100;
    fake.writeU64(bucket5, kernelTimer + entry);
    fake.set("timer_list", kernelTimer, "entry.next", freedTimer + entry);
    fake.set("timer_list", kernelTimer, "function", PROCESS_TIMEOUT);
    fake.set("timer_list", kernelTimer, "expires", 4294893373L);
    // hlist_add_head(): entry.pprev points back at the bucket's first pointer
    fake.set("timer_list", kernelTimer, "entry.pprev", bucket5);
    fake.writeU64(bucket7, liveModuleTimer + entry);
    fake.set("timer_list", liveModuleTimer, "entry.pprev", bucket7);
    fake.set("timer_list", liveModuleTimer, "function", 0xffffffffc0020010L);
    List<PendingTimer> timers = TimerWheel.pending(k, ModuleList.read(k));
    assertThat(timers).hasSize(3);
    PendingTimer first = timers.get(0);
    assertThat(first.functionSymbol()).isEqualTo("process_timeout");
    assertThat(first.expires()).isEqualTo(4294893373L);
    assertThat(first.orphaned()).isFalse();
    PendingTimer freed = timers.get(1);
    assertThat(freed.address()).isEqualTo(freedTimer);
    assertThat(freed.function()).isNull();
    assertThat(freed.orphaned()).isTrue();
    PendingTimer stale = timers.get(2);
    assertThat(stale.cpu()).isEqualTo(1);
    assertThat(stale.bucket()).isEqualTo(7);
    assertThat(stale.orphaned()).as("callback in freed module memory").isTrue();
    assertThat(CrashViews.timers(timers).get(2)).contains("(unreadable)").contains("ORPHANED");
  }

  @Test
  void delayedWorkAndHrtimersOfAFreedModuleAreOrphans() throws Exception {
    fake.symbol("delayed_work_timer_fn", 0xffffffff81200000L, 0x40, 'T');
    fake.symbol("hrtimer_bases", 115072, 640, 'd');
    long vectors = btf.struct("timer_base").offset("vectors");
    long entry = btf.struct("timer_list").offset("entry");
    long dwork = CPU0_AREA + 0x31000;
    long timer = dwork + btf.struct("delayed_work").offset("timer");
    long bucket9 = CPU0_AREA + TIMER_BASES + vectors + 9 * 8;
    fake.writeU64(bucket9, timer + entry);
    fake.set("timer_list", timer, "entry.pprev", bucket9);
    fake.set("timer_list", timer, "function", 0xffffffff81200000L);
    fake.set("delayed_work", dwork, "work.func", 0xffffffffc0030040L);
    long clockBase = btf.struct("hrtimer_cpu_base").offset("clock_base");
    long root = btf.struct("hrtimer_clock_base").offset("active.rb_root.rb_root.rb_node");
    long hr = 0xffffffffc0040000L; // freed module memory: unmapped
    fake.writeU64(CPU1_AREA + 115072 + clockBase + root, hr);
    KernelView k = kernel();
    List<LoadedModule> mods = ModuleList.read(k);
    List<PendingTimer> timers = TimerWheel.pending(k, mods);
    assertThat(timers)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.workFunction()).isEqualTo(0xffffffffc0030040L);
              assertThat(t.orphaned()).isTrue();
            });
    List<PendingHrtimer> hrs = HrtimerQueue.pending(k, mods);
    assertThat(hrs)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.cpu()).isEqualTo(1);
              assertThat(t.address()).isEqualTo(hr);
              assertThat(t.function()).isNull();
              assertThat(t.orphaned()).isTrue();
            });
  }

  @Test
  void mutexOwnerOfAnUninterruptibleTaskIsReadFromTheLock() throws Exception {
    long taskB = 0xffff888000320000L;
    long stackB = taskB + 0x100000;
    long mutex = MODULES_HEAD + 0x1000;
    fake.map(taskB, 0x4000);
    fake.map(stackB, 0x4000);
    task(taskB, 42, "hung", 0x2, 0, TASK_A);
    long tasksOff = btf.struct("task_struct").offset("tasks");
    fake.list(INIT_TASK + tasksOff, TASK_A + tasksOff, taskB + tasksOff);
    long waiter = stackB + 0x3e00;
    long waitList = mutex + btf.struct("mutex").offset("wait_list");
    fake.list(waitList, waiter + btf.struct("mutex_waiter").offset("list"));
    fake.writeU64(waiter + btf.struct("mutex_waiter").offset("task"), taskB);
    fake.writeU64(mutex + btf.struct("mutex").offset("owner"), TASK_A | 0x1);
    // A stray copy of the task pointer elsewhere on the stack is not a waiter.
    fake.writeU64(stackB + 0x100, taskB);
    KernelView k = kernel();
    List<BlockedOnLock> locks = LockOwners.find(k, TaskList.read(k), java.util.Map.of());
    assertThat(locks).hasSize(1);
    BlockedOnLock lock = locks.get(0);
    assertThat(lock.waiter().pid()).isEqualTo(42);
    assertThat(lock.kind()).isEqualTo("mutex");
    assertThat(lock.lockAddress()).isEqualTo(mutex);
    assertThat(lock.owner()).isNotNull();
    assertThat(java.util.Objects.requireNonNull(lock.owner()).comm()).isEqualTo("init");
  }

  @Test
  void aLoopingModuleListIsReportedNotFollowedForever() throws Exception {
    long listOff = btf.struct("module").offset("list");
    fake.writeU64(MODULE + listOff, MODULE + listOff);
    assertThatThrownBy(() -> ModuleList.read(kernel()))
        .isInstanceOf(CorruptKernelDataException.class)
        .hasMessageContaining("list modules at 0xffffffff82000000");
  }

  @Test
  void unmappedListNodeIsAOneLineError() throws Exception {
    fake.writeU64(MODULES_HEAD, 0xffffffffc0100000L);
    assertThatThrownBy(() -> ModuleList.read(kernel()))
        .hasMessageContaining("0xffffffffc01")
        .hasMessageNotContaining("\n");
  }

  @Test
  void missingBtfIsNamed() {
    assertThatThrownBy(() -> KernelBtf.read(fake, fake))
        .isInstanceOf(MissingKernelSymbolException.class)
        .hasMessageContaining("__start_BTF");
  }
}
