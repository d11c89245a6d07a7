package org.ktriage.cli.archfixture.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ktriage.cli.archfixture.ingest.Judges;

/** Analysis that opens a file and calls ingest. */
public final class ReadsInput {
  private ReadsInput() {}

  /** Reads a file itself. */
  public static long size(Path p) throws IOException {
    return Files.size(p) + Judges.read();
  }
}
