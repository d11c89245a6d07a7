package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import org.ktriage.model.LogRecord;

/**
 * The boots a log holds (concatenated captures, a reboot, a capture kernel's own boot). A boot
 * starts at what a starting kernel prints first: the banner {@code start_kernel()} prints ({@code
 * Linux version …}, init/main.c, from linux_banner in init/version.c), the {@code Command line:}
 * x86's setup_arch() prints next (arch/x86/kernel/setup.c) or the {@code Kernel command line:}
 * start_kernel() prints on every architecture, whichever of them the capture kept; or where the
 * printk clock runs backwards to near zero (local_clock() restarts with the kernel). A command-line
 * line starts a new boot only when the current one has already run (a report began in it, or its
 * clock passed {@link #CLOCK_RESTART_NANOS}): the banner and both command lines of one boot come
 * within its first second. A boot whose command line holds {@code elfcorehdr=} is a kdump capture
 * kernel's: kexec tells the capture kernel where the crashed kernel's ELF core header is with it
 * (kernel/crash_dump.c setup_elfcorehdr(), read as {@code elfcorehdr_addr}).
 */
final class Boots {

  /** A clock that falls back below this is a new kernel's. */
  private static final long CLOCK_RESTART_NANOS = 5_000_000_000L;

  /**
   * A fall of the clock smaller than this is one kernel's: early in boot the printk clock is
   * re-based when sched_clock() moves off jiffies or the TSC is found unstable ({@code tsc: Marking
   * TSC unstable}, arch/x86/kernel/tsc.c mark_tsc_unstable(), kernel/sched/clock.c), and CPUs'
   * local_clock() values differ by a little; a real lab log falls from 0.04 s to 0.0005 s so.
   */
  private static final long CLOCK_JITTER_NANOS = 1_000_000_000L;

  /** The log sequence number of each boot's first line after the first boot. */
  private final List<Long> startSeqs;

  /** For each boot (0 = first), true when it is a kdump capture kernel's. */
  private final List<Boolean> capture;

  private Boots(List<Long> startSeqs, List<Boolean> capture) {
    this.startSeqs = List.copyOf(startSeqs);
    this.capture = List.copyOf(capture);
  }

  /** The boots of a log, without knowing where its reports begin. */
  static Boots of(List<LogRecord> log) {
    return of(log, List.of());
  }

  /**
   * The boots of a log.
   *
   * @param log the log, in order
   * @param reportStartSeqs the log sequence numbers of the first lines of its reports, ascending
   */
  static Boots of(List<LogRecord> log, List<Long> reportStartSeqs) {
    List<Long> starts = new ArrayList<>();
    List<Boolean> capture = new ArrayList<>();
    capture.add(false);
    Long lastTs = null;
    boolean seenLine = false;
    // the current boot has run: a report began in it, or its clock passed the restart bound
    boolean ran = false;
    int nextReport = 0;
    for (LogRecord r : log) {
      while (nextReport < reportStartSeqs.size() && reportStartSeqs.get(nextReport) < r.seq()) {
        nextReport++;
        ran = true;
      }
      Long ts = r.timestampNanos();
      String text = r.text().stripLeading();
      boolean banner = text.startsWith("Linux version ");
      boolean commandLine =
          text.startsWith("Command line: ") || text.startsWith("Kernel command line: ");
      boolean restart =
          ts != null
              && lastTs != null
              && ts < CLOCK_RESTART_NANOS
              && lastTs - ts > CLOCK_JITTER_NANOS;
      if (seenLine && (banner || restart || (commandLine && ran))) {
        long seq = r.seq();
        if (starts.isEmpty() || starts.get(starts.size() - 1) != seq) {
          starts.add(seq);
          capture.add(false);
        }
        ran = false;
      }
      if (commandLine && text.contains("elfcorehdr=")) {
        capture.set(capture.size() - 1, true);
      }
      if (ts != null) {
        lastTs = ts;
        if (ts >= CLOCK_RESTART_NANOS) {
          ran = true;
        }
      }
      seenLine = true;
    }
    return new Boots(starts, capture);
  }

  /** How many boots the log holds (1 when no new boot starts in it). */
  int count() {
    return startSeqs.size() + 1;
  }

  /** True when the boot (0 = first) is a kdump capture kernel's own boot. */
  boolean captureKernel(int boot) {
    return boot >= 0 && boot < capture.size() && capture.get(boot);
  }

  /** The boot (0 = first in the log) a report's first line belongs to. */
  int bootOf(ReportView v) {
    if (v.oops().lines().isEmpty()) {
      return count() - 1;
    }
    return bootOfSeq(v.oops().lines().get(0).seq());
  }

  /** The boot (0 = first in the log) a log line belongs to. */
  int bootOfSeq(long seq) {
    int boot = 0;
    for (long s : startSeqs) {
      if (seq >= s) {
        boot++;
      }
    }
    return boot;
  }

  /** The log lines of one boot (0 = first). */
  List<LogRecord> lines(List<LogRecord> log, int boot) {
    long from = boot == 0 ? Long.MIN_VALUE : startSeqs.get(boot - 1);
    long to = boot < startSeqs.size() ? startSeqs.get(boot) : Long.MAX_VALUE;
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r : log) {
      if (r.seq() >= from && r.seq() < to) {
        out.add(r);
      }
    }
    return out;
  }
}
