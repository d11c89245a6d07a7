package org.ktriage.ingest.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.kind.ReportKind;
import org.ktriage.model.kind.ReportRole;

/**
 * Finds every report (oops, BUG, WARNING, lockup, stall, hung task, OOM, MCE, sanitizer report,
 * panic) in a stream of {@link LogRecord}s, in order, using the header table in {@link
 * ReportFormats}. Streaming: feed records with {@link #accept}, then call {@link #finish}; only the
 * lines of open reports are held. Lines carrying a printk caller id are routed to the report opened
 * by the same caller, so reports interleaved between CPUs are taken apart.
 */
public final class OopsParser implements Consumer<LogRecord> {
  /** How many records after a report a {@code Kernel panic} line still belongs to it. */
  static final long PANIC_REACH = 400;

  private static final String CUT = "------------[ cut here ]------------";

  /** The line panic() ends with (kernel/panic.c). */
  private static final String END_PANIC = "---[ end Kernel panic";

  private static final byte[] CUT_BYTES = ReportShapes.ascii(CUT);
  private static final byte[] END_PANIC_BYTES = ReportShapes.ascii(END_PANIC);

  /** For {@link #wants}: fault information tested on a line's bytes in place. */
  private final java.util.regex.Matcher faultInfo = ReportShapes.faultInfoMatcher();

  /** Reports kept; later ones are counted in {@link #droppedReports()} (bounded memory). */
  public static final int MAX_REPORTS = org.ktriage.ingest.bin.ReadLimits.REPORTS_PER_LOG;

  private long dropped;
  private final List<String> capped = new ArrayList<>();

  private final List<Oops> out = new ArrayList<>();
  private final Map<String, ReportBuilder> open = new HashMap<>();
  private final Map<String, LogRecord> pendingCut = new HashMap<>();

  /**
   * Fault-information lines read in a row outside any report ({@link ReportLine#FAULT_INFO}): a die
   * header that opens a report takes them, as its fault message's lost first line would have.
   */
  private final Map<String, List<LogRecord>> pendingFault = new HashMap<>();

  private @Nullable ReportBuilder lastClosed;
  private long lastClosedSeq = Long.MIN_VALUE;
  private final List<ReportBuilder> closedOrder = new ArrayList<>();
  private boolean callersSeen;
  private boolean finished;

  /**
   * Whether the kernel's latest own line carried printk's time: set by every timed line, cleared by
   * a report header without one. While set, an untimed line that is neither a header nor trace
   * content is another writer's. Decided line by line, not once per log: a console capture may put
   * a timed line (a logger's banner, a boot message) before reports printed without times, whose
   * lines are all the kernel's.
   */
  private boolean timedKernel;

  /** A report without header being read, while no report with a header was found. */
  private @Nullable ReportBuilder bare;

  /** The first report without header that showed a trace, kept for an input without reports. */
  private @Nullable ReportBuilder bareKept;

  /** Frames a headerless report must show to be kept: one frame alone is not a trace. */
  static final int BARE_MIN_FRAMES = 2;

  /** Parses a whole list of records. This is the public entry point for other readers. */
  public static List<Oops> parse(List<LogRecord> records) {
    OopsParser p = new OopsParser();
    for (LogRecord r : records) {
      p.accept(r);
    }
    return p.finish();
  }

  private static String key(@Nullable String caller) {
    return caller == null ? "" : caller;
  }

