package org.ktriage.analysis.signature;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.CrashReport;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;

/**
 * Gives a crash its syzbot-compatible title: entry point of the title engine.
 *
 * <p>The kernel log is read as syzkaller reads a console: each record's printk caller id (or the
 * mere presence of a timestamp) is its context, and only the context of the first report's header
 * line contributes to the title.
 */
public final class CrashTitles {
  private static final CrashTitles DEFAULT = new CrashTitles();

  private static final Pattern GLUED_PREFIX =
      Pattern.compile(
          "(?:\\*\\* [0-9]+ printk messages dropped \\*\\* )?(?:.* login: )?(?:<[0-9]+>)?"
              + "\\[ *[0-9]+\\.[0-9]+\\](\\[ *(?:C|T)[0-9]+\\])? ");

  /**
   * A syslog line's time, host and a tag other than the kernel's ({@code Mar 16 23:28:08 host
   * gnome-session[1443]: }): ingest keeps it on lines it does not read as the kernel's.
   */
  private static final Pattern OTHER_PROGRAM =
      Pattern.compile(
          "(?:[A-Z][a-z]{2} +[0-9]{1,2} [0-9]{2}:[0-9]{2}:[0-9]{2}"
              + "|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})\\S* \\S+"
              + " (?!kernel\\b)[\\w.@/-]+(?:\\[[0-9]+\\])?: ");

  private final TitleEngine engine = new TitleEngine(TitleRules.get());

  private CrashTitles() {}

  /** The title of the first crash in the report's log, or null when it shows no crash. */
  public static @Nullable CrashTitle of(CrashReport report) {
    return of(report, null);
  }

  /**
   * The title of the first crash in the report's log, or null when it shows no crash; a report
   * syzkaller's rules do not title is titled with {@code primaryFunction} when it is known (the
   * function analysis blamed), so that title and primary agree.
   */
  public static @Nullable CrashTitle of(CrashReport report, @Nullable String primaryFunction) {
    CrashTitle title = ofLog(report.log(), primaryFunction);
    if (title == null && report.log().isEmpty() && !report.oopses().isEmpty()) {
      List<LogRecord> lines = new ArrayList<>();
      for (Oops oops : report.oopses()) {
        lines.addAll(oops.lines());
      }
      title = ofLog(lines, primaryFunction);
    }
    PanicInfo panic = report.panic();
    if (title == null && panic != null) {
      // a crash session's sys or a dump's panic string, with no log to read: the message the
      // kernel panicked with is the report's one line (crash's "PANIC:" field)
      title = ofLines(List.of(panic.message()), primaryFunction);
    }
    return title;
  }

