package org.ktriage.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One report the kernel printed: an oops, BUG, WARNING, lockup, stall, hung task, OOM, MCE or
 * panic-only report. Readers fill what they find and never judge; classification is analysis.
 *
 * @param index order of this report in the log (0-based)
 * @param headline the first line of the report ({@code BUG: unable to handle page fault for
 *     address: …}, {@code WARNING: CPU: 0 PID: 1 at …}, {@code watchdog: BUG: soft lockup …})
 * @param dieHeader the {@code Oops: 0002 [#1] PREEMPT SMP} style line (or arm64 {@code Internal
 *     error: …}), or null
 * @param dieCounter the {@code [#N]} number, or null
 * @param faultAddress the address from the headline or {@code CR2}, or null
 * @param cpu from {@code CPU: N PID: …}, or null
 * @param pid from the CPU line, or null
 * @param comm from the CPU line, or null
 * @param taint from the CPU line, or null
 * @param release kernel release from the CPU line, or null
 * @param hardware from {@code Hardware name:}, or null
 * @param workqueue from {@code Workqueue: <wq> <func>}, or null
 * @param ip the faulting context ({@code RIP:}/{@code pc :} with its registers), or null
 * @param code the {@code Code:} bytes as printed, or null
 * @param trace the call trace split into segments, innermost first
 * @param modules modules from {@code Modules linked in:}
 * @param lastUnloaded the module in {@code [last unloaded: …]} without its taint, or null
 * @param panicMessage the {@code Kernel panic - not syncing:} message that ended this report, or
 *     null
 * @param complete false when the log ended (or was cut) before the report's end
 * @param lines every log line that belongs to this report, in order
 * @param span the first and last line of the report
 * @param faultingInstruction the instruction at the fault, decoded from the {@code Code:} bytes or
 *     the kernel text, or null when there is none to decode
 */
public record Oops(
    int index,
    String headline,
    @Nullable String dieHeader,
    @Nullable Integer dieCounter,
    @Nullable Long faultAddress,
    @Nullable Integer cpu,
    @Nullable Integer pid,
    @Nullable String comm,
    @Nullable Taint taint,
    @Nullable String release,
    @Nullable String hardware,
    @Nullable String workqueue,
    @Nullable ExceptionFrame ip,
    @Nullable String code,
    List<StackSegment> trace,
    List<KernelModule> modules,
    @Nullable String lastUnloaded,
    @Nullable String panicMessage,
    boolean complete,
    List<LogRecord> lines,
    SourceSpan span,
    @Nullable FaultingInstruction faultingInstruction) {
  public Oops {
    trace = List.copyOf(trace);
    modules = List.copyOf(modules);
    lines = List.copyOf(lines);
  }

  /** The same report with the faulting instruction replaced. */
  public Oops withFaultingInstruction(@Nullable FaultingInstruction instruction) {
    return toBuilder().faultingInstruction(instruction).build();
  }

  /**
   * A builder for the report numbered {@code index} that starts with {@code headline} and spans
   * {@code span}; the other parts start empty, null, or complete.
   */
  public static Builder builder(int index, String headline, SourceSpan span) {
    return new Builder(index, headline, span);
  }

  /** A builder that starts from this report, to change a few of its parts. */
  public Builder toBuilder() {
    return new Builder(index, headline, span)
        .dieHeader(dieHeader)
        .dieCounter(dieCounter)
        .faultAddress(faultAddress)
        .cpu(cpu)
        .pid(pid)
        .comm(comm)
        .taint(taint)
        .release(release)
        .hardware(hardware)
        .workqueue(workqueue)
        .ip(ip)
        .code(code)
        .trace(trace)
        .modules(modules)
        .lastUnloaded(lastUnloaded)
        .panicMessage(panicMessage)
        .complete(complete)
        .lines(lines)
        .faultingInstruction(faultingInstruction);
  }

  /** Sets the parts of an {@link Oops} one by one. */
  public static final class Builder {
    private final int index;
    private final String headline;
    private @Nullable String dieHeader;
    private @Nullable Integer dieCounter;
    private @Nullable Long faultAddress;
    private @Nullable Integer cpu;
    private @Nullable Integer pid;
    private @Nullable String comm;
    private @Nullable Taint taint;
    private @Nullable String release;
    private @Nullable String hardware;
    private @Nullable String workqueue;
    private @Nullable ExceptionFrame ip;
    private @Nullable String code;
    private List<StackSegment> trace = List.of();
    private List<KernelModule> modules = List.of();
    private @Nullable String lastUnloaded;
    private @Nullable String panicMessage;
    private boolean complete = true;
    private List<LogRecord> lines = List.of();
    private final SourceSpan span;
    private @Nullable FaultingInstruction faultingInstruction;

    private Builder(int index, String headline, SourceSpan span) {
      this.index = index;
      this.headline = headline;
      this.span = span;
    }

    public Builder dieHeader(@Nullable String value) {
      dieHeader = value;
      return this;
    }

    public Builder dieCounter(@Nullable Integer value) {
      dieCounter = value;
      return this;
    }

    public Builder faultAddress(@Nullable Long value) {
      faultAddress = value;
      return this;
    }

    public Builder cpu(@Nullable Integer value) {
      cpu = value;
      return this;
    }

    public Builder pid(@Nullable Integer value) {
      pid = value;
      return this;
    }

    public Builder comm(@Nullable String value) {
      comm = value;
      return this;
    }

    public Builder taint(@Nullable Taint value) {
      taint = value;
      return this;
    }

    public Builder release(@Nullable String value) {
      release = value;
      return this;
    }

    public Builder hardware(@Nullable String value) {
      hardware = value;
      return this;
    }

    public Builder workqueue(@Nullable String value) {
      workqueue = value;
      return this;
    }

    public Builder ip(@Nullable ExceptionFrame value) {
      ip = value;
      return this;
    }

    public Builder code(@Nullable String value) {
      code = value;
      return this;
    }

    public Builder trace(List<StackSegment> value) {
      trace = value;
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

    public Builder panicMessage(@Nullable String value) {
      panicMessage = value;
      return this;
    }

    public Builder complete(boolean value) {
      complete = value;
      return this;
    }

    public Builder lines(List<LogRecord> value) {
      lines = value;
      return this;
    }

    public Builder faultingInstruction(@Nullable FaultingInstruction value) {
      faultingInstruction = value;
      return this;
    }

    public Oops build() {
      return new Oops(
          index,
          headline,
          dieHeader,
          dieCounter,
          faultAddress,
          cpu,
          pid,
          comm,
          taint,
          release,
          hardware,
          workqueue,
          ip,
          code,
          trace,
          modules,
          lastUnloaded,
          panicMessage,
          complete,
          lines,
          span,
          faultingInstruction);
    }
  }
}
