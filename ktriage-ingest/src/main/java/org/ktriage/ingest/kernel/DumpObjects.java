package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;
import org.ktriage.model.AddressFact;
import org.ktriage.model.CpuState;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LockWait;
import org.ktriage.model.PendingCallback;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;

/**
 * What the kernel-object layer adds to a dump's report when its BTF and kallsyms are present: CPU
 * stacks unwound with ORC, the loaded modules with their address ranges, the callbacks still queued
 * that point into module-area memory no loaded module covers, and the owners of the locks
 * uninterruptible tasks wait for. Every part is read on its own; a part that cannot be read is left
 * out and named in {@link Result#notes()}.
 */
public final class DumpObjects {
  private DumpObjects() {}

  /**
   * The kernel objects of a dump.
   *
   * @param cpus CPU states with ORC stacks (each CPU whose unwind failed keeps its scanned stack)
   * @param modules loaded modules with core base and size, or empty when not read
   * @param modulesRead true when the module list was read (an empty list is then a fact)
   * @param pending queued callbacks in module-area memory no loaded module covers
   * @param lockWaits locks that uninterruptible tasks wait for, with their owners
   * @param notes what could not be read, as sentences
   * @param addressFacts what the addresses asked about are in memory ({@link KernelAddresses})
   */
  public record Result(
      List<CpuState> cpus,
      List<KernelModule> modules,
      boolean modulesRead,
      List<PendingCallback> pending,
      List<LockWait> lockWaits,
      List<String> notes,
      List<AddressFact> addressFacts) {
    public Result {
      addressFacts = List.copyOf(addressFacts);
      cpus = List.copyOf(cpus);
      modules = List.copyOf(modules);
      pending = List.copyOf(pending);
      lockWaits = List.copyOf(lockWaits);
      notes = List.copyOf(notes);
    }
  }

  /** Reads what it can; {@code scanned} are the CPU states of the notes with scanned stacks. */
  public static Result read(Vmcore vmcore, List<CpuState> scanned) {
    return read(vmcore, scanned, List.of());
  }

  /**
   * Reads what it can, and says what each of {@code addresses} is in memory (kernel-half addresses
   * only; at most {@value #MAX_ADDRESS_FACTS}).
   */
  public static Result read(Vmcore vmcore, List<CpuState> scanned, List<Long> addresses) {
    List<String> notes = new ArrayList<>();
    KernelView k;
    try {
      k = DumpKernel.open(vmcore);
    } catch (UnreadableInputException | RuntimeException e) {
      notes.add(
          "kernel objects not read ("
              + message(e)
              + "): CPU stacks are stack scans (unreliable frames); no module ranges, pending"
              + " timers or lock owners from memory");
      return new Result(scanned, List.of(), false, List.of(), List.of(), notes, List.of());
    }
    return read(k, vmcore.path(), scanned, notes, addresses, vmcore.vmcoreinfo());
  }

  /**
   * The stacks the dump reader found without ORC (arm64 frame records, stack scans), their frames
   * in module text named {@code func+off [mod]} from the modules' own symbol tables ({@link
   * ModuleSymbols}; the dump reader knows only the core kernel's kallsyms and leaves them as
   * addresses).
   */
  static List<CpuState> withModuleFrames(KernelView k, List<CpuState> scanned) {
    List<CpuState> out = new ArrayList<>(scanned.size());
    for (CpuState c : scanned) {
      List<StackSegment> segs = new ArrayList<>(c.segments().size());
      for (StackSegment s : c.segments()) {
        List<org.ktriage.model.Frame> frames = new ArrayList<>(s.frames().size());
        for (org.ktriage.model.Frame f : s.frames()) {
          frames.add(moduleFrame(k, f));
        }
        segs.add(new StackSegment(s.context(), s.marker(), frames, s.exception()));
      }
      out.add(
          new CpuState(
              c.cpu(),
              c.pid(),
              c.comm(),
              c.taskAddress(),
              c.registers(),
              segs,
              c.panicCpu(),
              c.source()));
    }
    return out;
  }

  private static org.ktriage.model.Frame moduleFrame(KernelView k, org.ktriage.model.Frame f) {
    Long addr = f.address();
    if (addr == null || f.module() != null || !f.function().startsWith("0x")) {
      return f;
    }
    KernelSymbol s = k.symbols().symbolize(addr);
    if (s == null || s.module() == null) {
      return f;
    }
    return new org.ktriage.model.Frame(
        s.name(),
        "0x" + Long.toHexString(addr - s.address()),
        s.size() > 0 ? "0x" + Long.toHexString(s.size()) : null,
        s.module(),
        addr,
        f.reliable(),
        f.source());
  }

  /** Addresses looked up at most. */
  static final int MAX_ADDRESS_FACTS = 64;

  /** Reads the kernel objects of an opened kernel view. */
  static Result read(KernelView k, String path, List<CpuState> scanned, List<String> notes) {
    return read(k, path, scanned, notes, List.of(), null);
  }

