package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.ingest.input.InputFormats;
import org.ktriage.testkit.Shared;

/**
 * One input-format registry for every command (issue 10, item 3): the lab's kernel log and its
 * kdump-compressed vmcore, each packed by the real tool of every container the registry knows, read
 * by {@code analyze}, {@code triage}, {@code dmesg} and {@code dump} exactly as the plain files
 * are.
 */
class ContainersOnEveryCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The real tool (and fast options) that makes each container of the registry. */
  private static final String[][] TOOLS = {
    {"bzip2", "-c", "-1"},
    {"gzip", "-c", "-1"},
    {"lz4", "-qc"},
    {"lzop", "-c"},
    {"xz", "-c", "-0"},
    {"zstd", "-qc"}
  };

  @TempDir Path tmp;

  private Path pack(Path plain, String... tool) throws IOException, InterruptedException {
    Path out = tmp.resolve(plain.getFileName() + "." + tool[0]);
    Process p =
        new ProcessBuilder(tool).redirectInput(plain.toFile()).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s (install it: apt-get install %s)", tool[0], tool[0]).isZero();
    return out;
  }

  private static JsonNode analyze(Path p) throws Exception {
    Run r = Run.of("analyze", "--format", "json", p.toString());
    assertThat(r.exitCode()).as("%s: %s", p, r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private static String verdict(JsonNode d) {
    return d.path("title").asText() + " | " + d.path("signature").asText();
  }

  @Test
  void everyContainerReadsAsThePlainFileOnEveryCommand() throws Exception {
    // every container line of the registry has its tool here: a new one must be added
    List<String> containers = new ArrayList<>();
    for (InputFormats f : InputFormats.values()) {
      if (f.reader() instanceof InputFormats.Container) {
        containers.add(f.id());
      }
    }
    assertThat(containers)
        .containsExactlyInAnyOrderElementsOf(List.of(TOOLS).stream().map(t -> t[0]).toList());

    Path log = Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt");
    Path dump = Shared.path("lab/fixtures/timer-after-unload-kdump.vmcore");
    String logVerdict = verdict(analyze(log));
    String dumpVerdict = verdict(analyze(dump));
    assertThat(logVerdict).contains("__run_timers");
    Run dmesg = Run.of("dmesg", dump.toString());
    assertThat(dmesg.exitCode()).as(dmesg.err()).isZero();
    Run mod = Run.of("dump", dump.toString(), "mod");
    assertThat(mod.exitCode()).as(mod.err()).isZero();

    Path packed = Files.createDirectories(tmp.resolve("packed"));
    for (String[] tool : TOOLS) {
      Path l = pack(log, tool);
      Path d = pack(dump, tool);
      assertThat(verdict(analyze(l))).as("analyze %s", l).isEqualTo(logVerdict);
      assertThat(verdict(analyze(d))).as("analyze %s", d).isEqualTo(dumpVerdict);
      Run dm = Run.of("dmesg", d.toString());
      assertThat(dm.exitCode()).as("dmesg %s: %s", d, dm.err()).isZero();
      assertThat(dm.out()).as("dmesg %s", d).isEqualTo(dmesg.out());
      Run md = Run.of("dump", d.toString(), "mod");
      assertThat(md.exitCode()).as("dump %s mod: %s", d, md.err()).isZero();
      assertThat(md.out()).as("dump %s mod", d).isEqualTo(mod.out());
      Files.move(l, packed.resolve(l.getFileName()));
      Files.move(d, packed.resolve(d.getFileName()));
    }
    // triage reads them all: no input unreadable, the logs in one bucket, the dumps in one
    Run triage = Run.of("triage", "--format", "json", "--no-progress", packed.toString());
    assertThat(triage.exitCode()).as(triage.err()).isIn(0, 1);
    JsonNode root = JSON.readTree(triage.out());
    assertThat(root.get("unreadable")).isEmpty();
    // the dumps are PARTIAL as the plain dump is (makedumpfile's dump level filtered pages out);
    // no container adds a problem of its own
    for (JsonNode part : root.get("partial")) {
      assertThat(part.get("path").asText()).contains(".vmcore.");
      assertThat(part.get("problems").toString())
          .contains("dump level 31")
          .doesNotContain("cut or corrupt");
    }
    assertThat(root.path("summary").path("crashes").asInt()).isEqualTo(2 * TOOLS.length);
    long inBuckets = 0;
    for (JsonNode b : root.get("buckets")) {
      inBuckets += b.get("count").asLong();
    }
    assertThat(inBuckets).isEqualTo(2L * TOOLS.length);
  }
}
