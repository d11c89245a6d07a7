package org.ktriage.testkit.corpus;

import java.util.ArrayList;
import java.util.List;
import org.ktriage.model.LogRecord;

/**
 * Which log lines are the kernel's own output. The kernel's console and printk ring prefix every
 * line with its timestamp (CONFIG_PRINTK_TIME) and/or caller id (CONFIG_PRINTK_CALLER) — {@code
 * info_print_prefix()} in kernel/printk/printk.c writes the prefix for each line of a record — so
 * in a log where the kernel's lines carry one, a line with neither was written by someone else on
 * the same console (bootloader, firmware, init, a fuzzer). In a log without prefixes nothing can be
 * told apart and every line counts as the kernel's.
 */
public final class KernelOutput {
  private KernelOutput() {}

  /** True when this record carries the kernel's printk prefix. */
  static boolean prefixed(LogRecord r) {
    return r.timestampNanos() != null || (r.callerId() != null && !r.callerId().isBlank());
  }

  /** The records that are the kernel's own output (all of them when the log has no prefixes). */
  public static List<LogRecord> kernelLines(List<LogRecord> log) {
    long prefixed = log.stream().filter(KernelOutput::prefixed).count();
    if (prefixed * 2 < log.size()) {
      return log;
    }
    List<LogRecord> out = new ArrayList<>(log.size());
    for (LogRecord r : log) {
      if (prefixed(r)) {
        out.add(r);
      }
    }
    return out;
  }
}
