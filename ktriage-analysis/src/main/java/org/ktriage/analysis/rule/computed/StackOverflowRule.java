package org.ktriage.analysis.rule.computed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.rule.ComputedRule;
import org.ktriage.analysis.rule.DataRule;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.analysis.text.GatedPattern;
import org.ktriage.model.AddressFact;
import org.ktriage.model.Evidence;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;

/**
 * Kernel stack overflow or corruption: guard page hit, double fault, stack-protector or end-magic
 * reports, with the recursion that caused it when the trace repeats a frame or a frame pair
 * (playbook §12).
 */
public final class StackOverflowRule implements ComputedRule {

  static final GatedPattern LINE =
      GatedPattern.of(
          Pattern.compile(
              "stack guard page (?:was )?hit|kernel stack overflow|PANIC: double fault"
                  + "|stack-protector: Kernel stack is corrupted|corrupted stack end detected"
                  + "|Thread overran stack|Insufficient stack space to handle exception"),
          List.of(
              "stack guard page ",
              "kernel stack overflow",
              "PANIC: double fault",
              "stack-protector: Kernel stack is corrupted",
              "corrupted stack end detected",
              "Thread overran stack",
              "Insufficient stack space to handle exception"));
  private static final Pattern RANGE =
      Pattern.compile("hit at ([0-9a-f]+) \\(stack is ([0-9a-f]+)\\.\\.([0-9a-f]+)\\)");

  @Override
  public String id() {
    return "stack-overflow";
  }

  @Override
  public @Nullable Hit evaluate(CrashFacts f) {
    LogRecord line = null;
    for (LogRecord l : f.logLines()) {
      if (LINE.find(l.text())) {
        line = l;
        break;
      }
    }
    if (line == null && f.primaryClass() != FailureClass.STACK_OVERFLOW) {
      return null;
    }
    List<Evidence> ev = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    List<String> missing = new ArrayList<>();
    String what = line == null ? "a double fault on the stack" : line.text().strip();
    if (line != null) {
      ev.add(new Evidence(what, line.source()));
      Matcher r = RANGE.matcher(line.text());
      if (r.find()) {
        long hit = Long.parseUnsignedLong(r.group(1), 16);
        long lo = Long.parseUnsignedLong(r.group(2), 16);
        if (Long.compareUnsigned(hit, lo) < 0 && lo - hit <= 4096) {
          ev.add(
              new Evidence(
                  "the access at " + r.group(1) + " is just below the stack base " + r.group(2),
                  line.source(),
                  List.of(hit, lo)));
        }
      }
    }
    // from a dump: the fault address or stack pointer in the guard page below a task's stack
    // (the report's own addresses are hashed since v4.15's %p: only memory names the task)
    for (AddressFact a : f.report().addressFacts()) {
      if (a.kind().equals("stack-guard")) {
        ev.add(
            Evidence.about(
                String.format("kmem %016x: %s", a.address(), a.description()),
                a.source(),
                a.address()));
      }
    }
    values.put("what", what.length() > 160 ? what.substring(0, 160) + "…" : what);
    String recursion = recursion(DataRule.primaryFrames(f));
    if (recursion != null) {
      values.put("recursion", "; the trace repeats " + recursion + " (recursion)");
      ev.add(new Evidence("the trace repeats " + recursion, null));
    } else {
      values.put("recursion", "");
      missing.add("a trace showing the repetition or the fat frame (crash> bt -FF, checkstack.pl)");
    }
    return new Hit(values, ev, recursion == null ? 0.75 : 0.85, missing);
  }

  /** The most repeated frame (≥ 3 times) or frame pair, or null. */
  static @Nullable String recursion(List<Frame> frames) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, Integer> pairs = new LinkedHashMap<>();
    String prev = null;
    for (Frame fr : frames) {
      if (!fr.reliable()) {
        continue;
      }
      counts.merge(fr.function(), 1, Integer::sum);
      if (prev != null && !prev.equals(fr.function())) {
        pairs.merge(prev + " ← " + fr.function(), 1, Integer::sum);
      }
      prev = fr.function();
    }
    String best = null;
    int bestCount = 2;
    for (Map.Entry<String, Integer> e : pairs.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    if (best != null) {
      return best + " " + bestCount + " times";
    }
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best == null ? null : best + " " + bestCount + " times";
  }
}
