package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import org.ktriage.model.LogRecord;

/**
 * The boots a log holds (concatenated captures, a reboot, a capture kernel's own boot): a boot
 * starts at the banner {@code start_kernel()} prints first ({@code Linux version …}, init/main.c)
 * or where the printk clock runs backwards to near zero (local_clock() restarts with the kernel).
 */
final class Boots {

  /** A clock that falls back below this is a new kernel's. */
  private static final long CLOCK_RESTART_NANOS = 5_000_000_000L;

  private final List<Long> startSeqs;

  private Boots(List<Long> startSeqs) {
    this.startSeqs = List.copyOf(startSeqs);
  }

  /** The boots of a log, by the log sequence number of each boot's first line after the first. */
  static Boots of(List<LogRecord> log) {
    List<Long> starts = new ArrayList<>();
    Long lastTs = null;
    boolean seenLine = false;
    for (LogRecord r : log) {
      Long ts = r.timestampNanos();
      boolean banner = r.text().stripLeading().startsWith("Linux version ");
      boolean restart = ts != null && lastTs != null && ts < lastTs && ts < CLOCK_RESTART_NANOS;
      if (seenLine && (banner || restart)) {
        long seq = r.seq();
        if (starts.isEmpty() || starts.get(starts.size() - 1) != seq) {
          starts.add(seq);
        }
      }
      if (ts != null) {
        lastTs = ts;
      }
      seenLine = true;
      if (banner) {
        lastTs = ts;
      }
    }
    return new Boots(starts);
  }

  /** How many boots the log holds (1 when no new boot starts in it). */
  int count() {
    return startSeqs.size() + 1;
  }

  /** The boot (0 = first in the log) a report's first line belongs to. */
  int bootOf(ReportView v) {
    if (v.oops().lines().isEmpty()) {
      return count() - 1;
    }
    long seq = v.oops().lines().get(0).seq();
    int boot = 0;
    for (long s : startSeqs) {
      if (seq >= s) {
        boot++;
      }
    }
    return boot;
  }
}
