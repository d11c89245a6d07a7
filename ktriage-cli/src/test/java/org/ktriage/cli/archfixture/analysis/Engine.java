package org.ktriage.cli.archfixture.analysis;

/** A deciding engine of analysis. */
public final class Engine {
  private Engine() {}

  /** A decision. */
  public static int decide() {
    return 1;
  }
}
