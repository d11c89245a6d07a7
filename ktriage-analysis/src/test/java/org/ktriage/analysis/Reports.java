package org.ktriage.analysis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.CrashReport;

/** Reads real inputs with the ingest layer, as the CLI does. */
final class Reports {

  private Reports() {}

  static CrashReport ingest(Path path) throws Exception {
    return Ingest.read(List.of(path), Strictness.LENIENT);
  }

  /** Reads a text snippet (written to a temporary file) with the ingest layer. */
  static CrashReport ingest(String name, String text) throws Exception {
    Path dir = Files.createTempDirectory("ktriage-analysis");
    Path p = dir.resolve(name.replace('/', '_'));
    try {
      Files.writeString(p, text, java.nio.charset.StandardCharsets.ISO_8859_1);
      return ingest(p);
    } finally {
      Files.deleteIfExists(p);
      Files.deleteIfExists(dir);
    }
  }
}
