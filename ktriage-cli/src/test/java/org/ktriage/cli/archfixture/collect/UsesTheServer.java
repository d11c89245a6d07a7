package org.ktriage.cli.archfixture.collect;

import org.ktriage.cli.archfixture.server.CallsTheCli;

/**
 * The collector naming the server: the host-side collector would drag the service (database, HTTP
 * server) onto every host; it speaks to the service over HTTP only.
 */
public final class UsesTheServer {
  private UsesTheServer() {}

  /** Uses a server class. */
  public static String name() {
    return CallsTheCli.class.getSimpleName();
  }
}
