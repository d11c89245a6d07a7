package org.ktriage.ingest.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.dump.DumpContents;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.dump.VmcoreReader;
import org.ktriage.model.CpuState;

/**
 * The kernel objects of the real lab dumps against {@code crash} with the debug vmlinux on the same
 * crash. The fixtures are the runs in {@code lab/out/timer-after-unload} (QEMU dump) and {@code
 * lab/out/timer-after-unload-kdump} (kdump capture): their logs name the same timer addresses.
 */
class LabDumpKernelTest {
  record Lab(String dump, String out, String log) {}

  static final Lab QEMU =
      new Lab(
          "lab/fixtures/timer-after-unload-qemu.vmcore",
          "lab/out/timer-after-unload/",
          "lab/fixtures/timer-after-unload-qemu.crash-log.txt");
  static final Lab KDUMP =
      new Lab(
          "lab/fixtures/timer-after-unload-kdump.vmcore",
          "lab/out/timer-after-unload-kdump/",
          "lab/fixtures/timer-after-unload-kdump.dmesg.txt");

  record Opened(Vmcore vmcore, KernelView kernel, DumpContents contents) {}

  private static final Map<Lab, Opened> OPENED = new LinkedHashMap<>();

  @BeforeAll
  static void open() throws Exception {
    for (Lab lab : List.of(QEMU, KDUMP)) {
      Vmcore v = Vmcore.open(LabDumps.shared(lab.dump()));
      OPENED.put(lab, new Opened(v, DumpKernel.open(v), VmcoreReader.lenient().read(v)));
    }
  }

  private static Opened opened(Lab lab) {
    Opened o = OPENED.get(lab);
    if (o == null) {
      throw new IllegalStateException("not opened: " + lab);
    }
    return o;
  }

  private static <T> T at(Map<Integer, T> map, int cpu) {
    T v = map.get(cpu);
    if (v == null) {
      throw new AssertionError("no CPU " + cpu + " in " + map.keySet());
    }
    return v;
  }

  @AfterAll
  static void close() throws Exception {
    for (Opened o : OPENED.values()) {
      o.vmcore().close();
    }
  }

  @Test
  void btfComesFromTheDumpItself() {
    for (Opened o : OPENED.values()) {
      assertThat(o.kernel().btf().source()).startsWith("kernel BTF at 0xffffffff");
      assertThat(o.kernel().btf().lastId()).isEqualTo(100750);
      assertThat(o.kernel().cpuCount()).isEqualTo(2);
    }
  }

  @Test
  void moduleListEqualsCrashMod() throws Exception {
    for (Lab lab : List.of(QEMU, KDUMP)) {
      List<String> mine = CrashViews.mod(ModuleList.read(opened(lab).kernel()));
      assertThat(mine).as(lab.dump()).isEqualTo(LabDumps.lines(lab.out() + "crash-trixie-mod.txt"));
    }
  }

  @Test
  void taskListEqualsCrashPs() throws Exception {
    Pattern row =
        Pattern.compile(
            "^([> ])\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+([0-9a-f]+)\\s+(\\S\\S)\\s.*\\s(\\S+)$");
    for (Lab lab : List.of(QEMU, KDUMP)) {
      List<String> expected = new ArrayList<>();
      for (String line : LabDumps.lines(lab.out() + "crash-trixie-ps.txt")) {
        Matcher m = row.matcher(line);
        if (m.matches()) {
          expected.add(
              String.join(
                  " ",
                  m.group(1),
                  m.group(2),
                  m.group(3),
                  m.group(4),
                  m.group(5),
                  m.group(6),
                  m.group(7)));
        }
      }
      List<String> actual = new ArrayList<>();
      for (KernelTask t : TaskList.read(opened(lab).kernel())) {
        actual.add(
            String.join(
                " ",
                t.active() ? ">" : " ",
                Integer.toString(t.pid()),
                Integer.toString(t.ppid()),
                Integer.toString(t.cpu()),
                Long.toHexString(t.address()),
                t.state(),
                t.kernelThread() ? "[" + t.comm() + "]" : t.comm()));
      }
      assertThat(expected).as("crash ps rows parsed").hasSizeGreaterThan(50);
      assertThat(actual).as(lab.dump()).isEqualTo(expected);
    }
  }

  @Test
  void kdumpBacktracesMatchCrashFunctionByFunction() throws Exception {
    Map<Integer, List<String>> crash = crashBtFunctions(KDUMP);
    Map<Integer, List<String>> mine = myBtFunctions(KDUMP);
    assertThat(crash).hasSize(2);
    assertThat(mine).isEqualTo(crash);
  }

