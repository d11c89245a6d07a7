package org.ktriage.ingest.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Locates the real lab dumps and crash reference outputs under {@code ktriage.shared}. */
final class LabDumps {
  private LabDumps() {}

  static Path shared(String relative) {
    String root = System.getProperty("ktriage.shared");
    if (root == null) {
      throw new IllegalStateException(
          "system property ktriage.shared is not set (surefire sets it to ../shared)");
    }
    Path p = Path.of(root, relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(
          "missing shared file "
              + p
              + ": the lab fixtures come from ../shared/lab/make-crashes.sh (see lab/fixtures/README.md)");
    }
    return p;
  }

  static List<String> lines(String relative) throws IOException {
    return Files.readAllLines(shared(relative));
  }
}
