package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.XZInputStream;

/**
 * A real dump cut anywhere after its header (issue 12): a vmcore exists because the kernel crashed,
 * so every cut gets a report (exit 0), PARTIAL, that keeps what was read and says what is missing;
 * never "no crash" (exit 1) nor a refusal (exit 3). The lab's real dumps (kdump-compressed, QEMU's
 * flattened form, and the /proc/vmcore ELF) are cut at the end of their header, inside their notes
 * or bitmaps, at the first page, and further on; a cut inside the header is still a one-line
 * refusal.
 */
class TruncatedDumpTest {
  @TempDir Path dir;

  private static Path shared(String relative) {
    String base = System.getProperty("ktriage.shared", "../../shared");
    Path p = Path.of(base).resolve(relative);
    assertThat(p).as("shared file %s", p).isRegularFile();
    return p;
  }

  /** The first {@code n} bytes of a stream written to a file. */
  private Path head(InputStream in, long n, String name) throws Exception {
    Path out = dir.resolve(name);
    try (OutputStream o = Files.newOutputStream(out)) {
      byte[] buf = new byte[1 << 16];
      long left = n;
      while (left > 0) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          break;
        }
        o.write(buf, 0, r);
        left -= r;
      }
    }
    return out;
  }

  private static List<Long> cuts(long size) {
    return List.of(
        464L,
        1024L,
        4096L,
        4096L + 464,
        8192L,
        12_288L,
        65_536L,
        1L << 20,
        size / 3,
        size / 2,
        size - 4096);
  }

  /**
   * Twenty cuts of the kdump: the eleven above and nine that fall on no boundary (a byte after the
   * header, inside the notes, a byte after them, inside each bitmap, inside page data, a byte
   * before the end).
   */
  private static List<Long> twentyCuts(long size) {
    List<Long> all = new ArrayList<>(cuts(size));
    all.addAll(
        List.of(465L, 6_200L, 8_233L, 20_000L, 28_673L, 100_003L, 3_000_001L, size * 2 / 3 + 7));
    all.add(size - 1);
    return all;
  }

  private List<JsonNode> assertEveryCutIsPartial(Path dump, List<Long> cuts) throws Exception {
    List<String> seen = new ArrayList<>();
    List<JsonNode> reports = new ArrayList<>();
    for (long cut : cuts) {
      Path part;
      try (InputStream in = Files.newInputStream(dump)) {
        part = head(in, cut, dump.getFileName() + "-" + cut);
      }
      Run run = Run.of("analyze", "--format", "json", part.toString());
      String what = dump.getFileName() + " cut at " + cut + ": " + run.err();
      assertThat(run.exitCode()).as(what).isEqualTo(ExitCode.ANALYSED);
      JsonNode root = new ObjectMapper().readTree(run.out());
      assertThat(root.get("crashFound").asBoolean()).as(what).isTrue();
      assertThat(root.at("/completeness/partial").asBoolean()).as(what).isTrue();
      assertThat(root.at("/completeness/problems").size()).as(what).isPositive();
      seen.add(root.at("/sources/0/format").asText());
      reports.add(root);
      Files.delete(part);
    }
    assertThat(seen).allMatch(f -> f.startsWith("vmcore-"));
    return reports;
  }

  @Test
  void aCutKdumpCompressedDumpIsPartial() throws Exception {
    Path dump = shared("lab/fixtures/timer-after-unload-kdump.vmcore");
    List<Long> cuts = twentyCuts(Files.size(dump));
    assertThat(cuts).hasSize(20).doesNotHaveDuplicates();
    List<JsonNode> reports = assertEveryCutIsPartial(dump, cuts);
    for (int i = 0; i < cuts.size(); i++) {
      JsonNode r = reports.get(i);
      String what = "cut at " + cuts.get(i);
      // the disk_dump_header's utsname is read even when the sub-header is cut off
      assertThat(r.at("/kernel/release").asText()).as(what).isEqualTo("6.1.0-56-amd64");
      if (cuts.get(i) >= 12_288) {
        // the notes (at 4200, 4032 bytes) were read whole: both CPUs' NT_PRSTATUS registers kept
        assertThat(r.get("cpus").size()).as(what).isEqualTo(2);
      }
    }
    // triage counts a cut dump as a crash and lists it among the inputs read in part
    Path part;
    try (InputStream in = Files.newInputStream(dump)) {
      part = head(in, 65_536, "triage-cut.vmcore");
    }
    Run triage = Run.of("triage", "-f", "json", part.toString());
    assertThat(triage.exitCode()).as(triage.err()).isEqualTo(ExitCode.ANALYSED);
    JsonNode t = new ObjectMapper().readTree(triage.out());
    assertThat(t.at("/summary/crashes").asInt()).isEqualTo(1);
    assertThat(t.at("/summary/unreadable").asInt()).isZero();
    assertThat(t.get("partial")).hasSize(1);
    assertThat(t.at("/partial/0/problems").toString()).contains("the dump is truncated");
    // counter-example: the dump cut only in its last page still gives the crash itself
    JsonNode last = reports.get(cuts.indexOf(Files.size(dump) - 4096));
    assertThat(last.get("class").asText()).isEqualTo("page-fault");
  }

  @Test
  void aCutFlattenedDumpIsPartial() throws Exception {
    Path dump = shared("lab/fixtures/timer-after-unload-qemu.vmcore");
    // the flattened format's header is the 4096-byte makedumpfile_header: cuts from its end on
    List<Long> cuts = cuts(Files.size(dump)).stream().filter(c -> c >= 4096).toList();
    assertEveryCutIsPartial(dump, cuts);
    // counter-example: a cut inside that header is a one-line refusal
    Path part;
    try (InputStream in = Files.newInputStream(dump)) {
      part = head(in, 1024, "flattened-1024");
    }
    Run run = Run.of("analyze", part.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err().strip()).doesNotContain("\n");
  }

  @Test
  void aCutElfDumpIsPartial() throws Exception {
    Path elf;
    try (InputStream in =
        new XZInputStream(
            Files.newInputStream(shared("lab/fixtures/timer-after-unload-kdump.elf.xz")))) {
      elf = head(in, 24L << 20, "timer-after-unload-kdump.elf");
    }
    List<Long> cuts = List.of(64L, 4096L, 8192L, 65_536L, 1L << 20, 12L << 20);
    for (long cut : cuts) {
      Path part;
      try (InputStream in = Files.newInputStream(elf)) {
        part = head(in, cut, "elf-" + cut);
      }
      Run run = Run.of("analyze", "--format", "json", part.toString());
      String what = "ELF cut at " + cut + ": " + run.err();
      assertThat(run.exitCode()).as(what).isEqualTo(ExitCode.ANALYSED);
      JsonNode root = new ObjectMapper().readTree(run.out());
      assertThat(root.get("crashFound").asBoolean()).as(what).isTrue();
      assertThat(root.at("/completeness/partial").asBoolean()).as(what).isTrue();
      Files.delete(part);
    }
  }

  @Test
  void aCutInsideTheHeaderIsStillOneLine() throws Exception {
    Path dump = shared("lab/fixtures/timer-after-unload-kdump.vmcore");
    Path part;
    try (InputStream in = Files.newInputStream(dump)) {
      part = head(in, 100, "kdump-100");
    }
    Run run = Run.of("analyze", part.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(run.err().strip()).doesNotContain("\n");
  }
}
