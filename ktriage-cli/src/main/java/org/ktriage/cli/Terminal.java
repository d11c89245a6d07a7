package org.ktriage.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The process's streams and environment as the commands see them; tests build one with captured
 * streams.
 *
 * @param out standard output
 * @param err standard error
 * @param env environment variables
 * @param stdoutTty true when standard output is a terminal
 * @param stderrTty true when standard error is a terminal
 */
public record Terminal(
    PrintWriter out,
    PrintWriter err,
    Map<String, String> env,
    boolean stdoutTty,
    boolean stderrTty) {

  /** The real process streams and environment. */
  public static Terminal system() {
    return new Terminal(
        new PrintWriter(System.out, false, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8),
        System.getenv(),
        isTty(1),
        isTty(2));
  }

  /** Standard input of the process (read when an input is named {@code -}). */
  public java.io.InputStream stdin() {
    return System.in;
  }

  /** True when colours are wanted: stdout is a terminal and {@code NO_COLOR} is unset or empty. */
  public boolean colorWanted() {
    String noColor = env.get("NO_COLOR");
    return stdoutTty && (noColor == null || noColor.isEmpty());
  }

  /** True when {@code KTRIAGE_DEBUG} asks for stack traces of internal errors. */
  public boolean debug() {
    @Nullable String v = env.get("KTRIAGE_DEBUG");
    return v != null && !v.isEmpty() && !v.equals("0");
  }

  /**
   * Whether file descriptor {@code fd} of this process is a terminal, probed through {@code
   * /proc/self/fd} (Java cannot ask isatty for one descriptor); false where that is unavailable.
   */
  private static boolean isTty(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (Exception e) {
      return false;
    }
  }
}
