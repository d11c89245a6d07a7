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

  /** A builder with every list empty, the kernel unknown and the inputs whole. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this report, to change a few of its parts. */
  public Builder toBuilder() {
    return new Builder()
        .sources(sources)
        .kernel(kernel)
        .log(log)
        .oopses(oopses)
        .cpus(cpus)
        .panic(panic)
        .modules(modules)
        .lastUnloaded(lastUnloaded)
        .completeness(completeness)
        .pendingCallbacks(pendingCallbacks)
        .lockWaits(lockWaits)
        .addressFacts(addressFacts);
  }

  /**
   * Sets the parts of a {@link CrashReport} one by one; a part not set stays empty (lists), unknown
   * ({@link KernelInfo#unknown()}), whole ({@link Completeness#whole()}) or null.
   */
  public static final class Builder {
    private List<InputSource> sources = List.of();
    private KernelInfo kernel = KernelInfo.unknown();
    private List<LogRecord> log = List.of();
    private List<Oops> oopses = List.of();
    private List<CpuState> cpus = List.of();
    private @Nullable PanicInfo panic;
    private List<KernelModule> modules = List.of();
    private @Nullable String lastUnloaded;
    private Completeness completeness = Completeness.whole();
    private List<PendingCallback> pendingCallbacks = List.of();
    private List<LockWait> lockWaits = List.of();
    private List<AddressFact> addressFacts = List.of();

    private Builder() {}

    public Builder sources(List<InputSource> value) {
      sources = value;
      return this;
    }

    public Builder kernel(KernelInfo value) {
      kernel = value;
      return this;
    }

    public Builder log(List<LogRecord> value) {
      log = value;
      return this;
    }

    public Builder oopses(List<Oops> value) {
      oopses = value;
      return this;
    }

    public Builder cpus(List<CpuState> value) {
      cpus = value;
      return this;
    }

    public Builder panic(@Nullable PanicInfo value) {
      panic = value;
      return this;
    }

    public Builder modules(List<KernelModule> value) {
      modules = value;
      return this;
    }

    public Builder lastUnloaded(@Nullable String value) {
      lastUnloaded = value;
      return this;
    }

    public Builder completeness(Completeness value) {
      completeness = value;
      return this;
    }

    public Builder pendingCallbacks(List<PendingCallback> value) {
      pendingCallbacks = value;
      return this;
    }

    public Builder lockWaits(List<LockWait> value) {
      lockWaits = value;
      return this;
    }

    public Builder addressFacts(List<AddressFact> value) {
      addressFacts = value;
      return this;
    }

    public CrashReport build() {
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
