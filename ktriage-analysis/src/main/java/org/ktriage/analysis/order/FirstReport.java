package org.ktriage.analysis.order;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.FailureClass;
import org.ktriage.model.LogRecord;
import org.ktriage.model.kind.ReportKinds;

/**
 * The report of a log that shows the first failure (rule R2): reports count in log order, except
 * that a detector report whose onset (print time minus the delay it states) is strictly earlier
 * overtakes an earlier print.
 */
final class FirstReport {

  private FirstReport() {}

  /** "stuck for 22s" (kernel/watchdog.c, soft lockup). */
  private static final Pattern STUCK = Pattern.compile("stuck for (\\d+)s");

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * The report with the earliest onset among those of the incident the kernel crashed on ({@link
   * CauseLinks#incident}): an earlier report of another boot, or one nothing links to the crash, is
   * an independent event.
   */
  static @Nullable ReportView of(CrashFacts f) {
    return of(CauseLinks.incident(f.reports(), f.report().log()));
  }

  /** The report with the earliest onset; ties keep log order; null for no report. */
  static @Nullable ReportView of(List<ReportView> views) {
    ReportView best = null;
    long bestOnset = Long.MAX_VALUE;
    for (ReportView v : views) {
      if (v.failureClass() == FailureClass.UNKNOWN) {
        continue;
      }
      Long onset = onsetNanos(v);
      if (best == null) {
        best = v;
        bestOnset = onset == null ? Long.MAX_VALUE : onset;
        continue;
      }
      // Only a detector report with a known, surely earlier onset overtakes an earlier print.
      if (onset != null
          && surelyEarlier(onset, bestOnset)
          && Detectors.VICTIM_REPORTS.contains(v.failureClass())) {
        best = v;
        bestOnset = onset;
      }
    }
    return best != null ? best : (views.isEmpty() ? null : views.get(0));
  }

  /**
   * True when an onset is earlier than another beyond the precision of the delays detectors state:
   * kernel/watchdog.c prints "stuck for %us" and kernel/hung_task.c "blocked for more than %ld
   * seconds" in whole seconds, truncated, so each onset is known to within a second. khungtaskd
   * reprints the same blocked task at every check with a larger delay ("more than 120 seconds",
   * then "241 seconds"); that repeat's onset may read a fraction of a second earlier than the first
   * print's and is the same hang, not an earlier one.
   */
  private static boolean surelyEarlier(long onset, long than) {
    return than == Long.MAX_VALUE || onset < than - NANOS_PER_SECOND;
  }

  /**
   * When the failure a report shows began, in nanoseconds of the log's clock: its first line's
   * timestamp minus the delay a detector states; null without a timestamp.
   */
  static @Nullable Long onsetNanos(ReportView v) {
    List<LogRecord> lines = v.oops().lines();
    Long ts = lines.isEmpty() ? null : lines.get(0).timestampNanos();
    if (ts == null) {
      return null;
    }
    String h = v.oops().headline();
    Matcher m = STUCK.matcher(h);
    if (m.find()) {
      return ts - Long.parseLong(m.group(1)) * NANOS_PER_SECOND;
    }
    // "blocked for more than 120 seconds" (kernel/hung_task.c check_hung_task), read with the
    // report-kind table's hung-task header
    ReportKinds.Match hung = ReportKinds.find(h, "hung-task");
    String blocked = hung == null ? null : hung.matcher().group("seconds");
    return blocked == null ? ts : ts - Long.parseLong(blocked) * NANOS_PER_SECOND;
  }
}
