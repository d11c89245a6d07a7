package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stamp a diagnosis carries covers the code that made it, not only the rule files: built from
 * the real class path of this JVM (module jars or class directories), it is the same from one jar
 * holding the same entries (the launcher), and differs for two jars with the same rule files whose
 * analysis class bytes differ by one byte.
 */
class RuleBookVersionTest {
  @TempDir Path tmp;

  @Test
  void coversTheRuleFilesAndTheCodeThatDiagnosesAndNothingElse() throws IOException {
    SortedMap<String, byte[]> real = RuleBookVersion.entries(RuleBookVersion.locations());
    assertThat(real)
        .containsKeys(
            "rules/index.txt",
            "org/ktriage/model/CrashReport.class",
            "org/ktriage/ingest/Ingest.class",
            "org/ktriage/analysis/Analyzer.class",
            "org/ktriage/render/json/JsonRenderer.class",
            "org/ktriage/server/Diagnoser.class");
    assertThat(real.keySet())
        .noneMatch(n -> n.startsWith("org/ktriage/server/Crash"))
        .noneMatch(n -> n.startsWith("org/ktriage/render/html/"))
        .noneMatch(n -> n.startsWith("META-INF/"));
    // every rule file the index lists is in it
    for (String line :
        new String(Objects.requireNonNull(real.get("rules/index.txt")), StandardCharsets.UTF_8)
            .split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        assertThat(real).containsKey("rules/" + name);
      }
    }
    assertThat(RuleBookVersion.current())
        .matches("rules-[0-9a-f]{12}")
        .isEqualTo(RuleBookVersion.stamp(real))
        .isEqualTo(RuleBookVersion.of(RuleBookVersion.locations()));
  }

  @Test
  void oneJarOfTheSameEntriesStampsTheSameAndOneChangedClassByteStampsAnother() throws IOException {
    SortedMap<String, byte[]> real = RuleBookVersion.entries(RuleBookVersion.locations());
    // a launcher-like jar: the same entries among others that do not decide a diagnosis
    Map<String, byte[]> others =
        Map.of(
            "META-INF/MANIFEST.MF",
            "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8),
            "org/ktriage/server/CrashServer.class",
            new byte[] {(byte) 0xca, (byte) 0xfe},
            "org/ktriage/render/html/HtmlRenderer.class",
            new byte[] {1, 2, 3});
    Path same = jar("same.jar", real, others);
    assertThat(RuleBookVersion.of(List.of(same))).isEqualTo(RuleBookVersion.current());

    // the same rule files, one byte of the analysis code changed: the case that moved 0.13 % of
    // a store's diagnoses under one "rules-" stamp
    SortedMap<String, byte[]> changed = new TreeMap<>(real);
    byte[] analyzer =
        Objects.requireNonNull(changed.get("org/ktriage/analysis/Analyzer.class")).clone();
    analyzer[analyzer.length - 1] ^= 1;
    changed.put("org/ktriage/analysis/Analyzer.class", analyzer);
    Path other = jar("other.jar", changed, others);
    assertThat(RuleBookVersion.entries(List.of(other)))
        .hasSameSizeAs(real)
        .containsEntry("rules/index.txt", Objects.requireNonNull(real.get("rules/index.txt")));
    assertThat(RuleBookVersion.of(List.of(other))).isNotEqualTo(RuleBookVersion.current());

    // a class the diagnosis does not depend on changed: same stamp
    Path html =
        jar(
            "html.jar",
            real,
            Map.of("org/ktriage/render/html/HtmlRenderer.class", new byte[] {4, 5, 6}));
    assertThat(RuleBookVersion.of(List.of(html))).isEqualTo(RuleBookVersion.current());

    // and a rule file edited, code the same
    SortedMap<String, byte[]> rule = new TreeMap<>(real);
    String firstRule = rule.keySet().stream().filter(n -> n.endsWith(".yaml")).findFirst().get();
    byte[] edited =
        (new String(Objects.requireNonNull(rule.get(firstRule)), StandardCharsets.UTF_8)
                + "\n# edited\n")
            .getBytes(StandardCharsets.UTF_8);
    rule.put(firstRule, edited);
    assertThat(RuleBookVersion.stamp(rule)).isNotEqualTo(RuleBookVersion.current());
  }

  @Test
  void theServerStampsItsDiagnosesWithIt() throws Exception {
    try (Backend b = Backend.start("h2", tmp)) {
      assertThat(b.server.rulebookVersion()).isEqualTo(RuleBookVersion.current());
      assertThat(b.get("/health").body()).contains(RuleBookVersion.current());
    }
  }

  private Path jar(String name, Map<String, byte[]> entries, Map<String, byte[]> more)
      throws IOException {
    Path p = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(p);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map<String, byte[]> m : List.of(more, entries)) {
        for (Map.Entry<String, byte[]> e : m.entrySet()) {
          zip.putNextEntry(new ZipEntry(e.getKey()));
          zip.write(e.getValue());
          zip.closeEntry();
        }
      }
    }
    return p;
  }
}
