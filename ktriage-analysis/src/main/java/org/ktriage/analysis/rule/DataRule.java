package org.ktriage.analysis.rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.order.ReportView;
import org.ktriage.analysis.text.RequiredLiteral;
import org.ktriage.model.AddressKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.Evidence;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;
import org.ktriage.model.StackSegment;
import org.ktriage.model.Taint;

/** The engine of data rules: evaluates a {@link Condition} against {@link CrashFacts}. */
public final class DataRule {

  /** Log lines searched by a rule (reports keep their own lines; logs are bounded by readers). */
  static final int MAX_LOG_LINES = 200_000;

  private DataRule() {}

  /** The hit of the condition on the first failure, or null. */
  public static @Nullable Hit evaluate(Condition c, double confidence, CrashFacts f) {
    return evaluate(c, confidence, f, true);
  }

  /**
   * The hit of the condition, or null; {@code first} tells whether the facts' primary is the first
   * failure or a later report of the incident ({@link
   * org.ktriage.analysis.order.CauseOrder#laterReports}).
   */
  public static @Nullable Hit evaluate(
      Condition c, double confidence, CrashFacts f, boolean first) {
    return evaluate(c, confidence, f, first, null);
  }

  /**
   * The same, the log patterns searched only on the lines that hold their required literal as
   * {@code scan} (the rule book's one pass over the facts' log) found them.
   */
  static @Nullable Hit evaluate(
      Condition c,
      double confidence,
      CrashFacts f,
      boolean first,
      LogLiterals.@Nullable Scan scan) {
    Map<String, String> values = new LinkedHashMap<>();
    List<Evidence> evidence = new ArrayList<>();
    if (!holds(c, f, values, evidence, scan)) {
      return null;
    }
    if (c.not() != null && holds(c.not(), f, new LinkedHashMap<>(), new ArrayList<>(), scan)) {
      return null;
    }
    Primary p = f.primary();
    if (p != null) {
      evidence.add(
          new Evidence(
              (first ? "first failure: " : "later failure: ")
                  + p.failureClass().id()
                  + " at "
                  + p.where()
                  + " ("
                  + p.context().id()
                  + (p.cpu() == null ? "" : ", CPU " + p.cpu())
                  + ")",
              p.source()));
    }
    if (!c.triggers().isEmpty() || !c.anyClasses().isEmpty()) {
      String tw = f.triggerWhere();
      evidence.add(
          new Evidence(
              "trigger: " + f.trigger().id() + (tw == null ? "" : " (" + tw + ")"),
              f.report().panic() == null ? null : f.report().panic().source()));
    }
    List<String> missing = new ArrayList<>();
    if (p == null || p.site() == null) {
      missing.add("the failing context's registers (RIP block or crash> bt exception frame)");
      confidence *= 0.9;
    }
    return new Hit(values, evidence, confidence, missing);
  }

