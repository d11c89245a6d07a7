package org.ktriage.analysis.signature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.model.CrashReport;

/** Reads console text through the real ingest layer (via a temporary file). */
final class Ingested {
  private Ingested() {}

  static CrashReport read(String log) throws IOException, UnreadableInputException {
    Path tmp = Files.createTempFile("ktriage-test-", ".log");
    try {
      Files.writeString(tmp, log, StandardCharsets.ISO_8859_1);
      return Ingest.read(List.of(tmp), Strictness.LENIENT);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
