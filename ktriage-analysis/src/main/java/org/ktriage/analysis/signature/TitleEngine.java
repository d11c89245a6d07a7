package org.ktriage.analysis.signature;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.signature.StackFrames.Guilty;
import org.ktriage.analysis.signature.TitleRules.Format;
import org.ktriage.analysis.signature.TitleRules.OopsRule;
import org.ktriage.analysis.text.RequiredLiteral;

/**
 * Finds the first report in a console log and titles it the way syzbot does: the earliest line with
 * an oops header starts the report, lines of the same printk caller are collected, the
 * earliest-matching format of that header builds the title from captures and guilty frames, and the
 * title is normalized. Console lines are given as message text plus a context: the printk caller id
 * ({@code T123}/{@code C1}), {@code console} for a timestamp without caller id, or empty for a line
 * without timestamp.
 */
final class TitleEngine {
  static final String CONSOLE = "console";
  private static final String NO_FRAMES = "extracted no frames";
  private static final Pattern TIMESTAMP_IN_TITLE = Pattern.compile("\\[ *[0-9]+\\.[0-9]+\\]");
  private static final Pattern FRAME_OF_TITLE =
      Pattern.compile(".* in ((?:<[a-zA-Z0-9_: ]+>)?[a-zA-Z0-9_:]+)");
  private static final String GCE_HANGUP = "serialport: VM disconnected.";

  private final TitleRules rules;
  private final StackFrames stackFrames;
  private final FallbackTitles fallback;

  /** The oops headers and info messages with a stack of each line, found in one pass. */
  private final TitleMarkers markers;

  TitleEngine(TitleRules rules) {
    this.rules = rules;
    this.stackFrames = new StackFrames(rules);
    this.fallback = new FallbackTitles(rules, stackFrames);
    this.markers = new TitleMarkers(rules);
  }

  /**
   * The title of the first report in the lines, or null when they show no crash; a report that
   * syzkaller's rules do not title gets a {@link FallbackTitles fallback title}.
   */
  @Nullable CrashTitle title(
      List<String> text, List<String> context, @Nullable String primaryFunction) {
    CrashTitle t = syzkallerTitle(text, context, primaryFunction);
    return t != null ? t : fallback.title(text, context, primaryFunction);
  }

  private @Nullable CrashTitle syzkallerTitle(
      List<String> text, List<String> context, @Nullable String primaryFunction) {
    TitleMarkers.Lines marks = markers.of(text);
    int start = -1;
    OopsRule oops = null;
    for (int i = 0; i < text.size() && oops == null; i++) {
      if (marks.oops[i] >= 0) {
        oops = rules.oopses.get(marks.oops[i]);
        start = i;
      }
    }
    if (oops == null) {
      return null;
    }
    String ctx = context.get(start);
    Extracted report = collectReport(text, context, marks, start, ctx);
    Description d = describe(report.text.substring(0, report.end), oops, primaryFunction);
    String kept = keptContext(context, start, d);
    if (kept != null) {
      // The header line lost its printk prefix in a paste while the lines after it kept theirs:
      // the report is the lines of their context, as the kernel printed them together.
      Extracted again = collectReport(text, context, marks, start, kept);
      Description d2 = describe(again.text.substring(0, again.end), oops, primaryFunction);
      if (d2 != null && d2.corrupted == null) {
        report = again;
        d = d2;
      }
    }
    String reportText = report.text;
    if (d == null) {
      StringBuilder raw = new StringBuilder();
      for (int i = start; i <= report.lastHeader; i++) {
        raw.append(text.get(i)).append('\n');
      }
      reportText = raw.toString();
      d = describe(reportText, oops, primaryFunction);
      if (d == null) {
        d = new Description(text.get(start), List.of(), null, null);
      }
    }
    boolean corrupted = d.corrupted != null || isCorrupted(d.title, reportText, d.format);
    if (!corrupted) {
      for (String line : text) {
        if (line.contains(GCE_HANGUP)) {
          corrupted = true;
          break;
        }
      }
    }
    String title = normalize(d.title);
    List<String> alts = new ArrayList<>(d.alts.size());
    for (String alt : d.alts) {
      alts.add(normalize(alt));
    }
    Matcher fm = FRAME_OF_TITLE.matcher(title);
    String frame = fm.lookingAt() ? fm.group(1) : "";
    return new CrashTitle(title, alts, corrupted, type(title), frame);
  }

  /**
   * The context of the line after the header when the header line has none (no timestamp) and its
   * own context gave no whole title: a header whose timestamp a paste lost, above the lines of the
   * same report that kept theirs (x86 {@code show_fault_oops()} prints the header and the {@code
   * IP:}/{@code RIP:} lines in one go). Null otherwise.
   */
  private static @Nullable String keptContext(
      List<String> context, int start, @Nullable Description d) {
    if (!context.get(start).isEmpty() || (d != null && d.corrupted == null)) {
      return null;
    }
    if (start + 1 >= context.size() || context.get(start + 1).isEmpty()) {
      return null;
    }
    return context.get(start + 1);
  }

