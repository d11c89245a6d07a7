package org.ktriage.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One CPU's state: the task on it, its registers (from a dump note) and its stack split into
 * segments, innermost segment first (the NMI before the interrupted IRQ before the task).
 *
 * @param cpu CPU number
 * @param pid pid of the task running on it, or null
 * @param comm command name of that task, or null
 * @param taskAddress {@code task_struct} address, or null
 * @param registers registers captured at the crash (dump notes), or empty
 * @param segments stack segments, innermost first
 * @param panicCpu true for the CPU that panicked
 * @param source where the stack was read
 */
public record CpuState(
    int cpu,
    @Nullable Integer pid,
    @Nullable String comm,
    @Nullable Long taskAddress,
    RegisterSet registers,
    List<StackSegment> segments,
    boolean panicCpu,
    @Nullable SourceSpan source) {
  public CpuState {
    segments = List.copyOf(segments);
  }
}
