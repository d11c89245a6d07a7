package org.ktriage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.ktriage.server.CrashServer;
import org.ktriage.server.Database;
import org.ktriage.server.ServerConfig;
import org.ktriage.server.Tokens;
import org.ktriage.server.netconsole.HttpReportSink;
import org.ktriage.server.netconsole.NetconsoleReceiver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ktriage serve}: starts the crash service (module {@code ktriage-server}) and says where it
 * listens; runs until stopped.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Runs the crash service: hosts POST crash reports (kernel logs, crash output, gzip/xz/zstd,"
            + " or the JSON of 'analyze --format json') to /api/v1/reports; the JSON API under"
            + " /api/v1 lists buckets with their trend and lifecycle. Uses an embedded database"
            + " under --data unless --db names one (PostgreSQL in production).")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", description = "TCP port (default 8080; 0 picks a free one)")
  int port = 8080;

  @Option(
      names = "--host",
      description = "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
  String host = "127.0.0.1";

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "data directory for the embedded database and temporary files (default"
              + " $XDG_DATA_HOME/ktriage or ~/.local/share/ktriage)")
  @Nullable Path data;

  @Option(
      names = "--db",
      paramLabel = "JDBC-URL",
      description =
          "database instead of the embedded one, e.g. jdbc:postgresql://db:5432/ktriage; user and"
              + " password from KTRIAGE_DB_USER and KTRIAGE_DB_PASSWORD")
  @Nullable String db;

  @Option(
      names = "--max-body-mib",
      description = "largest accepted report as sent, in MiB (default 32)")
  long maxBodyMib = ServerConfig.DEFAULT_MAX_BODY_BYTES >> 20;

  @Option(
      names = "--max-inflated-mib",
      description = "largest accepted report once decompressed, in MiB (default 256)")
  long maxInflatedMib = ServerConfig.DEFAULT_MAX_INFLATED_BYTES >> 20;

  @Option(
      names = "--user-header",
      paramLabel = "HEADER",
      description =
          "let a reverse proxy in front of the server authenticate dashboard users: a request with"
              + " this header (e.g. X-Forwarded-User) is let in as the user it names; use it only"
              + " when the proxy is the sole way in")
  @Nullable String userHeader;

  @Option(
      names = "--scrub",
      description =
          "remove host names, IPv4/IPv6 and MAC addresses from the text stored of each new report"
              + " and from its diagnosis (the stored text is then the scrubbed plain text, not the"
              + " bytes as uploaded; buckets are made before scrubbing)")
  boolean scrub;

  @Option(
      names = "--keep-retired",
      paramLabel = "N",
      description =
          "retired triage generations (the groupings a re-triage replaced) kept after an apply,"
              + " newest first; older ones are dropped (default 1)")
  int keepRetired = ServerConfig.DEFAULT_KEEP_RETIRED;

  @Option(
      names = "--new-token",
      paramLabel = "NAME=SCOPES",
      description =
          "create an API token for a submitter (scopes read, write or read,write), print it once"
              + " and exit; once a token exists every API request needs one")
  @Nullable String newToken;

  @Option(
      names = "--netconsole-port",
      paramLabel = "PORT",
      description =
          "also receive netconsole (plain or extended) on this UDP port of --host and ingest the"
              + " crash reports cut from each sender's stream (a write token from $KTRIAGE_TOKEN"
              + " when the service has tokens)")
  @Nullable Integer netconsolePort;

  private final Terminal terminal;

  /** The command on a terminal's streams and environment. */
  public ServeCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = terminal.err();
    if (port < 0 || port > 65535) {
      err.println("ktriage serve: --port must be 0..65535, got " + port);
      return ExitCode.USAGE;
    }
    if (netconsolePort != null && (netconsolePort < 0 || netconsolePort > 65535)) {
      err.println("ktriage serve: --netconsole-port must be 0..65535, got " + netconsolePort);
      return ExitCode.USAGE;
    }
    if (maxBodyMib < 1 || maxInflatedMib < maxBodyMib) {
      err.println("ktriage serve: need 1 <= --max-body-mib <= --max-inflated-mib");
      return ExitCode.USAGE;
    }
    if (keepRetired < 0) {
      err.println("ktriage serve: --keep-retired must be 0 or more, got " + keepRetired);
      return ExitCode.USAGE;
    }
    if (db != null && !db.startsWith("jdbc:")) {
      err.println("ktriage serve: --db must be a JDBC URL (jdbc:postgresql://HOST:PORT/DB)");
      return ExitCode.USAGE;
    }
    Path dir = data != null ? data : defaultDataDir();
    ServerConfig config =
        new ServerConfig.Builder(dir)
            .host(host)
            .port(port)
            .jdbc(
                db,
                terminal.env().get("KTRIAGE_DB_USER"),
                terminal.env().get("KTRIAGE_DB_PASSWORD"))
            .limits(maxBodyMib << 20, maxInflatedMib << 20)
            .userHeader(userHeader)
            .scrub(scrub)
            .keepRetired(keepRetired)
            .build();
    if (newToken != null) {
      return createToken(config, newToken);
    }
    CrashServer server;
    try {
      server = CrashServer.start(config, VersionProvider.version());
    } catch (IOException | SQLException | RuntimeException e) {
      err.println("ktriage serve: cannot start: " + Messages.describe(e));
      return ExitCode.UNREADABLE;
    }
    NetconsoleReceiver netconsole = null;
    if (netconsolePort != null) {
      try {
        netconsole =
            NetconsoleReceiver.start(
                NetconsoleReceiver.Config.on(host, netconsolePort),
                new HttpReportSink(URI.create(server.url()), terminal.env().get("KTRIAGE_TOKEN")));
      } catch (IOException | RuntimeException e) {
        server.close();
        err.println("ktriage serve: cannot receive netconsole: " + Messages.describe(e));
        return ExitCode.UNREADABLE;
      }
      err.println("ktriage serve: receiving netconsole on udp " + host + ":" + netconsole.port());
    }
    NetconsoleReceiver receiver = netconsole;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (receiver != null) {
                    receiver.close();
                  }
                  server.close();
                  stopped.countDown();
                },
                "ktriage-serve-stop"));
    err.println(
        "ktriage serve: listening on "
            + server.url()
            + " ("
            + server.databaseProduct()
            + (db == null ? " in " + dir.toAbsolutePath() : "")
            + ", rule book "
            + server.rulebookVersion()
            + "); Ctrl-C stops");
    err.flush();
    stopped.await();
    return ExitCode.ANALYSED;
  }

  private int createToken(ServerConfig config, String spec) {
    PrintWriter err = terminal.err();
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      err.println("ktriage serve: --new-token wants NAME=SCOPES, e.g. ci-lab=write");
      return ExitCode.USAGE;
    }
    java.util.Set<String> scopes = new java.util.TreeSet<>();
    for (String s : spec.substring(eq + 1).split(",", -1)) {
      scopes.add(s.strip());
    }
    try (Database database = Database.open(config)) {
      String token = Tokens.create(database, spec.substring(0, eq), scopes);
      terminal.out().println(token);
      err.println(
          "ktriage serve: token for "
              + spec.substring(0, eq)
              + " ("
              + String.join(",", scopes)
              + ") created; it is shown only now");
      return ExitCode.ANALYSED;
    } catch (IllegalArgumentException e) {
      err.println("ktriage serve: --new-token: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException | SQLException | RuntimeException e) {
      err.println("ktriage serve: cannot open the database: " + Messages.describe(e));
      return ExitCode.UNREADABLE;
    }
  }

  private Path defaultDataDir() {
    String xdg = terminal.env().get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "ktriage");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "ktriage");
  }
}
