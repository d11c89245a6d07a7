package org.ktriage.render.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ktriage.model.Diagnosis;
import org.ktriage.render.HandBuilt;

/**
 * The JSON contract of docs/architecture.md: parses rendered output and checks every contract
 * field's presence, type and null rule, and the top-level field order.
 */
class JsonRendererContractTest {
  private static final Pattern HEX = Pattern.compile("0x[0-9a-f]+");

  /** Kinds of JSON values the contract allows for a field. */
  enum Kind {
    STRING,
    STRING_OR_NULL,
    INT,
    INT_OR_NULL,
    NUMBER,
    BOOLEAN,
    ARRAY,
    OBJECT,
    OBJECT_OR_NULL,
    ADDRESS_OR_NULL;

    boolean accepts(JsonNode n) {
      return switch (this) {
        case STRING -> n.isTextual();
        case STRING_OR_NULL -> n.isTextual() || n.isNull();
        case INT -> n.isInt();
        case INT_OR_NULL -> n.isInt() || n.isNull();
        case NUMBER -> n.isNumber();
        case BOOLEAN -> n.isBoolean();
        case ARRAY -> n.isArray();
        case OBJECT -> n.isObject();
        case OBJECT_OR_NULL -> n.isObject() || n.isNull();
        case ADDRESS_OR_NULL -> n.isNull() || (n.isTextual() && HEX.matcher(n.asText()).matches());
      };
    }
  }

  private static final List<String> TOP_LEVEL_ORDER =
      List.of(
          "schemaVersion",
          "sources",
          "kernel",
          "title",
          "altTitles",
          "class",
          "trigger",
          "panic",
          "primary",
          "chain",
          "findings",
          "modules",
          "cpus",
          "completeness");

  private static final Map<String, Kind> TOP =
      Map.ofEntries(
          Map.entry("schemaVersion", Kind.INT),
          Map.entry("sources", Kind.ARRAY),
          Map.entry("kernel", Kind.OBJECT),
          Map.entry("title", Kind.STRING_OR_NULL),
          Map.entry("altTitles", Kind.ARRAY),
          Map.entry("class", Kind.STRING),
          Map.entry("trigger", Kind.STRING),
          Map.entry("panic", Kind.OBJECT_OR_NULL),
          Map.entry("primary", Kind.OBJECT_OR_NULL),
          Map.entry("chain", Kind.ARRAY),
          Map.entry("findings", Kind.ARRAY),
          Map.entry("modules", Kind.OBJECT),
          Map.entry("cpus", Kind.ARRAY),
          Map.entry("completeness", Kind.OBJECT));
  private static final Map<String, Kind> SOURCE =
      Map.of("path", Kind.STRING, "format", Kind.STRING);
  private static final Map<String, Kind> KERNEL =
      Map.of(
          "release", Kind.STRING_OR_NULL,
          "arch", Kind.STRING_OR_NULL,
          "hostname", Kind.STRING_OR_NULL,
          "taint", Kind.STRING_OR_NULL);
  private static final Map<String, Kind> PANIC =
      Map.of(
          "message", Kind.STRING,
          "cpu", Kind.INT_OR_NULL,
          "task", Kind.STRING_OR_NULL,
          "pid", Kind.INT_OR_NULL);
  private static final Map<String, Kind> PRIMARY =
      Map.of(
          "class", Kind.STRING,
          "function", Kind.STRING_OR_NULL,
          "offset", Kind.ADDRESS_OR_NULL,
          "module", Kind.STRING_OR_NULL,
          "context", Kind.STRING,
          "cpu", Kind.INT_OR_NULL,
          "address", Kind.ADDRESS_OR_NULL,
          "addressKind", Kind.STRING_OR_NULL);
  private static final Map<String, Kind> CHAIN =
      Map.of("event", Kind.STRING, "where", Kind.STRING_OR_NULL, "context", Kind.STRING_OR_NULL);
  private static final Map<String, Kind> FINDING =
      Map.of(
          "rule", Kind.STRING,
          "severity", Kind.STRING,
          "confidence", Kind.NUMBER,
          "summary", Kind.STRING,
          "evidence", Kind.ARRAY,
          "causes", Kind.ARRAY,
          "nextSteps", Kind.ARRAY);
  private static final Map<String, Kind> EVIDENCE =
      Map.of("text", Kind.STRING, "source", Kind.STRING_OR_NULL, "addresses", Kind.ARRAY);
  private static final Map<String, Kind> MODULES =
      Map.of("loaded", Kind.ARRAY, "lastUnloaded", Kind.STRING_OR_NULL);
  private static final Map<String, Kind> CPU = Map.of("cpu", Kind.INT, "segments", Kind.ARRAY);
  private static final Map<String, Kind> SEGMENT =
      Map.of("context", Kind.STRING, "frames", Kind.ARRAY, "exception", Kind.OBJECT_OR_NULL);
  private static final Map<String, Kind> FRAME =
      Map.of(
          "function", Kind.STRING,
          "offset", Kind.ADDRESS_OR_NULL,
          "module", Kind.STRING_OR_NULL,
          "reliable", Kind.BOOLEAN);
  private static final Map<String, Kind> EXCEPTION =
      Map.of("rip", Kind.ADDRESS_OR_NULL, "registers", Kind.OBJECT);
  private static final Map<String, Kind> COMPLETENESS =
      Map.of("partial", Kind.BOOLEAN, "problems", Kind.ARRAY);

