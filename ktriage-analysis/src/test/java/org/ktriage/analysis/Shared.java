package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared folder ({@code ktriage.shared}); a missing file fails the test. */
final class Shared {

  private Shared() {}

  static Path file(String relative) {
    String root = System.getProperty("ktriage.shared", "../../shared");
    Path p = Path.of(root).resolve(relative);
    assertThat(Files.exists(p)).as("shared file missing: %s (set -Dktriage.shared)", p).isTrue();
    return p;
  }
}
