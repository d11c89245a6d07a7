package org.ktriage.server.netconsole;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.kind.ReportKinds;
import org.ktriage.model.kind.ReportRole;

/**
 * One sender's stream: joins fragments and split lines back into log lines, counts the printk
 * sequence numbers it never got, and cuts crash reports out of the lines.
 *
 * <p>A report opens at a header of the report-kind table ({@link ReportKinds}: {@code BUG:}, {@code
 * Oops:}, {@code WARNING:}, {@code watchdog: BUG: soft lockup}, {@code Kernel panic - not syncing:}
 * …) and carries the lines since the previous report as context. It ends at {@code ---[ end Kernel
 * panic … ]---} ({@code panic()} in {@code kernel/panic.c}: nothing follows) or at the {@code
 * Rebooting in N seconds..} a panic prints instead when the machine reboots, or once the last
 * report line was an end — {@code ---[ end trace … ]---} ({@code print_oops_end_marker()}) or
 * {@code </TASK>} (the close of a stack dump, {@code show_trace_log_lvl()}) — and {@code settle}
 * has passed without more report lines (a panic may still follow). A sender that goes silent for
 * {@code silence} while its report has not ended — the machine hung or rebooted mid-oops — gets the
 * report cut as PARTIAL. Not thread-safe: the receiver serialises calls.
 */
final class SenderStream {
  /** Context kept before a report opens. */
  static final int MAX_CONTEXT_LINES = 5000;

  static final long MAX_CONTEXT_CHARS = 2L << 20;

  /** The longest report; a longer one is cut there (PARTIAL). */
  static final int MAX_REPORT_LINES = 50_000;

  static final long MAX_REPORT_CHARS = 8L << 20;

  /** Records waiting for fragments at once, per sender. */
  static final int MAX_PENDING_RECORDS = 64;

  /** A plain line longer than this without a newline is taken as a line anyway. */
  static final int MAX_LINE_CHARS = 64 * 1024;

  /** A sequence number this far below the expected one is a new boot, not a late record. */
  static final long SEQ_RESTART = 100_000;

  /** The time-stamp and caller prefixes a message text is printed with. */
  private static final Pattern PREFIX =
      Pattern.compile("^(?:<\\d{1,3}>)?\\[\\s*\\d+\\.\\d+\\] ?(?:\\[\\s*[TC]\\d+\\] ?)?");

  /**
   * The last line of a panic on a machine set to reboot ({@code kernel.panic} > 0): {@code panic()}
   * in {@code kernel/panic.c} prints {@code "Rebooting in %d seconds.."}, waits and calls {@code
   * emergency_restart()}, so its {@code ---[ end Kernel panic} line never comes.
   */
  private static final Pattern PANIC_REBOOT = Pattern.compile("Rebooting in \\d+ seconds\\.\\.");

  /** Lines that belong to a report body (registers, frames, trace delimiters, CPU lines). */
  private static final Pattern REPORT_LINE =
      Pattern.compile(
          "^(?:\\s|<\\/?[A-Z#]{2,5}>$|[A-Z][A-Z0-9]{1,3}: |[a-z]{2} ?: |x\\d{1,2} ?: |#PF: |PGD |P4D "
              + "|Call [Tt]race:|Code: |Modules linked in:|CPU: |Hardware name: |Workqueue: "
              + "|Kernel Offset: |---\\[ end |Stack:|task:|Tainted: |Sending NMI|NMI backtrace)");

  final String sender;
  final String host;
  @Nullable String release;
  long lastPacketNanos;

  long records;
  long missed;
  long lines;
  private long nextSeq = -1;

  private final Map<Long, Fragments> fragments = new LinkedHashMap<>();
  private final StringBuilder partialLine = new StringBuilder();

  private final ArrayList<String> history = new ArrayList<>();
  private long historyChars;
  private boolean open;
  private boolean strong;
  private boolean atEnd;
  private long lastReportNanos;

  SenderStream(String sender, String host, long now) {
    this.sender = sender;
    this.host = host;
    this.lastPacketNanos = now;
  }

  /** A record's body put together from its fragments. */
  private static final class Fragments {
    final byte[] body;
    final long firstNanos;
    int received;
    final Datagram.Extended head;

