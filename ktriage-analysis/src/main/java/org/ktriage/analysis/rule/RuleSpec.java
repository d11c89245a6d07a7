package org.ktriage.analysis.rule;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.AddressKind;
import org.ktriage.model.ContextKind;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Severity;

/**
 * A rule as declared in its YAML file: id, severity, summary template, causes (most likely first),
 * next steps, references, examples, and either a {@code when:} block (data rule) or {@code engine:
 * java} (computed rule). {@link #parse} checks everything and names file and line on error.
 *
 * @param id stable kebab-case id (API)
 * @param severity severity
 * @param priority order among findings of one severity (lower first)
 * @param summary summary template with {@code {{placeholders}}}
 * @param computed true for {@code engine: java}
 * @param when the condition of a data rule, null for computed rules
 * @param confidence base confidence
 * @param causes likely causes, most likely first
 * @param nextSteps commands or settings that confirm it (templates)
 * @param references kernel docs, fix commits, incidents
 * @param examples hit and miss examples
 * @param notes free text (where the playbook and real logs disagree, …)
 * @param origin the file it came from
 */
public record RuleSpec(
    String id,
    Severity severity,
    int priority,
    String summary,
    boolean computed,
    @Nullable Condition when,
    double confidence,
    List<String> causes,
    List<String> nextSteps,
    List<String> references,
    List<RuleExample> examples,
    String notes,
    String origin) {

  public RuleSpec {
    causes = List.copyOf(causes);
    nextSteps = List.copyOf(nextSteps);
    references = List.copyOf(references);
    examples = List.copyOf(examples);
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Set<String> TOP_KEYS =
      Set.of(
          "id",
          "severity",
          "priority",
          "summary",
          "engine",
          "when",
          "confidence",
          "causes",
          "nextSteps",
          "references",
          "examples",
          "notes");
  private static final Set<String> WHEN_KEYS =
      Set.of(
          "class",
          "anyClass",
          "trigger",
          "context",
          "log",
          "frames",
          "addressKind",
          "registerKind",
          "taint",
          "module",
          "not");

  /** Regex macros of data rules (after syzkaller's {@code pkg/report}). */
  static String expandMacros(String regex) {
    return regex
        .replace("{{FUNC}}", "(?:[a-zA-Z0-9_$.]+)(?:\\+0x[0-9a-f]+(?:/0x[0-9a-f]+)?)?")
        .replace("{{ADDR}}", "(?:0x)?[0-9a-fA-F]{8,16}")
        .replace("{{PC}}", "\\[<?(?:0x)?[0-9a-fA-F]{8,16}>?\\]");
  }

  /** Parses one rule file; throws {@link RuleFileException} naming file and line. */
  public static RuleSpec parse(String file, String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String msg = e.getOriginalMessage().lines().findFirst().orElse("malformed YAML");
      throw new RuleFileException(file, loc == null ? 0 : loc.getLineNr(), msg);
    }
    if (root == null || !root.isObject()) {
      throw new RuleFileException(file, 1, "a rule file must be a YAML mapping");
    }
    Lines lines = new Lines(file, text);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!TOP_KEYS.contains(k)) {
        throw lines.error(k, "unknown key '" + k + "' (expected one of " + sorted(TOP_KEYS) + ")");
      }
    }
    String id = requiredText(root, "id", lines);
    if (!ID.matcher(id).matches()) {
      throw lines.error("id", "rule id '" + id + "' is not kebab-case");
    }
    Severity severity = severity(requiredText(root, "severity", lines), lines);
    String summary = requiredText(root, "summary", lines);
    String engine = text(root, "engine", "data");
    if (!engine.equals("data") && !engine.equals("java")) {
      throw lines.error("engine", "engine must be 'data' or 'java', got '" + engine + "'");
    }
    boolean computed = engine.equals("java");
    Condition when = null;
    if (!computed) {
      JsonNode w = root.get("when");
      if (w == null || !w.isObject()) {
        throw lines.error("id", "a data rule needs a 'when:' mapping");
      }
      when = condition(w, lines);
    }
    double confidence = root.has("confidence") ? root.get("confidence").asDouble(0.8) : 0.8;
    if (confidence <= 0 || confidence > 1) {
      throw lines.error("confidence", "confidence must be in (0, 1]");
    }
    List<RuleExample> examples = new ArrayList<>();
    JsonNode ex = root.get("examples");
    if (ex != null) {
      for (String p : list(ex, "hit", lines)) {
        examples.add(new RuleExample(p, true));
      }
      for (String p : list(ex, "miss", lines)) {
        examples.add(new RuleExample(p, false));
      }
    }
    return new RuleSpec(
        id,
        severity,
        root.has("priority") ? root.get("priority").asInt(50) : 50,
        summary,
        computed,
        when,
        confidence,
        list(root, "causes", lines),
        list(root, "nextSteps", lines),
        list(root, "references", lines),
        examples,
        text(root, "notes", ""),
        file);
  }

  private static Condition condition(JsonNode w, Lines lines) {
    for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!WHEN_KEYS.contains(k)) {
        throw lines.error(
            k, "unknown condition '" + k + "' (expected one of " + sorted(WHEN_KEYS) + ")");
      }
    }
    List<String> classes = ids(w, "class", lines, Kind.CLASS);
    List<String> any = ids(w, "anyClass", lines, Kind.CLASS);
    List<String> triggers = ids(w, "trigger", lines, Kind.CLASS);
    List<String> contexts = ids(w, "context", lines, Kind.CONTEXT);
    List<String> addressKinds = ids(w, "addressKind", lines, Kind.ADDRESS);
    List<String> registerKinds = ids(w, "registerKind", lines, Kind.ADDRESS);
    List<Pattern> log = patterns(w, "log", lines);
    List<Pattern> frames = patterns(w, "frames", lines);
    String taint = w.has("taint") ? w.get("taint").asText() : null;
    String module = w.has("module") ? w.get("module").asText() : null;
    if (module != null && !module.equals("in-trace") && !module.equals("out-of-tree")) {
      throw lines.error("module", "module must be 'in-trace' or 'out-of-tree'");
    }
    Condition not = null;
    if (w.has("not")) {
      if (!w.get("not").isObject()) {
        throw lines.error("not", "'not' must be a mapping of conditions");
      }
      not = condition(w.get("not"), lines);
    }
    return new Condition(
        classes,
        any,
        triggers,
        contexts,
        log,
        frames,
        addressKinds,
        registerKinds,
        taint,
        module,
        not);
  }

  private enum Kind {
    CLASS,
    CONTEXT,
    ADDRESS
  }

  private static List<String> ids(JsonNode w, String key, Lines lines, Kind kind) {
    List<String> out = list(w, key, lines);
    for (String v : out) {
      boolean ok =
          switch (kind) {
            case CLASS -> {
              try {
                FailureClass.fromId(v);
                yield true;
              } catch (IllegalArgumentException e) {
                yield false;
              }
            }
            case CONTEXT -> {
              boolean found = false;
              for (ContextKind c : ContextKind.values()) {
                found |= c.id().equals(v);
              }
              yield found;
            }
            case ADDRESS -> {
              boolean found = false;
              for (AddressKind a : AddressKind.values()) {
                found |= a.id().equals(v);
              }
              yield found;
            }
          };
      if (!ok) {
        throw lines.error(key, "unknown " + kind.name().toLowerCase(Locale.ROOT) + " '" + v + "'");
      }
    }
    return out;
  }

  private static List<Pattern> patterns(JsonNode w, String key, Lines lines) {
    List<Pattern> out = new ArrayList<>();
    for (String r : list(w, key, lines)) {
      try {
        out.add(Pattern.compile(expandMacros(r)));
      } catch (PatternSyntaxException e) {
        throw lines.error(key, "bad regular expression '" + r + "': " + e.getDescription());
      }
    }
    return out;
  }

  private static List<String> list(JsonNode node, String key, Lines lines) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (v.isArray()) {
      for (JsonNode e : v) {
        if (!e.isValueNode()) {
          throw lines.error(key, "'" + key + "' must be a list of strings");
        }
        out.add(e.asText());
      }
    } else if (v.isValueNode()) {
      out.add(v.asText());
    } else {
      throw lines.error(key, "'" + key + "' must be a string or a list of strings");
    }
    return out;
  }

  private static String requiredText(JsonNode root, String key, Lines lines) {
    JsonNode v = root.get(key);
    if (v == null || !v.isValueNode() || v.asText().isBlank()) {
      throw lines.error(null, "missing required key '" + key + "'");
    }
    return v.asText();
  }

  private static String text(JsonNode root, String key, String fallback) {
    JsonNode v = root.get(key);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  private static Severity severity(String s, Lines lines) {
    for (Severity v : Severity.values()) {
      if (v.id().equals(s)) {
        return v;
      }
    }
    throw lines.error("severity", "unknown severity '" + s + "'");
  }

  private static String sorted(Set<String> keys) {
    return String.join(", ", new java.util.TreeSet<>(keys));
  }

  /** Finds the line of a key in the text, for errors about well-formed YAML. */
  private record Lines(String file, String text) {
    RuleFileException error(@Nullable String key, String problem) {
      int line = 0;
      if (key != null) {
        Pattern p = Pattern.compile("^\\s*-?\\s*" + Pattern.quote(key) + "\\s*:");
        int n = 0;
        for (String l : text.split("\n", -1)) {
          n++;
          if (p.matcher(l).find()) {
            line = n;
            break;
          }
        }
      }
      return new RuleFileException(file, line, problem);
    }
  }
}
