package org.ktriage.server;

import org.jspecify.annotations.Nullable;

/** One-line messages for clients and logs. */
final class ServerMessages {
  private ServerMessages() {}

  /** Collapses a message to one line of at most 300 characters. */
  static String oneLine(@Nullable String s) {
    if (s == null || s.isBlank()) {
      return "(no message)";
    }
    String one = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return one.length() > 300 ? one.substring(0, 297) + "..." : one;
  }
}