    Fragments(Datagram.Extended head, long now) {
      this.body = new byte[head.fragmentTotal()];
      this.firstNanos = now;
      this.head = head;
    }
  }

  /** Takes one datagram; returns the reports it completed. */
  List<CutReport> take(Datagram d, long now) {
    lastPacketNanos = now;
    List<CutReport> out = new ArrayList<>(0);
    if (d instanceof Datagram.Plain p) {
      plain(p.text(), now, out);
    } else if (d instanceof Datagram.Extended e) {
      if (e.release() != null) {
        release = e.release();
      }
      if (e.fragmentOffset() < 0) {
        record(e, e.body(), now, out);
      } else {
        fragment(e, now, out);
      }
    }
    return out;
  }

  private void plain(String text, long now, List<CutReport> out) {
    int from = 0;
    for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      partialLine.append(text, from, nl);
      flushLine(now, out);
      from = nl + 1;
    }
    partialLine.append(text, from, text.length());
    if (partialLine.length() > MAX_LINE_CHARS) {
      flushLine(now, out);
    }
  }

  private void flushLine(long now, List<CutReport> out) {
    String l = partialLine.toString();
    partialLine.setLength(0);
    if (l.endsWith("\r")) {
      l = l.substring(0, l.length() - 1);
    }
    line(l, now, out);
  }

  private void fragment(Datagram.Extended e, long now, List<CutReport> out) {
    Fragments f = fragments.get(e.seq());
    if (f == null || f.body.length != e.fragmentTotal()) {
      if (fragments.size() >= MAX_PENDING_RECORDS) {
        Iterator<Long> oldest = fragments.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      f = new Fragments(e, now);
      fragments.put(e.seq(), f);
    }
    System.arraycopy(e.body(), 0, f.body, e.fragmentOffset(), e.body().length);
    f.received += e.body().length;
    if (f.received >= f.body.length) {
      fragments.remove(e.seq());
      record(f.head, f.body, now, out);
    }
  }

  private void record(Datagram.Extended e, byte[] body, long now, List<CutReport> out) {
    records++;
    long seq = e.seq();
    if (nextSeq < 0 || seq == nextSeq) {
      nextSeq = seq + 1;
    } else if (seq > nextSeq) {
      missed += seq - nextSeq;
      nextSeq = seq + 1;
    } else if (nextSeq - seq > SEQ_RESTART) {
      nextSeq = seq + 1; // the sender rebooted: its printk sequence starts again
    } else if (missed > 0) {
      missed--; // a late (reordered) record counted missing before
    }
    int textEnd = 0;
    while (textEnd < body.length && body[textEnd] != '\n') {
      textEnd++;
    }
    String text = new String(body, 0, textEnd, StandardCharsets.ISO_8859_1);
    if (e.continuation() && !history.isEmpty()) {
      String last = history.remove(history.size() - 1);
      historyChars -= last.length() + 1;
      line(last + text, now, out);
      return;
    }
    line(syslogLine(e.level(), e.micros(), text), now, out);
  }

  /**
   * {@code <level>[%5d.%06d] text}, the form {@code kmsg_dump} and {@code dmesg -r} print, built
   * without {@code String.format} (the receiver's hot path).
   */
  static String syslogLine(int level, long micros, String text) {
    StringBuilder sb = new StringBuilder(text.length() + 20);
    sb.append('<').append(level).append(">[");
    String secs = Long.toString(micros / 1_000_000L);
    for (int i = secs.length(); i < 5; i++) {
      sb.append(' ');
    }
    sb.append(secs).append('.');
    String frac = Long.toString(micros % 1_000_000L);
    for (int i = frac.length(); i < 6; i++) {
      sb.append('0');
    }
    return sb.append(frac).append("] ").append(text).toString();
  }

  /** The message text of a log line, without its time stamp and caller prefix. */
  static String messageText(String line) {
    return PREFIX.matcher(line).replaceFirst("");
  }

  private void line(String l, long now, List<CutReport> out) {
    lines++;
    history.add(l);
    historyChars += l.length() + 1;
    String text = messageText(l);
    String stripped = text.strip();
    if (!open) {
      while (history.size() > MAX_CONTEXT_LINES || historyChars > MAX_CONTEXT_CHARS) {
        historyChars -= history.remove(0).length() + 1;
      }
      ReportKinds.Match m = ReportKinds.match(stripped, 0);
      if (m != null) {
        open = true;
        strong = m.kind().role() != ReportRole.TENTATIVE;
        atEnd = false;
        lastReportNanos = now;
      }
      return;
    }
    if (stripped.startsWith("---[ end Kernel panic")) {
      cut(false, "end of kernel panic", out);
      return;
    }
    if (PANIC_REBOOT.matcher(stripped).matches()) {
      cut(false, "kernel panic, rebooting", out);
      return;
    }
    ReportKinds.Match m = ReportKinds.match(stripped, 0);
    if (m != null || REPORT_LINE.matcher(text).find()) {
      lastReportNanos = now;
      atEnd = isEnd(stripped);
      if ((m != null && m.kind().role() != ReportRole.TENTATIVE)
          || stripped.startsWith("Call Trace:")
          || stripped.startsWith("Call trace:")) {
        strong = true;
      }
    }
    if (history.size() > MAX_REPORT_LINES || historyChars > MAX_REPORT_CHARS) {
      cut(
          true,
          "report longer than "
              + MAX_REPORT_LINES
              + " lines or "
              + (MAX_REPORT_CHARS >> 20)
              + " MiB",
          out);
    }
  }

  private void cut(boolean partial, String why, List<CutReport> out) {
    StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE, historyChars));
    for (String l : history) {
      sb.append(l).append('\n');
    }
    history.clear();
    historyChars = 0;
    boolean report = strong;
    open = false;
    strong = false;
    atEnd = false;
    if (report) {
      out.add(new CutReport(sender, host, release, sb.toString(), partial, why));
    }
  }

  /**
   * Acts on time passing: joins a dangling line, drops stale fragments, cuts a report that ended
   * (after {@code settleNanos}) or whose sender went silent (after {@code silenceNanos}).
   */
  List<CutReport> sweep(long now, long settleNanos, long silenceNanos) {
    List<CutReport> out = new ArrayList<>(0);
    long quiet = now - lastPacketNanos;
    if (partialLine.length() > 0 && quiet >= settleNanos) {
      flushLine(now, out);
    }
    fragments.values().removeIf(f -> now - f.firstNanos >= silenceNanos);
    if (open) {
      if (atEnd && now - lastReportNanos >= settleNanos) {
        cut(false, "report ended", out);
      } else if (!atEnd && quiet >= silenceNanos) {
        cut(true, "sender silent mid-report for " + silenceNanos / 1_000_000_000L + " s", out);
      } else if (!atEnd && now - lastReportNanos >= silenceNanos) {
        cut(false, "no report line for " + silenceNanos / 1_000_000_000L + " s", out);
      }
    }
    return out;
  }

  /**
   * Whether a report line is one a report may end with: the oops end marker ({@code
   * print_oops_end_marker()}), the close of a stack dump ({@code </TASK>}), or the last lines of an
   * x86 die ({@code Modules linked in:} from {@code print_modules()}, then {@code CR2:}). A machine
   * with kdump loaded says nothing after those: {@code oops_end()} in {@code
   * arch/x86/kernel/dumpstack.c} calls {@code crash_kexec()} before {@code oops_exit()} would print
   * the end marker, and {@code panic()} kexecs before its own end line. A later body line (arm64
   * prints its modules before the registers) clears it again.
   */
  static boolean isEnd(String stripped) {
    return stripped.startsWith("---[ end trace")
        || stripped.equals("</TASK>")
        || stripped.startsWith("Modules linked in:")
        || stripped.startsWith("CR2: ");
  }

  /** Cuts what is open as PARTIAL (the receiver is stopping). */
  List<CutReport> stop() {
    List<CutReport> out = new ArrayList<>(0);
    if (open) {
      cut(true, "receiver stopping", out);
    }
    return out;
  }

  /** Whether a report is open (the sender is not forgotten then). */
  boolean reportOpen() {
    return open;
  }
}
