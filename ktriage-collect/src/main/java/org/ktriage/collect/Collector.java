package org.ktriage.collect;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One collection run: find material, diagnose what is new, send the outbox to the service with
 * back-off while it is away, remember what became of each. Never deletes or changes what it reads;
 * deletes only its own outbox files once the service has accepted them.
 */
public final class Collector {

  /**
   * How a run goes.
   *
   * @param server the crash service's base URL
   * @param token a bearer token with the {@code write} scope, or null
   * @param stateDir the collector's own directory (state, outbox, lock)
   * @param kdumpRoots directories holding kdump captures ({@code /var/crash})
   * @param pstoreRoots pstore directories ({@code /sys/fs/pstore}, {@code /var/lib/systemd/pstore})
   * @param files files or directories the user named (then the roots are not searched)
   * @param identity who sends
   * @param labels labels for every report, besides {@code source=<kind>}
   * @param retryFor how long to keep retrying a service that is away before leaving the rest in the
   *     outbox for the next run
   * @param firstDelay the first back-off delay; each next one doubles, up to {@code maxDelay}
   * @param maxDelay the longest back-off delay
   * @param version the collector's version, named in what it sends
   */
  public record Options(
      URI server,
      @Nullable String token,
      Path stateDir,
      List<Path> kdumpRoots,
      List<Path> pstoreRoots,
      List<Path> files,
      HostIdentity identity,
      List<String> labels,
      Duration retryFor,
      Duration firstDelay,
      Duration maxDelay,
      String version) {
    public Options {
      kdumpRoots = List.copyOf(kdumpRoots);
      pstoreRoots = List.copyOf(pstoreRoots);
      files = List.copyOf(files);
      labels = List.copyOf(labels);
    }
  }

  /** What a run ended with. */
  public record Summary(int sent, int pending, int refused, int unreadable) {}

  private final Options options;
  private final Consumer<CollectEvent> events;

  /** A collector reporting each step to {@code events}. */
  public Collector(Options options, Consumer<CollectEvent> events) {
    this.options = options;
    this.events = events;
  }

  /**
   * Runs once.
   *
   * @throws IOException when the state directory cannot be used
   */
  public Summary run() throws IOException, InterruptedException {
    try (CollectState state = CollectState.open(options.stateDir())) {
      int unreadable = diagnoseNew(state);
      return deliver(state, unreadable);
    }
  }

  private List<Material> find() throws IOException {
    List<Material> found = new ArrayList<>();
    if (!options.files().isEmpty()) {
      for (Path p : options.files()) {
        found.add(MaterialFinder.given(p));
      }
      return found;
    }
    for (Path root : options.kdumpRoots()) {
      take(MaterialFinder.kdump(root), found);
    }
    for (Path root : options.pstoreRoots()) {
      take(MaterialFinder.pstore(root), found);
    }
    return found;
  }

  private void take(MaterialFinder.Found f, List<Material> into) {
    f.passedOver().forEach(p -> events.accept(new CollectEvent.PassedOver(p)));
    for (Material m : f.materials()) {
      // the same pstore dump can be in /sys/fs/pstore and in systemd-pstore's archive
      if (into.stream().noneMatch(x -> x.key().equals(m.key()))) {
        into.add(m);
      }
    }
  }

  private int diagnoseNew(CollectState state) throws IOException {
    int unreadable = 0;
    MaterialAnalyzer analyzer =
        new MaterialAnalyzer(
            state.tmpDir(), options.identity(), options.labels(), options.version());
    for (Material m : find()) {
      if (state.done(m.key())) {
        events.accept(new CollectEvent.AlreadyDone(m, state.entry(m.key()).orElseThrow().status()));
        continue;
      }
      if (state.queued(m.key())) {
        continue; // diagnosed in an earlier run; waiting to be sent
      }
      MaterialAnalyzer.Result r;
      try {
        r = analyzer.analyze(m);
      } catch (IOException | RuntimeException e) {
        unreadable++;
        events.accept(new CollectEvent.Unreadable(m, oneLine(e)));
        continue;
      }
      if (r instanceof MaterialAnalyzer.Crash c) {
        state.queue(c.outgoing());
        state.record(
            m.key(),
            new CollectState.Entry(
                "queued", Instant.now(), m.where(), null, null, c.outgoing().title(), null));
        events.accept(new CollectEvent.Queued(m, c.outgoing().title()));
      } else {
        state.record(
            m.key(),
            new CollectState.Entry("no-crash", Instant.now(), m.where(), null, null, null, null));
        events.accept(new CollectEvent.NoCrash(m));
      }
    }
    return unreadable;
  }

  private Summary deliver(CollectState state, int unreadable)
      throws IOException, InterruptedException {
    ReportPoster poster = new ReportPoster(options.server(), options.token());
    long deadline = System.nanoTime() + options.retryFor().toNanos();
    int sent = 0;
    int refused = 0;
    List<Outgoing> waiting = state.outbox();
    int attempt = 0;
    Duration delay = options.firstDelay();
    while (!waiting.isEmpty()) {
      List<Outgoing> again = new ArrayList<>();
      String reason = null;
      long retryAfter = -1;
      for (Outgoing o : waiting) {
        if (reason != null) {
          again.add(o); // the service is away: do not knock once per report
          continue;
        }
        ReportPoster.Outcome out = poster.post(o);
        if (out instanceof ReportPoster.Accepted a) {
          state.record(
              o.key(),
              new CollectState.Entry(
                  "sent", Instant.now(), o.where(), a.id(), a.url(), a.title(), null));
          state.unqueue(o.key());
          sent++;
          events.accept(
              new CollectEvent.Sent(
                  o.where(), a.id(), a.bucketId(), a.created(), a.title(), a.url()));
        } else if (out instanceof ReportPoster.Refused f) {
          state.record(
              o.key(),
              new CollectState.Entry(
                  "refused", Instant.now(), o.where(), null, null, o.title(), f.message()));
          state.unqueue(o.key());
          refused++;
          events.accept(new CollectEvent.Refused(o.where(), f.status(), f.message()));
        } else if (out instanceof ReportPoster.Retry r) {
          reason = r.reason();
          retryAfter = r.retryAfterSeconds().orElse(-1);
          again.add(o);
        }
      }
      waiting = again;
      if (waiting.isEmpty()) {
        break;
      }
      attempt++;
      Duration wait = retryAfter >= 0 ? Duration.ofSeconds(retryAfter) : delay;
      long left = deadline - System.nanoTime();
      if (wait.toNanos() > left) {
        for (Outgoing o : waiting) {
          events.accept(
              new CollectEvent.Pending(
                  o.where(), String.valueOf(reason) + "; kept for the next run"));
        }
        return new Summary(sent, waiting.size(), refused, unreadable);
      }
      events.accept(
          new CollectEvent.Retrying(waiting.get(0).where(), attempt, wait, String.valueOf(reason)));
      Thread.sleep(wait.toMillis());
      Duration next = delay.multipliedBy(2);
      delay = next.compareTo(options.maxDelay()) > 0 ? options.maxDelay() : next;
    }
    return new Summary(sent, 0, refused, unreadable);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    return m.replaceAll("\\s+", " ").strip();
  }
}