  @Test
  void qemuBacktracesMatchCrashExceptWhereCrashGuesses() throws Exception {
    Map<Integer, List<String>> crash = crashBtFunctions(QEMU);
    Map<Integer, List<String>> mine = myBtFunctions(QEMU);
    // QEMU notes hold the live registers: the trace starts at the live RIP (delay_tsc in panic's
    // wait loop), a frame crash leaves out as it starts the panic task at panic().
    assertThat(at(mine, 0).get(0)).isEqualTo("delay_tsc");
    assertThat(at(mine, 0).subList(1, at(mine, 0).size())).isEqualTo(at(crash, 0));
    // crash's CPU 1 trace shows update_wall_time between stop_this_cpu and __sysvec_reboot: a stale
    // word its stack heuristic picked up; ORC shows __sysvec_reboot calling stop_this_cpu.
    List<String> crash1 = new ArrayList<>(at(crash, 1));
    assertThat(crash1.remove("update_wall_time")).isTrue();
    assertThat(at(mine, 1)).isEqualTo(crash1);
  }

  @Test
  void orphanedModuleTimerIsFoundOnTheWheel() throws Exception {
    Pattern armed = Pattern.compile("armed timer ([0-9a-f]{16})");
    for (Lab lab : List.of(QEMU, KDUMP)) {
      long timerAddr = 0;
      for (String line : LabDumps.lines(lab.log())) {
        Matcher m = armed.matcher(line);
        if (m.find()) {
          timerAddr = Long.parseUnsignedLong(m.group(1), 16);
        }
      }
      assertThat(timerAddr).as("armed timer line in %s", lab.log()).isNotZero();
      KernelView k = opened(lab).kernel();
      List<PendingTimer> timers = TimerWheel.pending(k, ModuleList.read(k));
      assertThat(timers).hasSizeGreaterThan(10);
      List<PendingTimer> orphans = timers.stream().filter(PendingTimer::orphaned).toList();
      assertThat(orphans).as(lab.dump()).hasSize(1);
      assertThat(orphans.get(0).address()).isEqualTo(timerAddr);
      // The module's pages are unmapped: the timer itself cannot be read.
      assertThat(orphans.get(0).function()).isNull();
      // Its wheel bucket still dates it: it was due (the crash happened while it was expiring).
      long jiffies = java.util.Objects.requireNonNull(TimerWheel.jiffies(k));
      long due = java.util.Objects.requireNonNull(orphans.get(0).bucketExpiry());
      assertThat(jiffies - due).as("jiffies past the bucket's expiry").isBetween(0L, 8L);
      for (PendingTimer t : timers) {
        if (t.expires() != null && t.bucketExpiry() != null) {
          long gran = 1L << (TimerWheel.LVL_CLK_SHIFT * (t.bucket() >>> TimerWheel.LVL_BITS));
          assertThat(t.bucketExpiry() - t.expires())
              .as("bucket of %x", t.address())
              .isBetween(0L, gran);
        }
      }
      for (PendingTimer t : timers) {
        if (!t.orphaned()) {
          assertThat(t.functionSymbol()).as("callback of %x", t.address()).isNotNull();
        }
      }
    }
  }

  /**
   * The wheel's bucket heads (kernel/time/timer.c {@code struct timer_base.vectors[WHEEL_SIZE]},
   * 576 {@code hlist_head}s per base) are read as the one array they are, one read per base, then
   * one read per pending timer (its {@code timer_list}, and its {@code delayed_work}'s function): a
   * read per empty bucket made the wheel the most expensive walk of the kernel objects.
   */
  @Test
  void theWheelIsReadOneBaseAtATime() throws Exception {
    for (Lab lab : List.of(QEMU, KDUMP)) {
      KernelView real = opened(lab).kernel();
      List<LoadedModule> mods = ModuleList.read(real);
      int[] reads = new int[1];
      VirtualMemory inner = real.memory();
      KernelView k =
          real.withMemory(
              (long virtAddr, byte[] dst, int off, int len) -> {
                reads[0]++;
                inner.read(virtAddr, dst, off, len);
              });
      reads[0] = 0;
      List<PendingTimer> timers = TimerWheel.pending(k, mods);
      Long declared = k.arrayLength("timer_bases");
      int bases = k.cpuCount() * (declared == null ? 1 : declared.intValue());
      assertThat(timers).as(lab.dump()).hasSizeGreaterThan(10);
      assertThat(reads[0])
          .as("memory reads to walk %s's %d timers on %d bases", lab.dump(), timers.size(), bases)
          .isLessThanOrEqualTo(2 * bases + 2 * timers.size() + 8);
      assertThat(timers).as(lab.dump()).isEqualTo(TimerWheel.pending(real, mods));
    }
  }