  private static boolean holds(
      Condition c,
      CrashFacts f,
      Map<String, String> values,
      List<Evidence> evidence,
      LogLiterals.@Nullable Scan scan) {
    Primary p = f.primary();
    if (!c.classes().isEmpty() && !c.classes().contains(f.primaryClass().id())) {
      return false;
    }
    if (!c.triggers().isEmpty() && !c.triggers().contains(f.trigger().id())) {
      return false;
    }
    if (!c.anyClasses().isEmpty()) {
      boolean any =
          c.anyClasses().contains(f.primaryClass().id())
              || c.anyClasses().contains(f.trigger().id());
      for (ReportView v : f.reports()) {
        any |= c.anyClasses().contains(v.failureClass().id());
      }
      if (!any) {
        return false;
      }
    }
    if (!c.contexts().isEmpty() && (p == null || !c.contexts().contains(p.context().id()))) {
      return false;
    }
    if (!c.addressKinds().isEmpty()) {
      AddressKind k = p == null ? null : p.addressKind();
      if (k == null || !c.addressKinds().contains(k.id())) {
        return false;
      }
    }
    if (!c.registerKinds().isEmpty()) {
      ExceptionFrame e = p == null || p.site() == null ? null : p.site().frame();
      if (e == null) {
        return false;
      }
      boolean found = false;
      for (Map.Entry<String, Long> r : e.registers().values().entrySet()) {
        if (r.getKey().equals("RIP") || r.getKey().equals("PC")) {
          continue;
        }
        AddressKind k = f.addresses().classify(r.getValue());
        if (c.registerKinds().contains(k.id())) {
          values.putIfAbsent("register", r.getKey());
          values.putIfAbsent("registerValue", String.format("%016x", r.getValue()));
          evidence.add(
              new Evidence(
                  r.getKey() + ": " + String.format("%016x", r.getValue()) + " (" + k.id() + ")",
                  e.source()));
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    if (c.taint() != null && !tainted(f, c.taint(), values)) {
      return false;
    }
    if (c.module() != null && !moduleInvolved(f, c.module(), values, evidence)) {
      return false;
    }
    if (!c.frames().isEmpty() && !framesMatch(f, c.frames(), values, evidence)) {
      return false;
    }
    if (!c.log().isEmpty()
        && !(scan == null
            ? logMatches(f, c.log(), values, evidence)
            : logMatches(scan, c.log(), values, evidence))) {
      return false;
    }
    return true;
  }

  private static boolean logMatches(
      CrashFacts f, List<Pattern> patterns, Map<String, String> values, List<Evidence> evidence) {
    List<LogRecord> lines = f.logLines();
    int n = Math.min(lines.size(), MAX_LOG_LINES);
    // one matcher per pattern, reset for each line; a line without the pattern's required
    // literal is passed over without a regex search (RequiredLiteral)
    Matcher[] matchers = new Matcher[patterns.size()];
    for (int i = 0; i < n; i++) {
      LogRecord r = lines.get(i);
      String text = r.text();
      for (int k = 0; k < matchers.length; k++) {
        Pattern p = patterns.get(k);
        if (!RequiredLiteral.mayMatch(p, text)) {
          continue;
        }
        if (matchesLine(matchers, k, p, r, values, evidence)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The same search as {@link #logMatches(CrashFacts, List, Map, List)} (the first line, in log
   * order, where one of the patterns matches; on that line the first such pattern), each pattern
   * tried only on the lines the scan found its required literal in.
   */
  private static boolean logMatches(
      LogLiterals.Scan scan,
      List<Pattern> patterns,
      Map<String, String> values,
      List<Evidence> evidence) {
    List<LogRecord> lines = scan.lines();
    int n = Math.min(lines.size(), MAX_LOG_LINES);
    int k = patterns.size();
    int[][] candidates = new int[k][];
    int[] at = new int[k];
    boolean everyLine = false;
    for (int j = 0; j < k; j++) {
      int[] c = scan.candidates(patterns.get(j));
      if (c == null) {
        everyLine = true;
        c = ALL_LINES;
      }
      candidates[j] = c;
    }
    Matcher[] matchers = new Matcher[k];
    int i = everyLine ? 0 : nextCandidate(candidates, at, -1);
    while (i < n) {
      LogRecord r = lines.get(i);
      for (int j = 0; j < k; j++) {
        int[] c = candidates[j];
        if (c != ALL_LINES) {
          while (at[j] < c.length && c[at[j]] < i) {
            at[j]++;
          }
          if (at[j] == c.length || c[at[j]] != i) {
            continue;
          }
        }
        if (matchesLine(matchers, j, patterns.get(j), r, values, evidence)) {
          return true;
        }
      }
      i = everyLine ? i + 1 : nextCandidate(candidates, at, i);
    }
    return false;
  }

  /**
   * Searches one log line with pattern {@code p} through its reused matcher ({@code matchers[k]},
   * made on first use); on a match records the line and the pattern's named groups (first value
   * kept) and the line as evidence.
   */
  private static boolean matchesLine(
      Matcher[] matchers,
      int k,
      Pattern p,
      LogRecord r,
      Map<String, String> values,
      List<Evidence> evidence) {
    Matcher m = matchers[k];
    if (m == null) {
      m = p.matcher(r.text());
      matchers[k] = m;
    } else {
      m.reset(r.text());
    }
    if (!m.find()) {
      return false;
    }
    values.putIfAbsent("match", r.text().strip());
    for (String g : groupNames(p)) {
      String v = m.group(g);
      if (v != null) {
        values.putIfAbsent(g, v);
      }
    }
    evidence.add(new Evidence(r.text().strip(), r.source()));
    return true;
  }

  /** Marks a pattern that is tried on every line. */
  private static final int[] ALL_LINES = new int[0];

  /** The least candidate line after {@code after}, or {@link Integer#MAX_VALUE}. */
  private static int nextCandidate(int[][] candidates, int[] at, int after) {
    int least = Integer.MAX_VALUE;
    for (int j = 0; j < candidates.length; j++) {
      int[] c = candidates[j];
      while (at[j] < c.length && c[at[j]] <= after) {
        at[j]++;
      }
      if (at[j] < c.length) {
        least = Math.min(least, c[at[j]]);
      }
    }
    return least;
  }

  private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

  private static List<String> groupNames(Pattern p) {
    List<String> names = new ArrayList<>();
    Matcher m = GROUP_NAME.matcher(p.pattern());
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Frames of the primary failure's stack (its report's trace, else its CPU), innermost first. */
  public static List<Frame> primaryFrames(CrashFacts f) {
    List<Frame> out = new ArrayList<>();
    Primary p = f.primary();
    ReportView v = p == null ? null : p.report();
    if (v != null) {
      for (StackSegment s : v.oops().trace()) {
        out.addAll(s.frames());
      }
      return out;
    }
    Integer cpu = p == null ? null : p.cpu();
    for (CpuState c : f.report().cpus()) {
      if (cpu == null ? c.panicCpu() : c.cpu() == cpu) {
        for (StackSegment s : c.segments()) {
          out.addAll(s.frames());
        }
      }
    }
    if (out.isEmpty() && !f.reports().isEmpty()) {
      for (StackSegment s : f.reports().get(0).oops().trace()) {
        out.addAll(s.frames());
      }
    }
    return out;
  }

  private static boolean framesMatch(
      CrashFacts f, List<Pattern> patterns, Map<String, String> values, List<Evidence> evidence) {
    List<String> names = new ArrayList<>();
    List<Evidence> sources = new ArrayList<>();
    Primary p = f.primary();
    if (p != null && p.function() != null) {
      names.add(p.function());
      sources.add(new Evidence(p.where(), p.source()));
    }
    for (Frame fr : primaryFrames(f)) {
      if (fr.reliable()) {
        names.add(fr.function());
        sources.add(new Evidence(fr.where(), fr.source()));
      }
    }
    for (int i = 0; i < names.size(); i++) {
      for (Pattern pt : patterns) {
        if (pt.matcher(names.get(i)).find()) {
          values.putIfAbsent("frame", names.get(i));
          evidence.add(new Evidence("frame " + sources.get(i).text(), sources.get(i).source()));
          return true;
        }
      }
    }
    return false;
  }

  private static boolean tainted(CrashFacts f, String letters, Map<String, String> values) {
    List<Taint> taints = new ArrayList<>();
    if (f.report().kernel().taint() != null) {
      taints.add(f.report().kernel().taint());
    }
    for (ReportView v : f.reports()) {
      if (v.oops().taint() != null) {
        taints.add(v.oops().taint());
      }
    }
    for (Taint t : taints) {
      for (int i = 0; i < letters.length(); i++) {
        if (t.isTainted() && t.has(letters.charAt(i))) {
          values.putIfAbsent("taint", t.compact());
          return true;
        }
      }
    }
    return false;
  }

  /** Modules on the primary's stack (frames with {@code [mod]} and the failing function). */
  public static List<String> modulesInTrace(CrashFacts f) {
    List<String> mods = new ArrayList<>();
    Primary p = f.primary();
    if (p != null && p.module() != null) {
      mods.add(p.module());
    }
    for (Frame fr : primaryFrames(f)) {
      if (fr.module() != null && fr.reliable() && !mods.contains(fr.module())) {
        mods.add(fr.module());
      }
    }
    return mods;
  }

  private static boolean moduleInvolved(
      CrashFacts f, String mode, Map<String, String> values, List<Evidence> evidence) {
    List<String> inTrace = modulesInTrace(f);
    for (String m : inTrace) {
      if (mode.equals("in-trace")) {
        values.putIfAbsent("module", m);
        return true;
      }
      for (KernelModule km : f.modules()) {
        String flags = km.taintFlags();
        if (km.name().equals(m) && outOfTree(flags)) {
          values.putIfAbsent("module", m);
          values.putIfAbsent("moduleFlags", flags);
          values.putIfAbsent("who", "out-of-tree or unsigned module " + m + "(" + flags + ")");
          evidence.add(new Evidence("module " + m + "(" + flags + ") on the stack", km.source()));
          return true;
        }
      }
    }
    return mode.equals("out-of-tree") && outOfTreeByTaint(f, inTrace, values, evidence);
  }

  /**
   * Taint flags a module sets when loaded: O (TAINT_OOT_MODULE, no {@code intree} modinfo), E
   * (TAINT_UNSIGNED_MODULE, no valid signature on a signing kernel), P (TAINT_PROPRIETARY_MODULE, a
   * non-GPL licence, never in the tree) — kernel/module/main.c module_flags, kernel/panic.c.
   */
  private static boolean outOfTree(String flags) {
    return flags.indexOf('O') >= 0 || flags.indexOf('P') >= 0 || flags.indexOf('E') >= 0;
  }

  /**
   * When no listed module carries those flags — the {@code Modules linked in:} line was not printed
   * (pre-3.x reports, bare traces), elided ({@code [...]}) or cut — the kernel's taint still says
   * an out-of-tree or unsigned module is loaded (the flags of the {@code CPU:}/{@code Pid:} line);
   * with a module frame on the failing path the rule fires without naming which module it is.
   */
  private static boolean outOfTreeByTaint(
      CrashFacts f, List<String> inTrace, Map<String, String> values, List<Evidence> evidence) {
    if (inTrace.isEmpty()) {
      return false;
    }
    for (KernelModule km : f.modules()) {
      if (outOfTree(km.taintFlags())) {
        // the per-module flags are printed, and none of the stack's modules has them
        return false;
      }
    }
    Map<String, String> taint = new LinkedHashMap<>();
    if (!tainted(f, "OE", taint)) {
      return false;
    }
    values.putIfAbsent(
        "who",
        "an out-of-tree or unsigned module (taint "
            + taint.get("taint")
            + "; the module list does not say which of "
            + String.join(", ", inTrace)
            + ")");
    values.putIfAbsent("taint", taint.get("taint"));
    evidence.add(
        new Evidence(
            "taint " + taint.get("taint") + " with module frames of " + String.join(", ", inTrace),
            f.primary() == null ? null : f.primary().source()));
    return true;
  }
}
