package org.ktriage.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A private, throw-away PostgreSQL server for storage tests, run from Debian's {@code postgresql}
 * package binaries ({@code /usr/lib/postgresql/N/bin}): {@code initdb} into a temporary directory,
 * {@code pg_ctl start} on a free loopback port with trust authentication for user {@code ktriage},
 * stopped and deleted when the JVM exits. As root the server runs as the {@code postgres} user
 * (PostgreSQL refuses to run as root), through {@code runuser}. One cluster per JVM; each test asks
 * for a fresh database.
 */
public final class PostgresCluster {
  private static final long TIMEOUT_SECONDS = 60;
  private static @Nullable PostgresCluster shared;
  private static @Nullable String unavailable;

  private final Path binDir;
  private final Path dataDir;
  private final int port;
  private final @Nullable String runAs;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresCluster(Path binDir, Path dataDir, int port, @Nullable String runAs) {
    this.binDir = binDir;
    this.dataDir = dataDir;
    this.port = port;
    this.runAs = runAs;
  }

  /**
   * The JVM's cluster, started on first use.
   *
   * @throws IllegalStateException when PostgreSQL is not installed or does not start (the message
   *     says how to install it)
   */
  public static synchronized PostgresCluster shared() {
    if (shared != null) {
      return shared;
    }
    if (unavailable != null) {
      throw new IllegalStateException(unavailable);
    }
    try {
      shared = start();
      return shared;
    } catch (IOException | RuntimeException e) {
      unavailable = "PostgreSQL for the storage tests: " + e.getMessage();
      throw new IllegalStateException(unavailable, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting PostgreSQL", e);
    }
  }

  /** True when the PostgreSQL server binaries are installed. */
  public static boolean installed() {
    return findBinDir() != null;
  }

  /** True when tests run under CI ({@code CI=true}), where a missing PostgreSQL is a failure. */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The loopback port the server listens on. */
  public int port() {
    return port;
  }

  /** A new, empty database; its JDBC URL (user {@code ktriage}, no password). */
  public String newDatabase() throws IOException, InterruptedException {
    String name = "t" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
    run(List.of(bin("createdb"), "-h", "127.0.0.1", "-p", "" + port, "-U", "ktriage", name));
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=ktriage";
  }

  private static @Nullable Path findBinDir() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(
              b ->
                  Files.isExecutable(b.resolve("initdb"))
                      && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static int versionOf(@Nullable Path dir) {
    try {
      return dir == null ? 0 : Integer.parseInt(String.valueOf(dir.getFileName()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static PostgresCluster start() throws IOException, InterruptedException {
    Path bin = findBinDir();
    if (bin == null) {
      throw new IllegalStateException(
          "no initdb/pg_ctl under /usr/lib/postgresql/*/bin: install Debian's postgresql package"
              + " (./run-tests does)");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    String runAs = root ? "postgres" : null;
    Path dir = Files.createTempDirectory("ktriage-pg-");
    Path data = dir.resolve("data");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PostgresCluster c = new PostgresCluster(bin, data, port, runAs);
    if (runAs != null) {
      c.run(List.of("chown", runAs, dir.toString()));
    }
    c.run(
        c.as(
            List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "ktriage",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync")));
    Runtime.getRuntime().addShutdownHook(new Thread(c::stopQuietly, "ktriage-pg-stop"));
    c.run(
        c.as(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                dir.resolve("server.log").toString(),
                "-w",
                "-t",
                "" + TIMEOUT_SECONDS,
                "-o",
                "-p "
                    + port
                    + " -k "
                    + dir
                    + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c synchronous_commit=off -c full_page_writes=off",
                "start")));
    return c;
  }

  private void stopQuietly() {
    try {
      run(as(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop")));
    } catch (IOException | RuntimeException e) {
      // the JVM is exiting; a failed stop leaves a process the temp cleaner finds
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Path top = dataDir.getParent();
    if (top != null) {
      try (Stream<Path> walk = Files.walk(top)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort
      }
    }
  }

  private String bin(String tool) {
    return binDir.resolve(tool).toString();
  }

  private List<String> as(List<String> cmd) {
    if (runAs == null) {
      return cmd;
    }
    List<String> out = new ArrayList<>(List.of("runuser", "-u", runAs, "--"));
    out.addAll(cmd);
    return out;
  }

  private void run(List<String> cmd) throws IOException, InterruptedException {
    Path log = Files.createTempFile("ktriage-pg-cmd-", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": no answer in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        String out = Files.readString(log, StandardCharsets.UTF_8).strip();
        throw new IOException(
            String.join(" ", cmd)
                + " exited with "
                + p.exitValue()
                + ": "
                + out.replace('\n', ' '));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
