package org.ktriage.analysis.rule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CauseOrder;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.Primary;
import org.ktriage.analysis.rule.computed.ComputedRules;
import org.ktriage.model.Finding;
import org.ktriage.model.Hex;
import org.ktriage.model.RuleFailure;

/**
 * The rules in force: the bundled YAML files listed in {@code rules/index.txt} (computed ones bound
 * to their Java class from {@link ComputedRules}) plus a team's files. Runs each rule isolated.
 */
public final class RuleBook {

  private static final String INDEX = "rules/index.txt";

  private final List<RuleSpec> specs;
  private final Map<String, ComputedRule> computed;

  /** The required literals of every data rule's log patterns, found in a log in one pass. */
  private final LogLiterals logLiterals;

  private RuleBook(List<RuleSpec> specs, Map<String, ComputedRule> computed) {
    this.specs = List.copyOf(specs);
    this.computed = Map.copyOf(computed);
    List<Condition> conditions = new ArrayList<>();
    for (RuleSpec s : this.specs) {
      if (s.when() != null) {
        conditions.add(s.when());
      }
    }
    this.logLiterals = new LogLiterals(LogLiterals.patternsOf(conditions));
  }

  private static @Nullable RuleBook bundled;

  /** The rules shipped with ktriage. */
  public static synchronized RuleBook bundled() {
    if (bundled == null) {
      List<RuleSpec> specs = new ArrayList<>();
      for (String name : readResource(INDEX).lines().map(String::strip).toList()) {
        if (name.isEmpty() || name.startsWith("#")) {
          continue;
        }
        specs.add(RuleSpec.parse(name, readResource("rules/" + name)));
      }
      Map<String, ComputedRule> byId = new HashMap<>();
      for (ComputedRule r : ComputedRules.ALL) {
        byId.put(r.id(), r);
      }
      for (RuleSpec s : specs) {
        if (s.computed() && !byId.containsKey(s.id())) {
          throw new RuleFileException(s.origin(), 0, "no Java class for computed rule " + s.id());
        }
      }
      bundled = new RuleBook(specs, byId);
    }
    return bundled;
  }

