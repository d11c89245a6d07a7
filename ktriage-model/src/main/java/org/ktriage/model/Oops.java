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
        instruction);
  }
}