  @Override
  public void accept(LogRecord r) {
    String text = r.text();
    int from = ReportBuilder.firstNonSpace(text);
    String k = key(r.callerId());
    if (r.callerId() != null) {
      callersSeen = true;
    }
    ReportFormats.HeaderMatch hm = ReportFormats.match(text, from);
    if (hm == null && r.callerId() == null && callersSeen && !open.containsKey("")) {
      // a line without caller id in a log that has them: user-space noise between report lines
      return;
    }
    if (r.timestampNanos() != null) {
      timedKernel = true;
    } else if (hm != null) {
      timedKernel = false;
    } else if (timedKernel && !traceContent(text, from, r)) {
      // a line without the kernel's timestamp in a log that has them: another writer on the same
      // console (init scripts, a serial getty) between report lines; but a frame is kernel
      // output whatever its prefix (a paste that kept the times on the header only)
      return;
    }
    ReportBuilder cur = open.get(k);
    if (hm == null) {
      if (text.startsWith(CUT, from)) {
        if (cur != null && (cur.traceState == ReportBuilder.TraceState.DONE || cur.endTrace)) {
          close(k, cur, true);
        }
        pendingCut.put(k, r);
        return;
      }
      if (cur == null) {
        faultInfo(k, text, from, r);
        bareLine(r);
        if (lastClosed != null
            && text.startsWith(END_PANIC, from)
            && lastClosed.panicMessage != null
            && !lastClosed.endPanic) {
          lastClosed.lines.add(r);
          lastClosed.endPanic = true;
        }
        return;
      }
      ReportBuilder.Outcome o = cur.accept(r);
      if (o == ReportBuilder.Outcome.ENDED) {
        close(k, cur, true);
      } else if (cur.tentative && cur.lines.size() > ReportBuilder.MAX_GAP) {
        open.remove(k);
      }
      return;
    }
    List<LogRecord> info = pendingFault.remove(k);
    header(k, cur, hm, r, info);
  }

  /**
   * Whether a plain ASCII line (its prefixes read into {@code c}, {@code from} its text's first
   * non-blank) needs {@link #accept}: while a report is open, a report without header is being read
   * or fault-information lines wait for a die header, every line does; otherwise only a line whose
   * bytes may be a header, a cut line, the end of a panic, fault information or, while no report
   * was found, the opening of a report without header ({@link ReportShapes}). When false, {@link
   * #skipped} does all that {@link #accept} would.
   */
  boolean wants(LineCursor c, int from) {
    if (!open.isEmpty() || bare != null || !pendingFault.isEmpty()) {
      return true;
    }
    byte[] b = c.b;
    int n = c.n;
    return ReportShapes.mayBeHeader(c, from)
        || ReportShapes.at(b, from, n, CUT_BYTES)
        || ReportShapes.at(b, from, n, END_PANIC_BYTES)
        || ReportShapes.mayBeFaultInfo(b, from, n, c, faultInfo)
        || (huntingBare() && ReportShapes.mayOpenTrace(c, from));
  }

  /** A line {@link #wants} declined: only what it tells about the log's prefixes is kept. */
  void skipped(LineCursor c) {
    if (c.callerFrom >= 0) {
      callersSeen = true;
    } else if (callersSeen) {
      return;
    }
    if (c.hasNanos) {
      timedKernel = true;
    }
  }

  /** Keeps a run of fault-information lines outside any report; any other line ends the run. */
  private void faultInfo(String k, String text, int from, LogRecord r) {
    if (!ReportLine.FAULT_INFO.matcher(text).region(from, text.length()).lookingAt()) {
      pendingFault.remove(k);
      return;
    }
    List<LogRecord> run = pendingFault.computeIfAbsent(k, x -> new ArrayList<>());
    if (run.size() >= ReportLine.FAULT_INFO_MAX) {
      run.remove(0);
    }
    run.add(r);
  }

  /**
   * Reads a line outside any report into a report without header: it opens on a call trace heading,
   * a frame or a program-counter line, and is kept if it shows {@link #BARE_MIN_FRAMES} frames.
   * Only the first such report is kept, and only while no report has a header.
   */
  private void bareLine(LogRecord r) {
    if (!huntingBare()) {
      return;
    }
    ReportBuilder b = bare;
    if (b == null) {
      b = ReportBuilder.traceOnly(r);
      if (b != null) {
        bare = b;
      }
      return;
    }
    ReportBuilder.Outcome o = b.accept(r);
    if (o == ReportBuilder.Outcome.ENDED) {
      bareEnded(b);
      bare = null;
      if (bareKept == null) {
        bare = ReportBuilder.traceOnly(r);
      }
    }
  }

  /** Whether a report without header is looked for: none kept, no report found, none open. */
  private boolean huntingBare() {
    return bareKept == null && closedOrder.isEmpty() && open.isEmpty();
  }

  private void bareEnded(ReportBuilder b) {
    if (b.frameCount() >= BARE_MIN_FRAMES) {
      b.trimGap();
      bareKept = b;
    }
  }

