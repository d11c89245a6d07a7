package org.ktriage.cli.archfixture.ingest;

import org.ktriage.cli.archfixture.analysis.Engine;

/** A reader that judges (calls analysis) and prints a stack trace. */
public final class Judges {
  private Judges() {}

  /** Reads and judges. */
  public static int read() {
    try {
      return Engine.decide();
    } catch (RuntimeException e) {
      e.printStackTrace();
      return -1;
    }
  }
}