  private static Result read(
      KernelView k,
      String path,
      List<CpuState> scanned,
      List<String> notes,
      List<Long> addresses,
      @Nullable VmcoreInfo vi) {
    List<LoadedModule> loaded = null;
    try {
      loaded = ModuleList.read(k);
    } catch (UnreadableInputException | RuntimeException e) {
      notes.add("module list not read (" + message(e) + ")");
    }
    List<KernelTask> tasks = List.of();
    try {
      tasks = TaskList.read(k);
    } catch (UnreadableInputException | RuntimeException e) {
      notes.add("task list not read (" + message(e) + "): no lock owners, CPU tasks from notes");
    }
    OrcUnwinder unwinder = null;
    try {
      OrcTable orc = OrcTable.read(k);
      if (loaded != null) {
        orc = orc.withModules(k, loaded, notes);
      }
      unwinder = new OrcUnwinder(k, orc);
    } catch (UnreadableInputException | RuntimeException e) {
      notes.add("ORC tables not read (" + message(e) + "): CPU stacks are stack scans");
    }
    List<CpuState> cpus =
        unwinder == null ? withModuleFrames(k, scanned) : cpus(k, unwinder, scanned, tasks, notes);
    List<PendingCallback> pending = new ArrayList<>();
    if (loaded == null) {
      notes.add(
          "pending timers not checked: the module list is needed to tell freed module memory");
    } else {
      pending.addAll(timers(k, path, loaded, notes));
      pending.addAll(hrtimers(k, path, loaded, notes));
    }
    List<LockWait> waits =
        unwinder == null || tasks.isEmpty()
            ? List.of()
            : lockWaits(k, unwinder, path, tasks, cpus, notes);
    List<AddressFact> facts = new ArrayList<>();
    if (loaded != null && !addresses.isEmpty()) {
      facts = addressFacts(k, path, loaded, tasks, addresses, notes, vi);
    }
    return new Result(
        cpus,
        loaded == null ? List.of() : ModelStacks.modules(loaded),
        loaded != null,
        pending,
        waits,
        notes,
        facts);
  }

  private static List<AddressFact> addressFacts(
      KernelView k,
      String path,
      List<LoadedModule> loaded,
      List<KernelTask> tasks,
      List<Long> addresses,
      List<String> notes,
      @Nullable VmcoreInfo vi) {
    List<AddressFact> out = new ArrayList<>();
    try {
      AddressRegions regions = AddressRegions.of(k, vi);
      KernelAddresses where = new KernelAddresses(k, loaded, tasks, regions);
      for (long a : new java.util.LinkedHashSet<>(addresses)) {
        if (out.size() >= MAX_ADDRESS_FACTS) {
          break;
        }
        if (!regions.kernelHalf(a)) {
          continue; // user addresses and non-canonical values say nothing about kernel memory
        }
        AddressOwner o = where.classify(a);
        out.add(
            new AddressFact(
                a,
                o.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                o.owner(),
                o.start(),
                o.description(),
                SourceSpan.binary(path, String.format("kmem %016x", a))));
      }
    } catch (RuntimeException e) {
      notes.add("addresses not looked up in memory (" + message(e) + ")");
    }
    return out;
  }

  private static List<CpuState> cpus(
      KernelView k,
      OrcUnwinder unwinder,
      List<CpuState> scanned,
      List<KernelTask> tasks,
      List<String> notes) {
    long[] current = new long[0];
    try {
      current = TaskList.currentTasks(k);
    } catch (UnreadableInputException | RuntimeException e) {
      notes.add("current tasks not read (" + message(e) + ")");
    }
    Map<Long, KernelTask> byAddress = new HashMap<>();
    for (KernelTask t : tasks) {
      byAddress.put(t.address(), t);
    }
    List<CpuState> out = new ArrayList<>();
    List<Integer> failed = new ArrayList<>();
    for (CpuState c : scanned) {
      KernelTask task =
          c.cpu() >= 0 && c.cpu() < current.length ? byAddress.get(current[c.cpu()]) : null;
      try {
        Backtraces.CpuBacktrace bt = Backtraces.forCpu(k, unwinder, c.cpu(), c.registers(), task);
        CpuState unwound = ModelStacks.cpuState(c, bt);
        boolean whole = bt.stop() == OrcUnwinder.Stop.END_OF_STACK;
        if (bt.frames().isEmpty() || (!whole && frameCount(unwound) < frameCount(c))) {
          // an unwind that stopped early and shows less than the scan does not replace it
          failed.add(c.cpu());
          out.add(c);
        } else {
          out.add(unwound);
        }
      } catch (UnreadableInputException | RuntimeException e) {
        failed.add(c.cpu());
        out.add(c);
      }
    }
    if (!failed.isEmpty()) {
      notes.add(
          "ORC unwind incomplete on CPU "
              + failed
              + ": their stacks are stack scans (frames unreliable)");
    }
    return out;
  }

  private static int frameCount(CpuState c) {
    int n = 0;
    for (StackSegment s : c.segments()) {
      n += s.frames().size();
    }
    return n;
  }

