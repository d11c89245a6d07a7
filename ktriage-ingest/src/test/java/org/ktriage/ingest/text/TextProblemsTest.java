package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.Completeness;
import org.ktriage.testkit.Shared;

/** The problems of a text read, on the lab's real bug-on console log, whole and cut. */
class TextProblemsTest {
  private static final Path LOG = Shared.path("lab/out/bug-on/console.log");

  @Test
  void aWholeLogHasNoProblem() throws Exception {
    TextReader.TextResult r;
    try (InputStream in = Files.newInputStream(LOG)) {
      r = TextReader.read(in, "console.log");
    }
    assertThat(r.completeness().partial()).isFalse();
    assertThat(r.completeness().problems()).isEmpty();
  }

  @Test
  void aReportCutByTheEndOfTheInputIsPartialAndSaid() throws Exception {
    // the log up to the middle of the kernel BUG's call trace (line 386 is "Call Trace:")
    List<String> lines = Files.readAllLines(LOG, StandardCharsets.UTF_8).subList(0, 390);
    byte[] cut = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    TextReader.TextResult r = TextReader.read(new ByteArrayInputStream(cut), "cut.log");
    Completeness c = r.completeness();
    assertThat(c.partial()).isTrue();
    assertThat(c.problems())
        .singleElement()
        .asString()
        .startsWith("cut.log: report \"kernel BUG at ")
        .endsWith("is cut at line 390 (input ended before its end)");
  }

  @Test
  void theLogWindowIsSaidButIsNoPartialReport() {
    Completeness c = new TextProblems("x.log").logWindow(25, 20).cutLines(0).completeness();
    assertThat(c.partial()).isFalse();
    assertThat(c.problems())
        .containsExactly(
            "x.log: kept the last 20 of 25 log lines (and every line inside a report)");
    Completeness cut = new TextProblems("x.log").cutLines(3).completeness();
    assertThat(cut.partial()).isTrue();
    assertThat(cut.problems().get(0)).startsWith("x.log: 3 line(s) longer than ");
  }
}