  private static String readResource(String path) {
    try (InputStream in = RuleBook.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("bundled rule resource missing: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * This book plus a team's rule files (data rules only); a team rule with a bundled id replaces
   * it. Throws {@link RuleFileException} (one line naming file and line) for a malformed file.
   */
  public RuleBook withExtra(List<TeamRuleFile> files) {
    Map<String, RuleSpec> byId = new LinkedHashMap<>();
    for (RuleSpec s : specs) {
      byId.put(s.id(), s);
    }
    for (TeamRuleFile f : files) {
      RuleSpec s = RuleSpec.parse(f.name(), f.yamlText());
      if (s.computed() && !computed.containsKey(s.id())) {
        throw new RuleFileException(f.name(), 0, "engine: java is only for bundled rules");
      }
      byId.put(s.id(), s);
    }
    return new RuleBook(new ArrayList<>(byId.values()), computed);
  }

  /** Every rule, sorted by id, for {@code ktriage rules}. */
  public List<RuleSpec> rules() {
    return specs.stream().sorted(Comparator.comparing(RuleSpec::id)).toList();
  }

  /** One rule, for {@code ktriage rules --explain ID}. */
  public Optional<RuleSpec> explain(String id) {
    return specs.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /**
   * Findings (most important first), the rules that threw, and the template values of each rule
   * that matched (what later steps of analysis build on, so that no rule runs twice).
   */
  public record Results(
      List<Finding> findings, List<RuleFailure> failures, Map<String, Map<String, String>> values) {
    public Results {
      findings = List.copyOf(findings);
      failures = List.copyOf(failures);
      values = Map.copyOf(values);
    }

    /** The value {@code name} of the matched rule {@code rule}, or null. */
    public @Nullable String value(String rule, String name) {
      Map<String, String> v = values.get(rule);
      return v == null ? null : v.get(name);
    }
  }

  /** Runs every rule on the facts, each isolated. */
  public Results run(CrashFacts facts) {
    List<Finding> findings = new ArrayList<>();
    Map<String, Integer> priorityOf = new HashMap<>();
    List<RuleFailure> failures = new ArrayList<>();
    Map<String, Map<String, String>> values = new HashMap<>();
    LogLiterals.Scan scan = logLiterals.new Scan(facts);
    for (RuleSpec s : specs) {
      try {
        Hit hit = hit(s, facts, true, scan);
        if (hit != null) {
          Finding f = finding(s, hit, facts);
          findings.add(f);
          priorityOf.put(f.rule(), s.priority());
          values.put(s.id(), hit.values());
        }
      } catch (RuntimeException e) {
        failures.add(new RuleFailure(s.id(), e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }
    findings.sort(order(priorityOf));
    // later reports of the incident: a rule that did not fire on the first failure may describe
    // a failure that followed it (a WARN, then the oops of the corrupted state); those findings
    // come after the first failure's, and their values stay out of what later steps build on
    List<Finding> later = new ArrayList<>();
    for (CrashFacts seen : CauseOrder.laterReports(facts)) {
      LogLiterals.Scan seenScan = logLiterals.new Scan(seen);
      for (RuleSpec s : specs) {
        if (values.containsKey(s.id())
            || priorityOf.containsKey(s.id())
            || !readsPrimary(s)
            || failures.stream().anyMatch(x -> x.rule().equals(s.id()))) {
          continue;
        }
        try {
          Hit hit = hit(s, seen, false, seenScan);
          if (hit != null) {
            Finding f = finding(s, hit, seen);
            later.add(f);
            priorityOf.put(f.rule(), s.priority());
          }
        } catch (RuntimeException e) {
          failures.add(
              new RuleFailure(s.id(), e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
      }
    }
    later.sort(order(priorityOf));
    findings.addAll(later);
    return new Results(findings, failures, values);
  }

  private static Comparator<Finding> order(Map<String, Integer> priorityOf) {
    return Comparator.comparing((Finding f) -> f.severity())
        .thenComparing(f -> priorityOf.getOrDefault(f.rule(), 50))
        .thenComparing(Finding::confidence, Comparator.reverseOrder())
        .thenComparing(Finding::rule);
  }

  /**
   * True when the rule reads the failure it is about (a computed rule, or a condition on its class,
   * context, address, registers, stack or modules); a rule of log lines, trigger or taint alone
   * gives the same answer from every report.
   */
  private boolean readsPrimary(RuleSpec s) {
    if (s.computed()) {
      ComputedRule r = computed.get(s.id());
      return r != null && r.describesOneFailure();
    }
    Condition when = s.when();
    return when != null && (readsPrimary(when) || (when.not() != null && readsPrimary(when.not())));
  }

  private static boolean readsPrimary(Condition c) {
    return !c.classes().isEmpty()
        || !c.contexts().isEmpty()
        || !c.addressKinds().isEmpty()
        || !c.registerKinds().isEmpty()
        || !c.frames().isEmpty()
        || c.module() != null;
  }

  /** Runs one rule (throws what the rule throws). */
  public @Nullable Finding runOne(RuleSpec s, CrashFacts facts) {
    Hit hit = hit(s, facts);
    return hit == null ? null : finding(s, hit, facts);
  }

  private @Nullable Hit hit(RuleSpec s, CrashFacts facts) {
    return hit(s, facts, true, null);
  }

  private @Nullable Hit hit(
      RuleSpec s, CrashFacts facts, boolean first, LogLiterals.@Nullable Scan scan) {
    if (s.computed()) {
      ComputedRule r = computed.get(s.id());
      if (r == null) {
        throw new IllegalStateException("no Java class for computed rule " + s.id());
      }
      return r.evaluate(facts);
    }
    Condition when = s.when();
    return when == null ? null : DataRule.evaluate(when, s.confidence(), facts, first, scan);
  }

  private static Finding finding(RuleSpec s, Hit hit, CrashFacts facts) {
    Map<String, String> values = new HashMap<>(commonValues(facts));
    values.putAll(hit.values());
    double confidence = hit.confidence();
    List<String> missing = new ArrayList<>(hit.missing());
    if (facts.report().completeness().partial()) {
      confidence *= 0.85;
      missing.addAll(facts.report().completeness().problems());
    }
    Primary primary = facts.primary();
    if (primary != null && primary.report() != null && !primary.report().oops().complete()) {
      confidence *= 0.9;
      missing.add("the rest of the report (the log ends before the report does)");
    }
    confidence = Math.round(Math.max(0.05, Math.min(1.0, confidence)) * 100) / 100.0;
    List<String> steps = new ArrayList<>();
    for (String st : s.nextSteps()) {
      String filled = fill(st, values);
      if (!filled.contains("{{")) {
        steps.add(filled);
      }
    }
    return new Finding(
        s.id(),
        s.severity(),
        confidence,
        PLACEHOLDER.matcher(fill(s.summary(), values)).replaceAll("unknown"),
        hit.evidence(),
        s.causes().stream().map(c -> fill(c, values)).toList(),
        steps,
        missing,
        s.references());
  }

  private static Map<String, String> commonValues(CrashFacts f) {
    Map<String, String> v = new HashMap<>();
    Primary p = f.primary();
    v.put("class", f.primaryClass().id());
    v.put("trigger", f.trigger().id());
    if (p != null) {
      v.put("where", p.where());
      if (p.function() != null) {
        v.put("function", p.function());
      }
      v.put("context", p.context().id());
      if (p.cpu() != null) {
        v.put("cpu", Integer.toString(p.cpu()));
      }
      if (p.address() != null) {
        v.put("address", Hex.reg(p.address()));
        v.put("addressHex", Hex.addr(p.address()));
      }
      if (p.addressKind() != null) {
        v.put("addressKind", p.addressKind().id());
      }
      if (p.module() != null) {
        v.put("module", p.module());
      }
      if (p.report() != null) {
        v.put("headline", p.report().oops().headline().strip());
        if (p.report().oops().comm() != null) {
          v.put("comm", p.report().oops().comm());
        }
      }
      if (p.site() != null && p.site().frame().function() != null) {
        String fn = p.site().frame().function();
        String off = p.site().frame().offset();
        v.put("disWhere", off == null ? fn : fn + "+" + decimal(off));
      }
    }
    if (f.report().panic() != null) {
      v.put(
          "panic",
          org.ktriage.analysis.classify.FailureClassifier.panicText(f.report().panic().message()));
    }
    String unloaded = f.lastUnloaded();
    if (unloaded != null) {
      v.put("lastUnloaded", unloaded);
    }
    return v;
  }

  private static String decimal(String hexOffset) {
    try {
      return Long.toString(Long.parseLong(hexOffset.replaceFirst("^0x", ""), 16));
    } catch (NumberFormatException e) {
      return hexOffset;
    }
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z][a-zA-Z0-9]*)\\}\\}");

  /** Replaces {@code {{name}}} with values; unknown names stay as they are. */
  static String fill(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group(0) : v));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
