package org.ktriage.cli;

import org.ktriage.model.Diagnosis;

/** The CLI's exit codes (docs/architecture.md; API: never renumber one). */
public final class ExitCode {
  /** Inputs analysed (a crash found or not). */
  public static final int ANALYSED = 0;

  /** Inputs analysed and they contain no crash at all. */
  public static final int NO_CRASH = 1;

  /** Bad command line. */
  public static final int USAGE = 2;

  /**
   * Unreadable or unsupported input, with a one-line reason on stderr; also an internal error,
   * which says "please report".
   */
  public static final int UNREADABLE = 3;

  private ExitCode() {}

  /** The exit code of an analysed input: {@link #NO_CRASH} when analysis found no crash in it. */
  static int of(Diagnosis d) {
    return d.crashFound() ? ANALYSED : NO_CRASH;
  }
}