  private static List<PendingCallback> timers(
      KernelView k, String path, List<LoadedModule> loaded, List<String> notes) {
    List<PendingCallback> out = new ArrayList<>();
    try {
      Long jiffies = TimerWheel.jiffies(k);
      for (PendingTimer t : TimerWheel.pending(k, loaded)) {
        if (!t.orphaned()) {
          continue;
        }
        KernelAddressSpace space = KernelAddressSpace.of(k);
        boolean workOrphan =
            t.workFunction() != null
                && space.inFreedModuleArea(t.workFunction(), loaded)
                && !space.inFreedModuleArea(t.address(), loaded);
        Long expires = t.expires() != null ? t.expires() : t.bucketExpiry();
        Long fn = workOrphan ? t.workFunction() : t.function();
        KernelSymbol sym = fn == null ? null : k.symbols().symbolize(fn);
        out.add(
            new PendingCallback(
                workOrphan ? "work" : "timer",
                t.address(),
                fn,
                sym == null ? null : sym.name(),
                expires,
                expires == null || jiffies == null ? null : expires - jiffies,
                t.cpu(),
                t.expires() != null,
                SourceSpan.binary(
                    path,
                    "timer_bases["
                        + t.base()
                        + "] of CPU "
                        + t.cpu()
                        + ", wheel bucket "
                        + t.bucket()
                        + (t.expires() == null
                            ? " (timer unreadable: expiry of the bucket)"
                            : ""))));
      }
    } catch (UnreadableInputException | RuntimeException e) {
      notes.add("timer wheel not read (" + message(e) + ")");
    }
    return out;
  }

  private static List<PendingCallback> hrtimers(
      KernelView k, String path, List<LoadedModule> loaded, List<String> notes) {
    List<PendingCallback> out = new ArrayList<>();
    try {
      for (PendingHrtimer t : HrtimerQueue.pending(k, loaded)) {
        if (!t.orphaned()) {
          continue;
        }
        out.add(
            new PendingCallback(
                "hrtimer",
                t.address(),
                t.function(),
                t.functionSymbol(),
                t.expiresNanos(),
                null,
                t.cpu(),
                t.function() != null,
                SourceSpan.binary(
                    path, "hrtimer_bases of CPU " + t.cpu() + ", clock base " + t.clockBase())));
      }
    } catch (UnreadableInputException | RuntimeException e) {
      notes.add("hrtimer queues not read (" + message(e) + ")");
    }
    return out;
  }

  private static List<LockWait> lockWaits(
      KernelView k,
      OrcUnwinder unwinder,
      String path,
      List<KernelTask> tasks,
      List<CpuState> cpus,
      List<String> notes) {
    Map<Long, List<String>> hints = new HashMap<>();
    for (KernelTask t : tasks) {
      if (t.state().equals("UN") && !t.active()) {
        List<String> fns = new ArrayList<>();
        Backtraces.CpuBacktrace bt = sleeping(k, unwinder, t);
        if (bt != null) {
          for (UnwoundFrame f : bt.frames()) {
            if (f.function() != null) {
              fns.add(f.function());
            }
          }
        }
        hints.put(t.address(), fns);
      }
    }
    if (hints.isEmpty()) {
      return List.of();
    }
    List<LockWait> out = new ArrayList<>();
    try {
      for (BlockedOnLock b : LockOwners.find(k, tasks, hints)) {
        KernelTask owner = b.owner();
        List<StackSegment> stack = List.of();
        if (owner != null) {
          stack = ownerStack(k, unwinder, owner, cpus);
        }
        out.add(
            new LockWait(
                b.waiter().pid(),
                b.waiter().comm(),
                b.lockAddress(),
                b.kind(),
                owner == null ? null : owner.pid(),
                owner == null ? null : owner.comm(),
                owner == null ? null : owner.state(),
                b.readerOwned(),
                stack,
                SourceSpan.binary(
                    path,
                    String.format(
                        "%s waiter on the stack of pid %d, owner word 0x%x",
                        b.kind(), b.waiter().pid(), b.ownerWord()))));
      }
    } catch (UnreadableInputException | RuntimeException e) {
      notes.add("lock owners not read (" + message(e) + ")");
    }
    return out;
  }

  private static List<StackSegment> ownerStack(
      KernelView k, OrcUnwinder unwinder, KernelTask owner, List<CpuState> cpus) {
    if (owner.active()) {
      for (CpuState c : cpus) {
        Long addr = c.taskAddress();
        if (addr != null && addr == owner.address()) {
          return c.segments();
        }
      }
      return List.of();
    }
    Backtraces.CpuBacktrace bt = sleeping(k, unwinder, owner);
    return bt == null ? List.of() : ModelStacks.segments(bt.frames());
  }

  private static Backtraces.@Nullable CpuBacktrace sleeping(
      KernelView k, OrcUnwinder unwinder, KernelTask t) {
    if (t.stackBase() == 0 || t.savedSp() == 0) {
      return null;
    }
    try {
      return Backtraces.forSleepingTask(k, unwinder, t);
    } catch (UnreadableInputException | RuntimeException e) {
      return null;
    }
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
  }
}