  /** Whether the reports returned by {@link #finish} are one report without header. */
  public boolean traceOnly() {
    return finished && bareKept != null && out.size() == 1;
  }

  /** A call trace heading, stack marker or frame: report content whatever the line prefix. */
  private static boolean traceContent(String text, int from, LogRecord r) {
    if (text.startsWith("Call Trace:", from) || text.startsWith("Call trace:", from)) {
      return true;
    }
    if (text.startsWith("<", from)
        && ReportLine.MARKER.matcher(text).region(from, text.length()).lookingAt()) {
      return true;
    }
    // a frame's "[mod]" a wrap pushed to the next line is the end of a kernel line
    return ReportLine.frame(text, from, r.source()) != null
        || ReportLine.WRAPPED_MODULE.matcher(text).region(from, text.length()).matches();
  }

  private void header(
      String k,
      @Nullable ReportBuilder cur,
      ReportFormats.HeaderMatch hm,
      LogRecord r,
      @Nullable List<LogRecord> faultInfo) {
    ReportKind rule = hm.rule();
    switch (rule.role()) {
      case PANIC -> {
        ReportBuilder target = cur != null ? cur : recent(r);
        if (target != null && target.panicMessage == null && !target.tentative) {
          target.panicMessage = hm.matcher().group("msg");
          target.take(r);
          if (cur != null) {
            close(k, cur, true);
          }
          // the panic may dump its own stack; keep it as a report only if a body follows
          ReportBuilder p = new ReportBuilder(rule, hm.matcher(), r, null);
          p.tentative = true;
          open.put(k, p);
          return;
        }
        if (cur != null && !cur.tentative) {
          close(k, cur, true);
        } else if (cur != null) {
          open.remove(k);
        }
        open.put(k, new ReportBuilder(rule, hm.matcher(), r, pendingCut.remove(k)));
        return;
      }
      case DIE -> {
        if (cur != null
            && !warningThenFault(cur, rule)
            && cur.dieHeader == null
            && cur.traceState == ReportBuilder.TraceState.NONE) {
          cur.die(r.text().strip());
          cur.tentative = false;
          cur.take(r);
          return;
        }
      }
      case JOINS_OOM -> {
        ReportBuilder target = cur != null ? cur : recent(r);
        if (target != null && target.rule.family().equals("oom") && !target.oomKilled) {
          target.oomKilled = true;
          target.lines.add(r);
          target.lastTaken = target.lines.size();
          return;
        }
      }
      default -> {
        if (cur != null
            && !cur.tentative
            && (!cur.hasBody() || decodesGpf(cur, rule))
            && cur.lines.size() < 40
            && !warningThenFault(cur, rule)
            && !opensOwnReport(cur, rule)) {
          // several header lines before one body (list_add corruption + kernel BUG at …)
          cur.take(r);
          return;
        }
      }
    }
    if (cur != null) {
      if (rule.role() == ReportRole.DIE && faultInfo == null) {
        faultInfo = cur.takeTrailingFaultInfo();
      }
      if (cur.tentative) {
        open.remove(k);
      } else {
        close(k, cur, true);
      }
    }
    ReportBuilder b = new ReportBuilder(rule, hm.matcher(), r, pendingCut.remove(k));
    if (rule.role() == ReportRole.DIE && faultInfo != null) {
      // a die header whose fault message was lost: the fault's own lines before it are its start
      b.precededBy(faultInfo);
    }
    open.put(k, b);
  }

  /**
   * KASAN's decoding of a #GP's address ("KASAN: null-ptr-deref in range […]"), printed by x86
   * die_addr() right after the #GP's die header and before its body (mm/kasan/report.c
   * kasan_non_canonical_hook): part of that report.
   */
  private static boolean decodesGpf(ReportBuilder cur, ReportKind next) {
    return next.family().equals("gpf")
        && cur.rule.family().equals("gpf")
        && cur.lines.size() == 1
        && cur.traceState == ReportBuilder.TraceState.NONE;
  }