  private static JsonNode parse(Diagnosis d) throws Exception {
    StringWriter out = new StringWriter();
    new JsonRenderer().render(d, out);
    return new ObjectMapper().readTree(out.toString());
  }

  /** Every contract field of the document, recursively; returns the violations found. */
  private static List<String> violations(JsonNode root) {
    List<String> bad = new ArrayList<>();
    check(root, TOP, "$", bad);
    root.get("sources").forEach(s -> check(s, SOURCE, "sources[]", bad));
    check(root.get("kernel"), KERNEL, "kernel", bad);
    if (!root.get("panic").isNull()) {
      check(root.get("panic"), PANIC, "panic", bad);
    }
    if (!root.get("primary").isNull()) {
      check(root.get("primary"), PRIMARY, "primary", bad);
    }
    root.get("altTitles").forEach(t -> expect(t, Kind.STRING, "altTitles[]", bad));
    root.get("chain").forEach(e -> check(e, CHAIN, "chain[]", bad));
    for (JsonNode f : root.get("findings")) {
      check(f, FINDING, "findings[]", bad);
      for (JsonNode e : f.get("evidence")) {
        check(e, EVIDENCE, "findings[].evidence[]", bad);
        e.get("addresses")
            .forEach(
                a -> expect(a, Kind.ADDRESS_OR_NULL, "findings[].evidence[].addresses[]", bad));
      }
      f.get("causes").forEach(c -> expect(c, Kind.STRING, "findings[].causes[]", bad));
      f.get("nextSteps").forEach(c -> expect(c, Kind.STRING, "findings[].nextSteps[]", bad));
    }
    check(root.get("modules"), MODULES, "modules", bad);
    root.get("modules").get("loaded").forEach(m -> expect(m, Kind.STRING, "modules.loaded[]", bad));
    for (JsonNode c : root.get("cpus")) {
      check(c, CPU, "cpus[]", bad);
      for (JsonNode s : c.get("segments")) {
        check(s, SEGMENT, "cpus[].segments[]", bad);
        s.get("frames").forEach(f -> check(f, FRAME, "cpus[].segments[].frames[]", bad));
        JsonNode e = s.get("exception");
        if (e != null && e.isObject()) {
          check(e, EXCEPTION, "cpus[].segments[].exception", bad);
          e.get("registers")
              .properties()
              .forEach(
                  r -> expect(r.getValue(), Kind.ADDRESS_OR_NULL, "registers." + r.getKey(), bad));
        }
      }
    }
    check(root.get("completeness"), COMPLETENESS, "completeness", bad);
    root.get("completeness")
        .get("problems")
        .forEach(p -> expect(p, Kind.STRING, "completeness.problems[]", bad));
    noEmptyStrings(root, "$", bad);
    return bad;
  }

  private static void check(
      JsonNode node, Map<String, Kind> fields, String where, List<String> bad) {
    if (!node.isObject()) {
      bad.add(where + " is not an object: " + node);
      return;
    }
    fields.forEach(
        (name, kind) -> {
          JsonNode v = node.get(name);
          if (v == null) {
            bad.add(where + "." + name + " is missing");
          } else {
            expect(v, kind, where + "." + name, bad);
          }
        });
  }

  private static void expect(JsonNode v, Kind kind, String where, List<String> bad) {
    if (!kind.accepts(v)) {
      bad.add(where + " should be " + kind + " but is " + v);
    }
  }

