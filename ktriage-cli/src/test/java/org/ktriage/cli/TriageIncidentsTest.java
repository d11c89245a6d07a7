package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ktriage triage} counts the independent crashes of one log as separate reports (issue
 * 11.5). Real logs: two of the lab's console logs joined as one capture of two boots, and the lab's
 * kdump console log (one crash, then the capture kernel's own boot).
 */
class TriageIncidentsTest {
  @TempDir Path dir;

  private static Path shared(String relative) {
    String base = System.getProperty("ktriage.shared", "../../shared");
    Path p = Path.of(base).resolve(relative);
    assertThat(p).as("shared file %s", p).isRegularFile();
    return p;
  }

  @Test
  void twoBootsCrashingInOneLogAreTwoReportsInTwoBuckets() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    String joined =
        Files.readString(shared("lab/out/bug-on/console.log"), StandardCharsets.ISO_8859_1)
            + "\n"
            + Files.readString(
                shared("lab/out/null-deref/console.log"), StandardCharsets.ISO_8859_1);
    Files.writeString(logs.resolve("two-boots.log"), joined, StandardCharsets.ISO_8859_1);
    Files.copy(shared("lab/out/soft-lockup-kdump/console.log"), logs.resolve("kdump-console.log"));

    Run run = Run.of("triage", "-f", "json", logs.toString());
    JsonNode root = new ObjectMapper().readTree(run.out());
    JsonNode summary = root.get("summary");
    assertThat(summary.get("inputs").asInt()).isEqualTo(2);
    // the kdump console log is one crash (its capture kernel's boot is not another)
    assertThat(summary.get("crashes").asInt()).isEqualTo(3);
    assertThat(summary.get("buckets").asInt()).isEqualTo(3);
    List<String> classes = new ArrayList<>();
    root.get("buckets").forEach(b -> classes.add(b.get("class").asText()));
    assertThat(classes).containsExactlyInAnyOrder("bug", "null-deref", "soft-lockup");

    Run lines =
        Run.of("triage", "-f", "jsonl", "-j", "1", logs.resolve("two-boots.log").toString());
    List<JsonNode> rows = new ArrayList<>();
    for (String l : lines.out().lines().toList()) {
      rows.add(new ObjectMapper().readTree(l));
    }
    assertThat(rows).hasSize(2);
    assertThat(rows)
        .extracting(n -> n.get("incident").asInt() + " " + n.get("class").asText())
        .containsExactlyInAnyOrder("0 null-deref", "1 bug");
    assertThat(run.err()).contains("3 crashes in 3 buckets");

    // analyze: the crash of the last boot, the other boot's in otherIncidents (JSON and text)
    Run json = Run.of("analyze", "--format", "json", logs.resolve("two-boots.log").toString());
    JsonNode d = new ObjectMapper().readTree(json.out());
    assertThat(d.get("class").asText()).isEqualTo("null-deref");
    assertThat(d.get("title").asText())
        .isEqualTo("BUG: unable to handle kernel NULL pointer dereference in lab_null_deref_touch");
    assertThat(d.get("boots").asInt()).isEqualTo(2);
    assertThat(d.get("crashBoot").asInt()).isEqualTo(1);
    assertThat(d.get("otherIncidents")).hasSize(1);
    JsonNode other = d.get("otherIncidents").get(0);
    assertThat(other.get("boot").asInt()).isZero();
    assertThat(other.get("class").asText()).isEqualTo("bug");
    assertThat(other.get("title").asText()).isEqualTo("kernel BUG in lab_bug_check_state");
    Run text = Run.of("analyze", "--color", "never", logs.resolve("two-boots.log").toString());
    assertThat(text.out())
        .contains("Other independent incidents in this log (1;")
        .contains("boot 1: kernel BUG in lab_bug_check_state [bug]");
    // counter-example: the kdump console log's capture kernel boot is no incident of its own
    JsonNode kdump =
        new ObjectMapper()
            .readTree(
                Run.of("analyze", "--format", "json", logs.resolve("kdump-console.log").toString())
                    .out());
    assertThat(kdump.get("boots").asInt()).isEqualTo(2);
    assertThat(kdump.get("crashBoot").asInt()).isZero();
    assertThat(kdump.get("otherIncidents")).isEmpty();
  }
}
