package org.ktriage.ingest.dump;

import java.util.List;
import org.ktriage.model.Completeness;
import org.ktriage.model.CpuState;
import org.ktriage.model.InputFormat;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.LogRecord;

/**
 * What the pipeline needs from one dump.
 *
 * @param path the dump path
 * @param format container format
 * @param kernel kernel facts (release, arch, memory layout)
 * @param log kernel log, one record per printed line
 * @param cpus per-CPU registers and scanned stacks, by CPU number
 * @param completeness what was filtered, missing or unreadable
 */
public record DumpContents(
    String path,
    InputFormat format,
    KernelInfo kernel,
    List<LogRecord> log,
    List<CpuState> cpus,
    Completeness completeness) {
  public DumpContents {
    log = List.copyOf(log);
    cpus = List.copyOf(cpus);
  }
}