  private static void noEmptyStrings(JsonNode n, String where, List<String> bad) {
    if (n.isTextual() && n.asText().isEmpty()) {
      bad.add(where + " is \"\" (absent values must be null)");
    }
    if (n.isObject()) {
      n.properties().forEach(e -> noEmptyStrings(e.getValue(), where + "." + e.getKey(), bad));
    }
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        noEmptyStrings(n.get(i), where + "[" + i + "]", bad);
      }
    }
  }

  @Test
  void seedLikeDiagnosisFollowsTheContract() throws Exception {
    JsonNode root = parse(HandBuilt.seedLike("BUG: unable to handle kernel paging request"));

    assertThat(violations(root)).isEmpty();
    assertThat(root.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(root.get("class").asText()).isEqualTo("page-fault");
    assertThat(root.get("trigger").asText()).isEqualTo("hard-lockup");
    assertThat(root.at("/primary/address").asText()).isEqualTo("0xffffffffa88b53b0");
    assertThat(root.at("/primary/addressKind").asText()).isEqualTo("module-area");
    assertThat(root.at("/primary/context").asText()).isEqualTo("softirq");
    assertThat(root.at("/kernel/taint").asText()).isEqualTo("G OE");
    assertThat(root.at("/panic/message").asText()).isEqualTo("Hard LOCKUP");
    assertThat(root.at("/modules/loaded").toString()).isEqualTo("[\"vfat\",\"fat\"]");
    assertThat(root.at("/modules/lastUnloaded").asText()).isEqualTo("lab_timer");
    assertThat(root.at("/cpus/0/segments/0/context").asText()).isEqualTo("nmi");
    assertThat(root.at("/cpus/0/segments/1/exception/rip").asText())
        .isEqualTo("0xffffffff81098a68");
    assertThat(root.at("/cpus/0/segments/1/exception/registers/RCX").asText())
        .isEqualTo("0xffffffffa88b53b0");
    assertThat(root.at("/cpus/0/segments/1/frames/1/reliable").asBoolean()).isFalse();
    assertThat(root.at("/findings/0/evidence/0/source").asText()).isEqualTo(HandBuilt.FILE + ":54");
    assertThat(root.at("/findings/0/evidence/1/source").isNull()).isTrue();
    assertThat(root.at("/chain/3/where").isNull()).isTrue();
    assertThat(root.at("/ruleFailures/0/rule").asText()).isEqualTo("broken-rule");
    // additions: analysis's crash decision, the values evidence names, the taint letters' meanings
    assertThat(root.get("crashFound").asBoolean()).isTrue();
    assertThat(root.at("/findings/1/evidence/0/addresses").toString())
        .isEqualTo("[\"0xffff88007b90c000\"]");
    assertThat(root.at("/findings/0/evidence/0/addresses").toString()).isEqualTo("[]");
    assertThat(root.at("/kernel/taintFlags").toString())
        .isEqualTo(
            "[{\"letter\":\"G\",\"meaning\":\"only GPL modules loaded\"},"
                + "{\"letter\":\"O\",\"meaning\":\"out-of-tree module loaded\"},"
                + "{\"letter\":\"E\",\"meaning\":\"unsigned module loaded\"}]");
  }

  @Test
  void emptyDiagnosisUsesNullsNotEmptyStrings() throws Exception {
    JsonNode root = parse(HandBuilt.empty());

    assertThat(violations(root)).isEmpty();
    assertThat(root.get("title").isNull()).isTrue();
    assertThat(root.get("panic").isNull()).isTrue();
    assertThat(root.get("primary").isNull()).isTrue();
    assertThat(root.at("/kernel/release").isNull()).isTrue();
    assertThat(root.at("/kernel/taint").isNull()).isTrue();
    assertThat(root.get("crashFound").asBoolean()).isFalse();
    assertThat(root.at("/kernel/taintFlags").toString()).isEqualTo("[]");
  }

  @Test
  void topLevelFieldsComeInContractOrder() throws Exception {
    JsonNode root = parse(HandBuilt.seedLike("x"));
    List<String> names = new ArrayList<>();
    Iterator<String> it = root.fieldNames();
    it.forEachRemaining(names::add);

    assertThat(names.subList(0, TOP_LEVEL_ORDER.size())).isEqualTo(TOP_LEVEL_ORDER);
  }

  @Test
  void logTextIsEscapedAsJsonAndOutputIsStable() throws Exception {
    Diagnosis d = HandBuilt.seedLike("x");
    StringWriter a = new StringWriter();
    StringWriter b = new StringWriter();
    new JsonRenderer().render(d, a);
    new JsonRenderer().render(d, b);

    assertThat(a.toString()).isEqualTo(b.toString()).endsWith("}\n");
    assertThat(a.toString()).contains("\"class\": \"page-fault\"").contains("\"altTitles\": [],");
  }
}
