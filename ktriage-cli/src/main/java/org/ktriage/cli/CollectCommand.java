package org.ktriage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.ktriage.collect.CollectEvent;
import org.ktriage.collect.Collector;
import org.ktriage.collect.HostIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ktriage collect}: diagnoses new crash material on this host and sends it to a {@code
 * ktriage serve} (module {@code ktriage-collect}); prints one line per step.
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Send this host's new crashes to a crash service, once each.",
      "",
      "Finds kdump captures (/var/crash: RHEL <ip>-<date>/vmcore + vmcore-dmesg.txt, Debian"
          + " <stamp>/dump.<stamp> + dmesg.<stamp>) and pstore records (/sys/fs/pstore,"
          + " /var/lib/systemd/pstore), or reads the FILEs given; diagnoses each here (a vmcore"
          + " never leaves the host) and posts the diagnosis, the kernel log and the host's"
          + " identity to the service. Remembers what it sent in --state; retries with back-off"
          + " while the service is away and keeps the rest for the next run. Never deletes or"
          + " changes the files it reads."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:everything found was sent (or was sent before, or holds no crash)",
      "2:usage error",
      "3:something could not be read, was refused, or waits for the next run"
    })
final class CollectCommand implements Callable<Integer> {
  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "the crash service, e.g. http://crash.example:8080 (or $KTRIAGE_SERVER)")
  @Nullable String server;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "file holding a write token (or $KTRIAGE_TOKEN); needed once the service has" + " tokens")
  @Nullable Path tokenFile;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "the collector's own directory: what was sent, and the outbox (default"
              + " /var/lib/ktriage/collect when writable, else $XDG_STATE_HOME/ktriage/collect)")
  @Nullable Path state;

  @Option(
      names = "--kdump-dir",
      paramLabel = "DIR",
      description = "where kdump saves captures (repeatable; default /var/crash)")
  List<Path> kdumpDirs = new ArrayList<>();

  @Option(
      names = "--pstore-dir",
      paramLabel = "DIR",
      description =
          "pstore records (repeatable; default /sys/fs/pstore and /var/lib/systemd/pstore)")
  List<Path> pstoreDirs = new ArrayList<>();

  @Option(
      names = "--host",
      paramLabel = "NAME",
      description = "the host name to report (default: the kernel's host name)")
  @Nullable String host;

  @Option(
      names = "--label",
      paramLabel = "LABEL",
      description = "a label for every report sent (repeatable), e.g. rack=b7 or canary")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--retry-for",
      paramLabel = "SECONDS",
      description =
          "keep retrying a service that is away this long (default 300), then keep the rest for"
              + " the next run")
  long retryForSeconds = 300;

  @Parameters(
      arity = "0..*",
      paramLabel = "FILE",
      description =
          "send these files or kdump directories instead of searching (any input 'analyze'"
              + " reads)")
  List<Path> files = new ArrayList<>();

  private final Terminal terminal;

  CollectCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = terminal.err();
    String url = server != null ? server : terminal.env().get("KTRIAGE_SERVER");
    if (url == null || url.isBlank()) {
      return usage("--server URL (or $KTRIAGE_SERVER) names the crash service");
    }
    URI base;
    try {
      base = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      return usage("--server: not a URL: " + Messages.oneLine(e.getMessage()));
    }
    if (base.getScheme() == null
        || !(base.getScheme().equals("http") || base.getScheme().equals("https"))
        || base.getHost() == null) {
      return usage("--server must be an http:// or https:// URL, got " + url);
    }
    if (retryForSeconds < 0) {
      return usage("--retry-for must be 0 or more seconds");
    }
    for (Path f : files) {
      if (!Files.exists(f)) {
        err.println("ktriage collect: cannot read " + f + ": no such file or directory");
        return ExitCode.UNREADABLE;
      }
    }
    String token = terminal.env().get("KTRIAGE_TOKEN");
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        err.println("ktriage collect: --token-file: " + Messages.describe(e));
        return ExitCode.UNREADABLE;
      }
    }
    return run(options(base, token == null || token.isBlank() ? null : token));
  }

  /** The collector's options: the flags given, the defaults for the rest. */
  private Collector.Options options(URI base, @Nullable String token) {
    HostIdentity id = HostIdentity.current();
    if (host != null) {
      id = new HostIdentity(HostIdentity.cleanHost(host), id.machineId(), id.runningRelease());
    }
    return new Collector.Options(
        base,
        token,
        state != null ? state : defaultState(),
        kdumpDirs.isEmpty() ? List.of(Path.of("/var/crash")) : kdumpDirs,
        pstoreDirs.isEmpty()
            ? List.of(Path.of("/sys/fs/pstore"), Path.of("/var/lib/systemd/pstore"))
            : pstoreDirs,
        files,
        id,
        labels,
        Duration.ofSeconds(retryForSeconds),
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        VersionProvider.version());
  }

  /** Runs the collector, one line per step; the exit code from what was left undone. */
  private int run(Collector.Options options) throws InterruptedException {
    PrintWriter out = terminal.out();
    int[] already = {0};
    Collector.Summary s;
    try {
      s =
          new Collector(
                  options,
                  e -> {
                    if (e instanceof CollectEvent.AlreadyDone) {
                      already[0]++;
                    } else {
                      out.println(line(e));
                      out.flush();
                    }
                  })
              .run();
    } catch (IOException e) {
      terminal.err().println("ktriage collect: " + Messages.oneLine(e.getMessage()));
      return ExitCode.UNREADABLE;
    }
    if (s.sent() == 0 && s.pending() == 0 && s.refused() == 0 && s.unreadable() == 0) {
      out.println("nothing new" + (already[0] > 0 ? " (" + already[0] + " handled before)" : ""));
    }
    out.flush();
    return s.pending() + s.refused() + s.unreadable() == 0
        ? ExitCode.ANALYSED
        : ExitCode.UNREADABLE;
  }

  static String line(CollectEvent e) {
    if (e instanceof CollectEvent.Sent s) {
      return "sent "
          + s.where()
          + ": report "
          + s.reportId()
          + (s.bucketId() != null ? ", bucket " + s.bucketId() : "")
          + (s.created() ? "" : " (the service had it already)")
          + (s.title() != null ? " — " + s.title() : "")
          + " "
          + s.url();
    } else if (e instanceof CollectEvent.Queued q) {
      return "diagnosed " + q.material().where() + (q.title() != null ? ": " + q.title() : "");
    } else if (e instanceof CollectEvent.NoCrash n) {
      return "no crash in " + n.material().where() + " (remembered, not sent)";
    } else if (e instanceof CollectEvent.Unreadable u) {
      return "cannot read " + u.material().where() + ": " + u.reason();
    } else if (e instanceof CollectEvent.Retrying r) {
      return "service away ("
          + r.reason()
          + "); attempt "
          + (r.attempt() + 1)
          + " in "
          + r.delay().toMillis() / 1000.0
          + " s";
    } else if (e instanceof CollectEvent.Refused f) {
      return "refused " + f.where() + ": HTTP " + f.status() + ": " + f.message();
    } else if (e instanceof CollectEvent.Pending p) {
      return "not sent " + p.where() + ": " + p.reason();
    } else if (e instanceof CollectEvent.PassedOver p) {
      return "passed over " + p.what();
    } else if (e instanceof CollectEvent.AlreadyDone a) {
      return "already " + a.status() + ": " + a.material().where();
    }
    return e.toString();
  }

  private int usage(String problem) {
    terminal.err().println("ktriage collect: " + problem);
    terminal.err().println("Run 'ktriage collect --help' for usage.");
    return ExitCode.USAGE;
  }

  private Path defaultState() {
    Path system = Path.of("/var/lib/ktriage");
    if (Files.isWritable(system)
        || (!Files.exists(system) && Files.isWritable(Path.of("/var/lib")))) {
      return system.resolve("collect");
    }
    String xdg = terminal.env().get("XDG_STATE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("ktriage").resolve("collect");
  }
}