  /**
   * The wheel read through a wrong per-CPU offset (CPU 0's {@code __per_cpu_offset} with its low
   * three bytes changed: the KernelObjectsFuzzer finding {@code timeout-7ca493ef}, an input that
   * ran over 25 s): its "buckets" point into memory that is no timer list, and each was followed
   * for up to 65 536 nodes. The first node whose {@code entry.pprev} does not point back at the
   * bucket (or at the node before it) ends the walk with one line.
   */
  @Test
  void aWheelReadFromElsewhereEndsAtItsFirstStrayNode() throws Exception {
    KernelView real = opened(KDUMP).kernel();
    List<LoadedModule> mods = ModuleList.read(real);
    long offsets = real.symbol("__per_cpu_offset", "the test");
    byte[] patch = {(byte) 0xc0, 0x29, (byte) 0xa0};
    VirtualMemory inner = real.memory();
    KernelView k =
        real.withMemory(
            (long virtAddr, byte[] dst, int off, int len) -> {
              inner.read(virtAddr, dst, off, len);
              for (int j = 0; j < patch.length; j++) {
                if (Long.compareUnsigned(offsets + j - virtAddr, len) < 0) {
                  dst[off + (int) (offsets + j - virtAddr)] = patch[j];
                }
              }
            });
    long start = System.nanoTime();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TimerWheel.pending(k, mods))
        .isInstanceOf(CorruptKernelDataException.class)
        .hasMessageContaining("not on the bucket's list")
        .hasMessageNotContaining("\n");
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(5_000);
  }

  /**
   * A view over other memory keeps the kernel's struct layouts (the member paths each has looked
   * up): a fuzz input or a patched view costs no new BTF lookups; its per-CPU offsets are read from
   * the new memory.
   */
  @Test
  void aViewOverOtherMemoryKeepsTheLayoutsLookedUp() throws Exception {
    KernelView k = opened(KDUMP).kernel();
    KernelView other = k.withMemory(k.memory());
    assertThat(other.struct("task_struct")).isSameAs(k.struct("task_struct"));
    assertThat(other.cpuCount()).isEqualTo(k.cpuCount());
    assertThat(other.perCpu(0, k.cpuCount() - 1)).isEqualTo(k.perCpu(0, k.cpuCount() - 1));
    assertThat(TaskList.read(other)).isEqualTo(TaskList.read(k));
  }

  /**
   * The ORC tables are read in place (arch/x86/kernel/unwind_orc.c {@code __orc_find()} is a binary
   * search over them): opening them reads their ends, where it used to copy both whole tables (4
   * bytes of orc_unwind_ip and 6 of orc_unwind per entry, decoded into 8-byte addresses) for every
   * dump, and every fuzz input. The unwinds below check what the lookups find.
   */
  @Test
  void orcTablesAreReadInPlace() throws Exception {
    for (Lab lab : List.of(QEMU, KDUMP)) {
      KernelView k = opened(lab).kernel();
      OrcTable.read(k); // loads the classes
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      long allocated = threads.getCurrentThreadAllocatedBytes();
      OrcTable t = OrcTable.read(k);
      allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
      assertThat(t.size()).as(lab.dump()).isGreaterThan(10_000);
      assertThat(allocated)
          .as("bytes allocated to open %s's table", lab.dump())
          .isLessThan(t.size());
    }
  }

  @Test
  void everySleepingTaskUnwindsToItsEntryPoint() throws Exception {
    for (Lab lab : List.of(QEMU, KDUMP)) {
      KernelView k = opened(lab).kernel();
      OrcUnwinder unwinder = new OrcUnwinder(k, OrcTable.read(k));
      int sleeping = 0;
      for (KernelTask t : TaskList.read(k)) {
        if (t.active()) {
          continue;
        }
        sleeping++;
        Backtraces.CpuBacktrace bt = Backtraces.forSleepingTask(k, unwinder, t);
        List<String> fns = new ArrayList<>();
        for (UnwoundFrame f : bt.frames()) {
          fns.add(String.valueOf(f.function()));
        }
        String what = lab.dump() + " pid " + t.pid() + " " + fns;
        assertThat(bt.stop()).as(what).isEqualTo(OrcUnwinder.Stop.END_OF_STACK);
        assertThat(fns.get(0)).as(what).isEqualTo("__schedule");
        String last = fns.get(fns.size() - 1);
        if (t.kernelThread()) {
          assertThat(last).as(what).startsWith("ret_from_fork");
        } else {
          // A user process: the unwind ends at the syscall entry's user-mode pt_regs.
          assertThat(bt.frames().get(bt.frames().size() - 1).isException()).as(what).isTrue();
        }
      }
      assertThat(sleeping).isGreaterThan(50);
      // Nobody is in D state in these dumps: no lock waiter may be invented.
      assertThat(LockOwners.find(k, TaskList.read(k), Map.of())).isEmpty();
    }
  }

  @Test
  void hrtimersAndDelayedWorkOfLiveCodeAreNotOrphans() throws Exception {
    for (Lab lab : List.of(QEMU, KDUMP)) {
      KernelView k = opened(lab).kernel();
      List<LoadedModule> mods = ModuleList.read(k);
      List<PendingHrtimer> hr = HrtimerQueue.pending(k, mods);
      assertThat(hr).as(lab.dump()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(hr).allSatisfy(t -> assertThat(t.functionSymbol()).isNotNull());
      assertThat(hr).noneMatch(PendingHrtimer::orphaned);
      // Every CPU runs its scheduler tick from an hrtimer.
      assertThat(hr.stream().map(PendingHrtimer::cpu).distinct().count()).isEqualTo(2);
      int delayed = 0;
      for (PendingTimer t : TimerWheel.pending(k, mods)) {
        if ("delayed_work_timer_fn".equals(t.functionSymbol())) {
          delayed++;
          Long work = t.workFunction();
          assertThat(work).as("work of %x", t.address()).isNotNull();
          assertThat(k.symbols().symbolize(java.util.Objects.requireNonNull(work))).isNotNull();
        }
      }
      assertThat(delayed).isGreaterThan(5);
    }
  }

  private static Map<Integer, List<String>> myBtFunctions(Lab lab) throws Exception {
    Opened o = opened(lab);
    KernelView k = o.kernel();
    OrcUnwinder unwinder = new OrcUnwinder(k, OrcTable.read(k));
    List<KernelTask> tasks = TaskList.read(k);
    long[] current = TaskList.currentTasks(k);
    Map<Integer, List<String>> out = new LinkedHashMap<>();
    for (CpuState cpu : o.contents().cpus()) {
      KernelTask task = null;
      for (KernelTask t : tasks) {
        if (t.address() == current[cpu.cpu()]) {
          task = t;
        }
      }
      Backtraces.CpuBacktrace bt = Backtraces.forCpu(k, unwinder, cpu.cpu(), cpu.registers(), task);
      List<String> fns = new ArrayList<>();
      for (UnwoundFrame f : bt.frames()) {
        fns.add(String.valueOf(f.function()));
      }
      assertThat(bt.stop()).isEqualTo(OrcUnwinder.Stop.END_OF_STACK);
      out.put(cpu.cpu(), fns);
    }
    return out;
  }

  /** Functions of each CPU's crash bt -a block, exception RIPs included, in order. */
  static Map<Integer, List<String>> crashBtFunctions(Lab lab) throws Exception {
    Pattern header = Pattern.compile("^PID: .*CPU: (\\d+)");
    Pattern frame = Pattern.compile("^\\s*#\\d+ \\[[0-9a-f]+\\] (\\S+) at ");
    Pattern exception = Pattern.compile("\\[exception RIP: ([^+\\]]+)");
    Map<Integer, List<String>> out = new LinkedHashMap<>();
    List<String> current = null;
    String lastException = null;
    for (String line : LabDumps.lines(lab.out() + "crash-trixie-bt-a.txt")) {
      Matcher h = header.matcher(line);
      Matcher f = frame.matcher(line);
      Matcher e = exception.matcher(line);
      if (h.find()) {
        current = new ArrayList<>();
        out.put(Integer.parseInt(h.group(1)), current);
        lastException = null;
      } else if (current != null && e.find()) {
        current.add(e.group(1));
        lastException = e.group(1);
      } else if (current != null && f.find()) {
        // After an exception stack crash repeats the interrupted function as a frame.
        if (!f.group(1).equals(lastException)) {
          current.add(f.group(1));
        }
        lastException = null;
      }
    }
    return out;
  }
}
