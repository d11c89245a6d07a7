package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ktriage dmesg} on the lab's real kdump capture and on unreadable input. */
class DmesgCommandTest {
  @TempDir Path tmp;

  private static Path shared(String rel) {
    Path p = Path.of(System.getProperty("ktriage.shared", "../shared")).resolve(rel);
    assertThat(p).as("lab fixture %s (see shared/lab/fixtures/README.md)", p).isReadable();
    return p;
  }

  @Test
  void printsTheMakedumpfileLogOfARealDump() throws IOException {
    Path dump = shared("lab/fixtures/timer-after-unload-kdump.vmcore");
    String expected =
        Files.readString(
            shared("lab/fixtures/timer-after-unload-kdump.dmesg.txt"), StandardCharsets.UTF_8);
    Run r = Run.of("dmesg", dump.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(ExitCode.ANALYSED);
    assertThat(r.out()).isEqualTo(expected);
  }

  @Test
  void unreadableDumpIsExitThreeWithOneLine() throws IOException {
    Path junk = tmp.resolve("vmcore");
    Files.writeString(junk, "KDUMP   but nothing else");
    Run r = Run.of("dmesg", junk.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(r.errLines()).isEqualTo(1);
    assertThat(r.err()).startsWith("ktriage: " + junk).contains("offset");
    Run missing = Run.of("dmesg", tmp.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(missing.err()).contains("no such file");
  }

  @Test
  void analyzeOfEachDumpMatchesItsConsoleLog() throws IOException {
    String[][] pairs = {
      {
        "lab/fixtures/timer-after-unload-kdump.vmcore",
        "lab/out/timer-after-unload-kdump/console.log"
      },
      {"lab/fixtures/timer-after-unload-qemu.vmcore", "lab/out/timer-after-unload/console.log"},
    };
    ObjectMapper json = new ObjectMapper();
    for (String[] pair : pairs) {
      Run dump = Run.of("analyze", "--format", "json", shared(pair[0]).toString());
      Run console = Run.of("analyze", "--format", "json", shared(pair[1]).toString());
      assertThat(dump.exitCode()).as(dump.err()).isEqualTo(ExitCode.ANALYSED);
      JsonNode d = json.readTree(dump.out());
      JsonNode c = json.readTree(console.out());
      assertThat(d.path("sources").get(0).path("format").asText()).startsWith("vmcore-");
      assertThat(d.path("class").asText()).isEqualTo(c.path("class").asText());
      assertThat(d.path("primary").path("function").asText())
          .isEqualTo(c.path("primary").path("function").asText())
          .isEqualTo("__run_timers");
      assertThat(rules(d)).isEqualTo(rules(c)).isNotEmpty();
    }
  }

  private static List<String> rules(JsonNode report) {
    List<String> out = new ArrayList<>();
    report.path("findings").forEach(f -> out.add(f.path("rule").asText()));
    return out;
  }
}
