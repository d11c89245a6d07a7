package org.ktriage.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the readers found about one crash, merged over all inputs; the single input of
 * analysis.
 *
 * @param sources inputs that contributed
 * @param kernel kernel facts
 * @param log kernel log records kept (bounded: readers keep a window around reports and say so in
 *     completeness when they drop lines)
 * @param oopses every report found in the log, in log order
 * @param cpus per-CPU stacks and registers (crash sessions and dumps), sorted by CPU
 * @param panic the panic, or null when the kernel did not panic
 * @param modules modules loaded at the crash (from a crash {@code mod} listing, a dump, or the last
 *     {@code Modules linked in:})
 * @param lastUnloaded the last module unloaded before the crash, or null
 * @param completeness what is missing
 * @param pendingCallbacks callbacks still queued in the dump's memory that point into module-area
 *     memory no loaded module covers (empty for text inputs)
 * @param lockWaits tasks sleeping on a lock, with the lock's owner (dumps; empty for text inputs)
 * @param addressFacts what the fault address and the failing context's register values are in the
 *     dump's memory (slab object and state, task stack, module, …; empty for text inputs)
 */
public record CrashReport(
    List<InputSource> sources,
    KernelInfo kernel,
    List<LogRecord> log,
    List<Oops> oopses,
    List<CpuState> cpus,
    @Nullable PanicInfo panic,
    List<KernelModule> modules,
    @Nullable String lastUnloaded,
    Completeness completeness,
    List<PendingCallback> pendingCallbacks,
    List<LockWait> lockWaits,
    List<AddressFact> addressFacts) {
  public CrashReport {
    addressFacts = List.copyOf(addressFacts);
    pendingCallbacks = List.copyOf(pendingCallbacks);
    lockWaits = List.copyOf(lockWaits);
    sources = List.copyOf(sources);
    log = List.copyOf(log);
    oopses = List.copyOf(oopses);
    cpus = List.copyOf(cpus);
    modules = List.copyOf(modules);
  }

  /** A report without address facts. */
  public CrashReport(
      List<InputSource> sources,
      KernelInfo kernel,
      List<LogRecord> log,
      List<Oops> oopses,
      List<CpuState> cpus,
      @Nullable PanicInfo panic,
      List<KernelModule> modules,
      @Nullable String lastUnloaded,
      Completeness completeness,
      List<PendingCallback> pendingCallbacks,
      List<LockWait> lockWaits) {
    this(
        sources,
        kernel,
        log,
        oopses,
        cpus,
        panic,
        modules,
        lastUnloaded,
        completeness,
        pendingCallbacks,
        lockWaits,
        List.of());
  }

  /** A report without memory-derived facts (no pending callbacks, no lock waits). */
  public CrashReport(
      List<InputSource> sources,
      KernelInfo kernel,
      List<LogRecord> log,
      List<Oops> oopses,
      List<CpuState> cpus,
      @Nullable PanicInfo panic,
      List<KernelModule> modules,
      @Nullable String lastUnloaded,
      Completeness completeness) {
    this(
        sources,
        kernel,
        log,
        oopses,
        cpus,
        panic,
        modules,
        lastUnloaded,
        completeness,
        List.of(),
        List.of(),
        List.of());
  }

  /** The same report with the memory-derived facts replaced. */
  public CrashReport withMemoryFacts(
      List<PendingCallback> pendingCallbacks, List<LockWait> lockWaits) {
    return new CrashReport(
        sources,
        kernel,
        log,
        oopses,
        cpus,
        panic,
        modules,
        lastUnloaded,
        completeness,
        pendingCallbacks,
        lockWaits,
        addressFacts);
  }

  /** The same report with the address facts replaced. */
  public CrashReport withAddressFacts(List<AddressFact> facts) {
    return new CrashReport(
        sources,
        kernel,
        log,
        oopses,
        cpus,
        panic,
        modules,
        lastUnloaded,
        completeness,
        pendingCallbacks,
        lockWaits,
        facts);
  }

  /**
   * True when the inputs show any crash, oops, warning or panic, or are a memory dump (a vmcore
   * exists because the kernel crashed, even when its log cannot be read).
   */
  public boolean hasCrash() {
    return !oopses.isEmpty()
        || panic != null
        || cpus.stream().anyMatch(CpuState::panicCpu)
        || sources.stream().anyMatch(s -> s.format().dump());
  }
}
