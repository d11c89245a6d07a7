package org.ktriage.server;

import java.nio.file.Path;

/**
 * A crash service in a process of its own, for the tests that kill it: {@code ServeMain DATA_DIR
 * [JDBC_URL]}. Prints {@code PORT n} once it listens, then serves until killed.
 */
public final class ServeMain {
  private ServeMain() {}

  public static void main(String[] args) throws Exception {
    ServerConfig config = ServerConfig.defaults(Path.of(args[0])).withPort(0);
    if (args.length > 1) {
      config = config.withJdbc(args[1], null, null);
    }
    CrashServer s = CrashServer.start(config, "test");
    System.out.println("PORT " + s.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
