package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.CrashReport;

/** Real inputs from the shared folder, read with the ingest layer as the CLI reads them. */
final class Inputs {

  private Inputs() {}

  /**
   * A shared file ({@code ktriage.shared}, default ../../shared); a missing file fails the test.
   */
  static Path shared(String relative) {
    Path p = Path.of(System.getProperty("ktriage.shared", "../../shared")).resolve(relative);
    assertThat(Files.exists(p)).as("shared file missing: %s", p).isTrue();
    return p;
  }

  static String text(String relative) throws Exception {
    return Files.readString(shared(relative), StandardCharsets.ISO_8859_1);
  }

  static CrashReport report(String relative) throws Exception {
    return Ingest.read(List.of(shared(relative)), Strictness.LENIENT);
  }

  /** The facts of a shared file. */
  static CrashFacts facts(String relative) throws Exception {
    return CauseOrder.facts(report(relative));
  }

  /** The facts of a file of the repository's wild corpus, tuning part (never the held-out one). */
  static CrashFacts wildTuneFacts(String name) throws Exception {
    Path p = Path.of("../corpus/wild/tune").resolve(name);
    assertThat(Files.exists(p)).as("wild corpus file missing: %s", p).isTrue();
    return CauseOrder.facts(Ingest.read(List.of(p), Strictness.LENIENT));
  }

  /** The primary chosen from the facts; a report without one fails the test. */
  static Primary primary(CrashFacts facts) {
    return Objects.requireNonNull(PrimaryChoice.choose(facts), "no primary");
  }

  /** The facts of a text (an edited real report), read through a temporary file. */
  static CrashFacts factsOfText(String text) throws Exception {
    Path tmp = Files.createTempFile("ktriage-order-", ".txt");
    try {
      Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
      return CauseOrder.facts(Ingest.read(List.of(tmp), Strictness.LENIENT));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
