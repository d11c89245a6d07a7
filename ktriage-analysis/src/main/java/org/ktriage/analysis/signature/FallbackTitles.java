package org.ktriage.analysis.signature;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.signature.TitleRules.StackSpec;
import org.ktriage.model.kind.CloneSuffixes;
import org.ktriage.model.kind.ReportKinds;

/**
 * Titles for what the kernel reported but syzkaller's rules do not title, so that every report
 * found gets one that says what happened: a kind the title table does not list (the OOM killer's
 * report, a bare die() {@code Oops:} line whose first line was lost, a trap) and a call trace with
 * no report header at all (a trace pasted alone into a ticket or a commit message). The function is
 * the faulting program counter when a {@code RIP:}/{@code pc :}/{@code NIP} line shows it, else the
 * first frame of the trace that is not a reporting or helper frame (the title table's skip list).
 */
final class FallbackTitles {
  /** The title of a trace without report header. */
  static final String TRACE = "call trace";

  /** Frames a trace without header must show, as ingest requires of a headerless report. */
  private static final int TRACE_MIN_FRAMES = 2;

  /**
   * Title heads of the report families syzkaller does not title, and whether a function follows.
   * The OOM report's stack is the allocation that failed, not a fault site: no function.
   */
  private record Head(String text, boolean withFrame) {}

  private static final Map<String, Head> HEADS =
      Map.of(
          // mm/oom_kill.c dump_header(): "<comm> invoked oom-killer: gfp_mask=…"
          "oom", new Head("out of memory", false),
          // arch die(): "Oops: 0000 [#1] SMP", the line naming the fault not shown
          "oops", new Head("Oops", true),
          // x86 do_trap()/die() for the other traps: "stack segment: 0000", "int3: 0000"
          "trap", new Head("kernel trap", true),
          // the hard-lockup detector (kernel/watchdog_hld.c): the stuck CPU spins in whatever it
          // was doing, so no function is named (as the powerpc watchdog's kind says)
          "hard-lockup", new Head("watchdog: hard LOCKUP", false),
          // a stall warning whose headline was lost, opened by a stalled CPU's line
          // (kernel/rcu/tree_stall.h print_cpu_stall_info): titled as syzkaller titles a stall
          "rcu-stall", new Head("INFO: rcu detected stall", true));

  private final TitleRules rules;
  private final StackFrames stackFrames;

  FallbackTitles(TitleRules rules, StackFrames stackFrames) {
    this.rules = rules;
    this.stackFrames = stackFrames;
  }

  /**
   * The fallback title of the lines, or null when they hold neither a header nor a trace; the
   * function is {@code primaryFunction} when given.
   */
  @Nullable CrashTitle title(
      List<String> text, List<String> context, @Nullable String primaryFunction) {
    for (int i = 0; i < text.size(); i++) {
      String line = text.get(i);
      ReportKinds.Match m = ReportKinds.match(line, firstNonBlank(line));
      if (m == null) {
        continue;
      }
      Head head = HEADS.get(m.kind().family());
      if (head == null) {
        return null;
      }
      String frame =
          head.withFrame() ? frame(text, context, i, primaryFunction, rules.fallbackStack) : "";
      return titled(head.text(), frame);
    }
    for (int i = 0; i < text.size(); i++) {
      String line = text.get(i);
      if ((rules.callTrace.matcher(line).find() || rules.rip.matcher(line).find())
          && framesAfter(text, i) >= TRACE_MIN_FRAMES) {
        return titled(TRACE, frame(text, context, i, primaryFunction, rules.fallbackStack));
      }
    }
    for (int i = 0; i + 1 < text.size(); i++) {
      // frames with no heading at all (a trace pasted alone): func+0xoff/0xsize on two lines in a
      // row, as show_stack() prints each frame
      if (SYMBOL_OFFSET.matcher(text.get(i)).find()
          && SYMBOL_OFFSET.matcher(text.get(i + 1)).find()) {
        return titled(TRACE, frame(text, context, i, primaryFunction, rules.fallbackBareStack));
      }
    }
    return null;
  }

  /** A frame's {@code func+0xoff/0xsize} (printk's %pS). */
  private static final java.util.regex.Pattern SYMBOL_OFFSET =
      java.util.regex.Pattern.compile(
          "^[\\s?]*(?:\\[<?[0-9a-fx]+>?\\] *)*\\(?[A-Za-z_][\\w.]*\\+0x[0-9a-f]+/0x[0-9a-f]+");

  private CrashTitle titled(String head, String frame) {
    String title = frame.isEmpty() ? head : head + " in " + frame;
    return new CrashTitle(title, List.of(), false, "", frame);
  }

  /** The report's function: the lines of the header's context from {@code start}. */
  private String frame(
      List<String> text,
      List<String> context,
      int start,
      @Nullable String primaryFunction,
      StackSpec spec) {
    if (primaryFunction != null && !primaryFunction.isEmpty()) {
      // a title names the function without its compiler suffix (.isra.0, .cold), as {{FUNC}} does
      return CloneSuffixes.strip(primaryFunction);
    }
    String ctx = context.get(start);
    StringBuilder sb = new StringBuilder();
    for (int j = start; j < text.size(); j++) {
      if (context.get(j).equals(ctx)) {
        sb.append(text.get(j)).append('\n');
      }
    }
    StackFrames.Result r = stackFrames.extract(spec, sb.toString(), null);
    if (!r.ok() || r.frames().isEmpty()) {
      return "";
    }
    return r.frames().get(0).canonical();
  }

  private int framesAfter(List<String> text, int start) {
    int n = 0;
    for (int j = start + 1; j < text.size() && j <= start + 40; j++) {
      if (StackFrames.matchesAny(rules.frameLines, text.get(j))) {
        n++;
      }
    }
    return n;
  }

  private static int firstNonBlank(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
