package org.ktriage.cli.archfixture.cli;

import org.ktriage.cli.archfixture.testkit.Helper;

/** The CLI using a test-only helper. */
public final class UsesTestkit {
  private UsesTestkit() {}

  /** A name, after running the helper. */
  public static String name() {
    Helper.run();
    return "cli";
  }
}
