package org.ktriage.cli.archfixture.server;

import org.ktriage.cli.archfixture.cli.UsesTestkit;

/** The server naming the CLI: the service would depend on the command line that starts it. */
public final class CallsTheCli {
  private CallsTheCli() {}

  /** Uses a CLI class. */
  public static String name() {
    return UsesTestkit.class.getSimpleName();
  }
}
