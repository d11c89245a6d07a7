package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.kind.ReportingFrames;

/**
 * Every real report of {@code corpus/kinds}: a kind added as one entry of the report-kind table is
 * read as a report, classified, blamed on the function its header names (never a reporting frame)
 * and titled, as its file's header expects.
 */
class ReportKindCorpusTest {

  static Stream<Path> files() throws Exception {
    Path dir = Path.of("../corpus/kinds");
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("files")
  void reportIsReadClassifiedBlamedAndTitled(Path file) throws Exception {
    String all = Files.readString(file, StandardCharsets.UTF_8);
    int split = all.indexOf("\n\n");
    Map<String, String> header = new HashMap<>();
    for (String line : all.substring(0, split).split("\n")) {
      int colon = line.indexOf(':');
      header.put(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    String text = all.substring(split + 2);
    Diagnosis d = new Analyzer().analyze(Reports.ingest(file.getFileName().toString(), text));
    String dump = DebugPrint.of(d);
    assertThat(d.failureClass().id()).as(dump).isEqualTo(header.get("CLASS"));
    PrimaryFailure p = d.primary();
    String culprit = header.getOrDefault("CULPRIT", "");
    // The title's guilty frame is picked past the reporting frames of the one table; a kind
    // printed without a stack (CULPRIT empty) names no function.
    if (!culprit.isEmpty()) {
      assertThat(d.title()).as(dump).endsWith(" in " + culprit);
    } else {
      assertThat(d.title()).as(dump).doesNotContain(" in ");
    }
    // The primary names the culprit where ingest reads the trace's frames (arm32 "from" lines
    // are not read as frames yet); it is never a reporting frame.
    if (p != null && p.function() != null) {
      assertThat(ReportingFrames.isReporting(p.function())).as(dump).isFalse();
      assertThat(p.function()).as(dump).isEqualTo(culprit);
    }
    assertThat(d.title()).as(dump).isEqualTo(header.get("TITLE"));
  }
}