  private static @Nullable CrashTitle ofLines(
      List<String> lines, @Nullable String primaryFunction) {
    List<String> text = new ArrayList<>(lines);
    List<String> context = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      context.add("");
    }
    return DEFAULT.engine.title(text, context, primaryFunction);
  }

  /** The title of the first crash in these log records, or null when they show no crash. */
  public static @Nullable CrashTitle ofLog(List<LogRecord> log) {
    return ofLog(log, null);
  }

  private static @Nullable CrashTitle ofLog(List<LogRecord> log, @Nullable String primaryFunction) {
    List<String> text = new ArrayList<>(log.size());
    List<String> context = new ArrayList<>(log.size());
    for (LogRecord r : log) {
      Matcher m = r.timestampNanos() == null ? GLUED_PREFIX.matcher(r.text()) : null;
      if (r.timestampNanos() == null && OTHER_PROGRAM.matcher(r.text()).lookingAt()) {
        // a syslog line another program logged (ingest takes the kernel's tag off its lines):
        // its "WARNING:" or "BUG:" is that program's word, not a kernel report
        text.add("");
        context.add("");
      } else if (m != null && m.lookingAt()) {
        // A console prefix the reader did not recognise because something was glued before it
        // ("syzkaller login: [ 1.2] BUG: ..."): read it as syzkaller does.
        String caller = m.group(1);
        text.add(r.text().substring(r.text().indexOf("] ") + 2));
        context.add(caller == null ? TitleEngine.CONSOLE : caller.replaceAll("[\\[\\] ]", ""));
      } else {
        text.add(untab(r.text()));
        context.add(contextOf(r));
      }
    }
    unwrapHeaders(text, context);
    return DEFAULT.engine.title(text, context, primaryFunction);
  }

  /** A word a wrapped line may end with: lower case, not a hex number. */
  private static final Pattern OPEN_WORD = Pattern.compile("[a-z_]*[g-z][a-z_]*");

  /** The start of a wrapped line's rest: a lower-case word, a path or a number, not a field. */
  private static final Pattern CONTINUATION = Pattern.compile("\\s*[a-z0-9][^=]*");

  /** A header's symbolized inline expansion: {@code … in func file.h:NN [inline]}. */
  private static final Pattern INLINE_HEADER =
      Pattern.compile("(.* in )\\S+ \\S+:[0-9]+ \\[inline\\]$");

  /**
   * Undoes what a paste did to a report's header line before titling it: the kernel prints a header
   * on one line, but a commit message or an e-mail wraps it ({@code BUG: sleeping function called
   * from invalid context at} / {@code include/linux/sched/mm.h:274}; {@code Unable to handle kernel
   * write to read-only memory at virtual address} / {@code ffff0001221cf000}), sometimes with a
   * {@code \} at the break; and a symbolizer ({@code decode_stacktrace.sh}, syzkaller's) repeats a
   * sanitizer's header once per function inlined into the faulting one ({@code BUG: KASAN:
   * use-after-free in nf_hook_entries_get_hook_ops include/linux/netfilter.h:130 [inline]}), the
   * last line being the header the kernel printed. Only lines without printk's time are joined: a
   * console never wraps.
   */
  private static void unwrapHeaders(List<String> text, List<String> context) {
    for (int i = 0; i + 1 < text.size(); i++) {
      String line = text.get(i);
      String next = text.get(i + 1);
      if (line.endsWith("[inline]")) {
        Matcher inline = INLINE_HEADER.matcher(line);
        if (inline.matches()
            && next.startsWith(inline.group(1))
            && DEFAULT.engine.hasHeader(line)) {
          text.remove(i);
          context.remove(i);
          i--;
          continue;
        }
      }
      if (!context.get(i).isEmpty() || !context.get(i + 1).isEmpty()) {
        continue;
      }
      String head = line.stripTrailing();
      boolean backslash = head.endsWith(" \\");
      boolean wrapped =
          backslash
              || (head.strip().length() >= 50
                  && OPEN_WORD.matcher(head.substring(head.lastIndexOf(' ') + 1)).matches()
                  && CONTINUATION.matcher(next).matches());
      if (!wrapped || DEFAULT.engine.hasHeader(next)) {
        continue;
      }
      if (backslash) {
        head = head.substring(0, head.length() - 1).stripTrailing();
      }
      String joined = head + " " + next.strip();
      if (DEFAULT.engine.hasHeader(joined)) {
        text.set(i, joined);
        text.remove(i + 1);
        context.remove(i + 1);
      }
    }
  }

  /**
   * Leading tabs read as blanks: a report pasted tab-indented into a ticket or a commit message
   * (the kernel indents with blanks only, so the frame patterns expect them).
   */
  private static String untab(String text) {
    if (text.isEmpty() || text.charAt(0) != '\t') {
      return text;
    }
    int i = 0;
    while (i < text.length() && (text.charAt(i) == '\t' || text.charAt(i) == ' ')) {
      i++;
    }
    return text.substring(i);
  }

  /** syzkaller's crash type for a title (empty when unknown). */
  public static String typeOf(String title) {
    return DEFAULT.engine.type(title);
  }

  /** Applies title normalization (addresses, numbers, line numbers, offsets, length cap). */
  public static String normalize(String title) {
    return DEFAULT.engine.normalize(title);
  }

  private static String contextOf(LogRecord r) {
    String caller = r.callerId();
    if (caller != null && !caller.isBlank()) {
      return caller.strip();
    }
    return r.timestampNanos() != null ? TitleEngine.CONSOLE : "";
  }
}
