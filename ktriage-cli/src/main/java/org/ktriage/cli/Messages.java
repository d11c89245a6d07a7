package org.ktriage.cli;

import org.jspecify.annotations.Nullable;
import org.ktriage.render.Printable;

/** One-line messages for stderr. */
final class Messages {
  private static final int MAX_CHARS = 400;

  private Messages() {}

  /** {@code text} on one line, control bytes escaped, cut to a readable length. */
  static String oneLine(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return "(no detail)";
    }
    String s = Printable.clean(text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " "));
    return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS - 3) + "..." : s;
  }

  /** The message of a throwable with its type when the message alone says little. */
  /** One line for running out of heap: the limit, and how to raise it. */
  static String outOfMemory() {
    return "out of memory (heap limit "
        + (Runtime.getRuntime().maxMemory() >> 20)
        + " MiB); raise it with KTRIAGE_JAVA_OPTS=-Xmx<size>";
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    String type = t.getClass().getSimpleName();
    return m == null || m.isBlank() ? type : type + ": " + oneLine(m);
  }
}
