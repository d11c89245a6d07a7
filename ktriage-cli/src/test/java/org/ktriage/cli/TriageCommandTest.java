package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * {@code ktriage triage} over a directory of real syzkaller console logs (headers stripped), one of
 * them gzip-compressed, one duplicated, and a corrupt compressed file.
 */
class TriageCommandTest {
  @TempDir static Path dir;
  static final Map<String, String> expectedTitles = new HashMap<>();

  /** Corpus files copied: two of one bug title, others distinct. */
  static final List<String> CORPUS = List.of("4", "26", "40", "44", "104", "105", "51", "52");

  static Path corpus() {
    String shared = System.getProperty("ktriage.shared");
    assertThat(shared).as("system property ktriage.shared").isNotNull();
    Path p = Path.of(shared, "corpus", "syzkaller", "report");
    assertThat(p).as("syzkaller corpus at %s", p).isDirectory();
    return p;
  }

  @BeforeAll
  static void setUp() throws IOException {
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs.resolve("sub"));
    for (String name : CORPUS) {
      String all = Files.readString(corpus().resolve(name), StandardCharsets.ISO_8859_1);
      int end = all.indexOf("\n\n");
      String header = all.substring(0, end);
      String log = all.substring(end + 2);
      String title = "";
      for (String line : header.split("\n")) {
        if (line.startsWith("TITLE:")) {
          title = line.substring(6).strip();
        }
      }
      Path target = (name.equals("105") ? logs.resolve("sub") : logs).resolve("log-" + name);
      if (name.equals("104")) {
        target = logs.resolve("log-104.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
          out.write(log.getBytes(StandardCharsets.ISO_8859_1));
        }
      } else if (name.equals("51")) {
        target = logs.resolve("log-51.xz");
        try (OutputStream out =
            new XZOutputStream(Files.newOutputStream(target), new LZMA2Options())) {
          out.write(log.getBytes(StandardCharsets.ISO_8859_1));
        }
      } else if (name.equals("52")) {
        target = logs.resolve("log-52.zst");
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(target))) {
          out.write(log.getBytes(StandardCharsets.ISO_8859_1));
        }
      } else {
        Files.writeString(target, log, StandardCharsets.ISO_8859_1);
      }
      expectedTitles.put(target.toString(), title);
    }
    // The same crash as log-100 once more: one bucket of two.
    Path copy = logs.resolve("log-4-again");
    Files.copy(logs.resolve("log-4"), copy);
    expectedTitles.put(
        copy.toString(), expectedTitles.getOrDefault(logs.resolve("log-4").toString(), "?"));
    // gzip magic followed by garbage: unreadable, but the run goes on.
    Files.write(logs.resolve("broken.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4});
  }

  @Test
  void jsonlHasOneLinePerInputWithTitles() throws IOException {
    Run run = Run.of("triage", "--format", "jsonl", dir.resolve("logs").toString());
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(CORPUS.size() + 2);
    ObjectMapper json = new ObjectMapper();
    int checked = 0;
    for (String line : lines) {
      JsonNode n = json.readTree(line);
      assertThat(n.has("path") && n.has("title") && n.has("altTitles") && n.has("class"))
          .as(line)
          .isTrue();
      assertThat(n.has("signature") && n.has("corrupted")).as(line).isTrue();
      String path = n.get("path").asText();
      if (path.endsWith("broken.gz")) {
        assertThat(n.get("error").asText()).contains("gzip");
        continue;
      }
      String want = expectedTitles.getOrDefault(path, "?");
      assertThat(n.get("title").isNull() ? "" : n.get("title").asText()).as(path).isEqualTo(want);
      if (!want.isEmpty()) {
        assertThat(n.get("signature").asText()).as(path).matches("[0-9a-f]{16}");
      }
      checked++;
    }
    assertThat(checked).isEqualTo(CORPUS.size() + 1);
    assertThat(run.err()).contains("1 unreadable");
  }

  @Test
  void tableGroupsDuplicatesAndListsUnreadableInputs() {
    Run run = Run.of("triage", dir.resolve("logs").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.ANALYSED);
    String firstRow = run.out().lines().skip(1).findFirst().orElse("");
    assertThat(firstRow.strip()).startsWith("2 ");
    assertThat(run.out())
        .contains(expectedTitles.getOrDefault(dir.resolve("logs/log-4").toString(), "?"));
    assertThat(run.out()).contains("Unreadable inputs:").contains("broken.gz");
    assertThat(run.out()).containsPattern("triage: 10 inputs in .* 1 unreadable");
  }

  @Test
  void csvAndJsonAgreeOnBuckets() throws IOException {
    Run csv = Run.of("triage", "-f", "csv", dir.resolve("logs").toString());
    Run json = Run.of("triage", "-f", "json", dir.resolve("logs").toString());
    JsonNode root = new ObjectMapper().readTree(json.out());
    int buckets = root.get("buckets").size();
    assertThat(csv.out().lines().count()).isEqualTo(buckets + 1L);
    assertThat(root.get("buckets").get(0).get("count").asInt()).isEqualTo(2);
    assertThat(root.get("unreadable").get(0).get("path").asText()).endsWith("broken.gz");
    assertThat(root.get("summary").get("inputs").asInt()).isEqualTo(10);
  }

  @Test
  void globsAndMissingInputs() {
    Run run =
        Run.of(
            "triage",
            "-f",
            "jsonl",
            dir.resolve("logs").toString() + "/**log-10[45]*",
            dir.resolve("nothing-here").toString());
    assertThat(run.out().lines().filter(l -> l.contains("\"error\"")).count()).isEqualTo(1);
    assertThat(run.out()).contains("log-104.gz").contains("log-105").contains("no such file");
  }
}
