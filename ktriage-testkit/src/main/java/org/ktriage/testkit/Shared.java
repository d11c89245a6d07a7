package org.ktriage.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared read-only material ({@code ktriage.shared}) for tests, failing loudly. */
public final class Shared {
  private Shared() {}

  /** The shared folder; throws when the system property is unset or the folder is missing. */
  public static Path root() {
    String prop = System.getProperty("ktriage.shared");
    if (prop == null) {
      throw new IllegalStateException("system property ktriage.shared is not set");
    }
    Path root = Path.of(prop);
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("shared folder missing: " + root);
    }
    return root;
  }

  /** A file or folder under the shared folder; throws when it does not exist. */
  public static Path path(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("shared test input missing: " + p);
    }
    return p;
  }
}
