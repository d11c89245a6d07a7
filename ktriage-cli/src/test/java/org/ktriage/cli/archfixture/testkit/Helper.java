package org.ktriage.cli.archfixture.testkit;

import org.ktriage.cli.archfixture.render.Decides;

/** A test helper that reaches a renderer. */
public final class Helper {
  private Helper() {}

  /** Shows. */
  public static void run() {
    Decides.show();
  }
}