  /**
   * A WARN() header whose body was cut (a paste that elided it) followed by a page fault or a die
   * header: two reports. __warn() (kernel/panic.c) prints its header, modules, registers and trace
   * and returns; it never prints a die header or a fault message, so a fault's header after it
   * opens the next report (an old WARN's own message, such as "list_add corruption", still joins).
   */
  private static boolean warningThenFault(ReportBuilder cur, ReportKind next) {
    if (!cur.rule.family().equals("warning")) {
      return false;
    }
    String f = next.family();
    return next.role() == ReportRole.DIE || f.equals("page-fault") || f.equals("null-deref");
  }

  /** The watchdogs and detectors that print a header and a dump of their own. */
  private static final Set<String> DETECTORS =
      Set.of("soft-lockup", "hard-lockup", "rcu-stall", "hung-task");

  /**
   * A header after {@code cur}'s bodiless header that opens a report of its own instead of joining
   * as a second header line. A subsystem's own assertion line (drbd's D_ASSERT, the SPL's VERIFY,
   * Lustre's LASSERT: the "assertion" kinds of ReportKinds) is printed by the subsystem, which goes
   * on (drbd) or dumps its stack and parks the thread (spl_panic, lbug_with_loc): whatever follows
   * is a later failure. After a detector's header (kernel/watchdog.c soft lockup,
   * kernel/watchdog_hld.c hard lockup, kernel/rcu/tree_stall.h stall, kernel/hung_task.c), another
   * detector's header is that detector's own report of its own CPU or task, not a line of this one;
   * the same detector's next line (a stall warning's kthread-starvation line) still joins.
   */
  private static boolean opensOwnReport(ReportBuilder cur, ReportKind next) {
    return cur.rule.family().equals("assertion")
        || (next.role() == ReportRole.OPENS
            && DETECTORS.contains(next.family())
            && DETECTORS.contains(cur.rule.family())
            && !next.family().equals(cur.rule.family()));
  }

  /** The report closed last, if it ended within {@link #PANIC_REACH} records of {@code r}. */
  private @Nullable ReportBuilder recent(LogRecord r) {
    if (lastClosed == null || r.seq() - lastClosedSeq > PANIC_REACH) {
      return null;
    }
    return lastClosed;
  }

  private void close(String k, ReportBuilder b, boolean complete) {
    open.remove(k);
    if (b.tentative) {
      return;
    }
    if (b.capped) {
      LogRecord head = b.lines.get(0);
      capped.add("\"" + head.text().strip() + "\" at line " + head.source().line());
    }
    b.trimGap();
    if (closedOrder.size() >= MAX_REPORTS) {
      dropped++;
      return;
    }
    closedOrder.add(b);
    lastClosed = b;
    lastClosedSeq = b.lines.get(b.lines.size() - 1).seq();
    b.complete = complete;
  }

  /**
   * Reports that reached {@link ReportBuilder#MAX_LINES} lines (first line and where): their later
   * lines were read as plain log lines.
   */
  public List<String> cappedReports() {
    return List.copyOf(capped);
  }

  /** Reports found after {@link #MAX_REPORTS} and not kept. */
  public long droppedReports() {
    return dropped;
  }

  /** Ends the input: reports still open are cut ({@code complete=false} when mid-report). */
  public List<Oops> finish() {
    if (finished) {
      return List.copyOf(out);
    }
    finished = true;
    for (ReportBuilder b : new ArrayList<>(open.values())) {
      if (b.tentative) {
        continue;
      }
      boolean whole =
          b.endTrace
              || b.endPanic
              || b.delimiterClosed
              || (b.traceState == ReportBuilder.TraceState.DONE)
              || (b.rule.role() == ReportRole.PANIC
                  && b.traceState == ReportBuilder.TraceState.NONE);
      b.trimGap();
      if (closedOrder.size() >= MAX_REPORTS) {
        dropped++;
        continue;
      }
      closedOrder.add(b);
      b.complete = whole;
    }
    open.clear();
    if (bare != null && bareKept == null) {
      bareEnded(bare);
    }
    if (closedOrder.isEmpty() && bareKept != null) {
      closedOrder.add(bareKept);
      bareKept.complete = true;
    } else {
      bareKept = null;
    }
    closedOrder.sort((a, b) -> Long.compare(a.startSeq, b.startSeq));
    int i = 0;
    for (ReportBuilder b : closedOrder) {
      out.add(b.build(i++, b.complete));
    }
    return List.copyOf(out);
  }
}
