package org.ktriage.cli.archfixture.model;

import org.ktriage.cli.archfixture.analysis.Engine;

/** Model naming analysis: a layer importing upward. */
public final class ReachesUp {
  private ReachesUp() {}

  /** Uses the engine. */
  public static int verdict() {
    return Engine.decide();
  }
}