  /** Whether the line holds an oops header syzkaller's rules know. */
  boolean hasHeader(String line) {
    for (OopsRule o : rules.oopses) {
      if (matchesOops(line, o)) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesOops(String line, OopsRule oops) {
    return line.contains(oops.header()) && !StackFrames.matchesAny(oops.suppress(), line);
  }

  private record Extracted(String text, int end, int lastHeader) {}

  /** Collects the report's lines: same context as the header, tails of follow-on reports cut. */
  private Extracted collectReport(
      List<String> text, List<String> context, TitleMarkers.Lines marks, int start, String ctx) {
    StringBuilder report = new StringBuilder();
    int reportEnd = 0;
    int secondReport = -1;
    int lastHeader = start;
    int textLines = 0;
    boolean skipText = false;
    boolean cpuTraceback = false;
    int minLines = text.get(start).contains("BUG: KMSAN:") ? 16 : 22;
    boolean realContext = !ctx.isEmpty() && !ctx.equals(CONSOLE);
    for (int i = start; i < text.size(); i++) {
      String line = text.get(i);
      String ctx1 = context.get(i);
      boolean questionable = !ctx1.isEmpty() && isQuestionable(line);
      boolean isOopsLine = i == start;
      boolean anyHeader = marks.oops[i] >= 0;
      if (anyHeader) {
        lastHeader = i;
      }
      if (!isOopsLine && secondReport < 0) {
        if (anyHeader && !StackFrames.matchesAny(rules.reportStartIgnores, line)) {
          secondReport = i;
        } else if (marks.info[i]) {
          secondReport = i;
        }
      }
      if (!isOopsLine
          && (questionable || (!ctx1.equals(ctx) && (!cpuTraceback || !ctx1.startsWith("C"))))) {
        continue;
      }
      textLines++;
      boolean skipLine = skipText;
      if (line.contains("Disabling lock debugging due to kernel taint")) {
        skipLine = true;
      } else if (line.contains("Sending NMI from CPU")) {
        // An all-CPU backtrace follows: keep the other CPUs' lines.
        cpuTraceback = true;
      } else if ((line.contains("Kernel panic - not syncing")
              || line.contains("WARNING: possible circular locking dependency detected"))
          && textLines > minLines) {
        // panic_on_warn's panic, or a lockdep splat provoked by printing the oops: not the bug.
        skipText = true;
        skipLine = true;
      }
      if (!isOopsLine && skipLine) {
        continue;
      }
      report.append(line).append('\n');
      if (secondReport < 0 || realContext) {
        reportEnd = report.length();
      }
    }
    return new Extracted(report.toString(), reportEnd, lastHeader);
  }

  private static boolean isQuestionable(String line) {
    if (line.contains("<EOI>")) {
      return false;
    }
    return line.contains(" ? ") || line.startsWith("? ") || line.endsWith(" (unreliable)");
  }

  private record Description(
      String title, List<String> alts, @Nullable String corrupted, @Nullable Format format) {}

  /**
   * Picks the format matching earliest and builds title and alternative titles; {@code
   * primaryFunction} is the function analysis blamed, named when only a relaxed reading of the
   * stack found frames and it is one of them (see {@link StackFrames}).
   */
  private @Nullable Description describe(
      String out, OopsRule oops, @Nullable String primaryFunction) {
    int startPos = out.length();
    String desc = null;
    String corrupted = null;
    Format format = null;
    boolean matchedTitle = false;
    List<String> alts = new ArrayList<>();
    for (Format f : oops.formats()) {
      // a report without the format's required literal gives it no match: no regex search
      if (!RequiredLiteral.mayMatch(f.title(), out)) {
        continue;
      }
      Matcher tm = f.title().matcher(out);
      if (!tm.find() || tm.start() > startPos) {
        continue;
      }
      if (tm.start() == startPos && desc != null) {
        continue;
      }
      if (tm.start() < startPos) {
        desc = null;
        format = null;
        startPos = tm.start();
      }
      matchedTitle = true;
      MatchResult match = tm;
      if (f.report() != null) {
        Matcher rm = f.report().matcher(out);
        if (!rm.find()) {
          continue;
        }
        match = rm;
      }
      List<String> prefixArgs = groups(match);
      List<Guilty> frames = List.of();
      corrupted = null;
      if (f.stack() != null) {
        StackFrames.Result r =
            stackFrames.extract(f.stack(), out.substring(match.start()), primaryFunction);
        frames = r.frames();
        if (!r.ok()) {
          corrupted = NO_FRAMES;
        }
      }
      List<String> args = new ArrayList<>(prefixArgs);
      for (Guilty g : frames) {
        args.add(g.canonical());
      }
      desc = fill(f.template(), args);
      for (String alt : f.alt()) {
        alts.add(fill(alt, args));
      }
      alts.addAll(rawFrameVariants(f, prefixArgs, frames, desc));
      alts = new ArrayList<>(new LinkedHashSet<>(alts));
      format = f;
    }
    if (desc == null) {
      if (matchedTitle) {
        corrupted = "matched title but not report regexp";
      }
      int pos = out.indexOf(oops.header());
      if (pos < 0) {
        return null;
      }
      int end = out.indexOf('\n', pos);
      desc = out.substring(pos, end < 0 ? out.length() : end);
    }
    if (corrupted == null && format != null && format.corrupted()) {
      corrupted = "report format is marked as corrupted";
    }
    return new Description(desc, alts, corrupted, format);
  }

  /** A match's groups, an empty string for a group that took no part. */
  private static List<String> groups(MatchResult match) {
    List<String> out = new ArrayList<>();
    for (int g = 1; g <= match.groupCount(); g++) {
      String s = match.group(g);
      out.add(s == null ? "" : s);
    }
    return out;
  }

  /**
   * Alternative titles with the frames as printed and with one syscall prefix removed: they help
   * merge reports of one bug from different architectures.
   */
  private List<String> rawFrameVariants(
      Format f, List<String> prefixArgs, List<Guilty> frames, String desc) {
    List<String> alts = new ArrayList<>();
    for (int i = 0; i <= rules.stripPrefixes.size(); i++) {
      String strip = i == 0 ? "" : rules.stripPrefixes.get(i - 1);
      boolean add = i == 0;
      List<String> variant = new ArrayList<>(prefixArgs);
      for (Guilty g : frames) {
        String trimmed = g.raw().startsWith(strip) ? g.raw().substring(strip.length()) : g.raw();
        if (!trimmed.equals(g.raw())) {
          add = true;
        }
        variant.add(trimmed);
      }
      if (!add) {
        continue;
      }
      String altTitle = fill(f.template(), variant);
      if (!altTitle.equals(desc)) {
        alts.add(altTitle);
      }
      for (String alt : f.alt()) {
        alts.add(fill(alt, variant));
      }
    }
    return alts;
  }

  /** Replaces {@code {N}} with the N-th argument (1-based). */
  static String fill(String template, List<String> args) {
    StringBuilder sb = new StringBuilder(template.length() + 32);
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      int close = c == '{' ? template.indexOf('}', i) : -1;
      if (close > i + 1 && isDigits(template, i + 1, close)) {
        int n = Integer.parseInt(template.substring(i + 1, close));
        sb.append(n >= 1 && n <= args.size() ? args.get(n - 1) : "%!v(BADINDEX)");
        i = close;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** True when the report looks truncated or intermixed (see the corruption rules). */
  private boolean isCorrupted(String title, String report, @Nullable Format format) {
    if (TIMESTAMP_IN_TITLE.matcher(title).find()) {
      return true;
    }
    if (format == null || format.noStackTrace()) {
      return false;
    }
    List<Pattern> markers = new ArrayList<>(rules.stackStarts);
    markers.add(rules.riscvStackStart);
    boolean hasStackTrace = false;
    for (Pattern key : markers) {
      Matcher m = key.matcher(report);
      if (!m.find()) {
        continue;
      }
      List<String> frames = linesFrom(report, m.start(), 17);
      if (frames.size() < 4) {
        return true;
      }
      boolean corrupted = true;
      outer:
      for (int i = 1; i < 16 && i < frames.size(); i++) {
        String line = frames.get(i);
        for (Pattern key1 : markers) {
          if (key1.matcher(line).find()) {
            break outer;
          }
        }
        if (line.contains("(stack is not available)")
            || StackFrames.matchesAny(rules.frameLines, line)) {
          hasStackTrace = true;
          corrupted = false;
          break;
        }
      }
      if (key != rules.riscvStackStart && corrupted) {
        return true;
      }
    }
    return !hasStackTrace;
  }

  /** Up to {@code max} lines of {@code text} starting at offset {@code from}. */
  private static List<String> linesFrom(String text, int from, int max) {
    List<String> out = new ArrayList<>(max);
    int pos = from;
    while (out.size() < max) {
      int nl = text.indexOf('\n', pos);
      if (nl < 0) {
        out.add(text.substring(pos));
        break;
      }
      out.add(text.substring(pos, nl));
      pos = nl + 1;
    }
    return out;
  }

  /** Title normalization: dynamic parts replaced, then cut to 120 chars of printable ASCII. */
  String normalize(String title) {
    String s = title;
    for (TitleRules.Replacement r : rules.titleReplacements) {
      while (true) {
        String next = r.match().matcher(s).replaceAll(r.replacement());
        if (next.equals(s)) {
          break;
        }
        s = next;
      }
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 120));
    char prev = ' ';
    for (int i = 0; i < s.length() && i < 120; i++) {
      char ch = s.charAt(i);
      if (ch == '\t') {
        ch = ' ';
      } else if (ch < 0x20 || ch >= 0x7f) {
        continue;
      }
      if (ch == ' ' && prev == ' ') {
        continue;
      }
      sb.append(ch);
      prev = ch;
    }
    return sb.toString().trim();
  }

  /** syzkaller's crash type of a final title; empty when unknown. */
  String type(String title) {
    for (TitleRules.TypeRule t : rules.types) {
      for (String prefix : t.prefixes()) {
        if (title.startsWith(prefix)) {
          return t.type();
        }
      }
    }
    return "";
  }
}
