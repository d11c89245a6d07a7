package org.ktriage.server;

import static org.ktriage.server.CrashServer.JSON;
import static org.ktriage.server.CrashServer.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/reports}: reads a posted report under the size limits, commits it to the
 * durable {@link IngestQueue}, then diagnoses it and stores it in its bucket (a report whose
 * content hash is stored is answered from the store). {@link QueueWorkers} diagnose what a node
 * that died left in the queue.
 */
final class IngestApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);

  /** Uploads in the same transaction of the queue or the store, at most (see GroupCommit). */
  static final int GROUP_COMMIT_MAX = 256;

  /** Bodies held at once, in KiB: eight of the largest accepted (see {@link #postReport}). */
  private final Semaphore bodyBudget;

  /** Reports diagnosed at once: one per core (diagnosis is CPU-bound). */
  private final Semaphore diagnosing =
      new Semaphore(Runtime.getRuntime().availableProcessors(), true);

  private final GroupCommit<IngestQueue.Pending, OptionalLong> enqueuing;
  private final GroupCommit<IngestQueue.Completion, Optional<Store.Stored>> storing;
  private final ServerConfig config;
  private final Store store;
  private final IngestQueue queue;
  private final StoreQueries queries;
  private final Diagnoser diagnoser;
  private final ServerMetrics metrics;
  private final String rulebookVersion;

  IngestApi(
      ServerConfig config,
      Store store,
      IngestQueue queue,
      StoreQueries queries,
      Diagnoser diagnoser,
      ServerMetrics metrics,
      String rulebookVersion) {
    this.config = config;
    this.store = store;
    this.queue = queue;
    this.queries = queries;
    this.diagnoser = diagnoser;
    this.metrics = metrics;
    this.rulebookVersion = rulebookVersion;
    this.bodyBudget = new Semaphore(budgetKib(config.maxBodyBytes()), true);
    this.enqueuing = new GroupCommit<>("ktriage-enqueue", GROUP_COMMIT_MAX, queue::enqueueAll);
    this.storing =
        new GroupCommit<>(
            "ktriage-store", GROUP_COMMIT_MAX, done -> queue.completeAll(store, done));
  }

  private static int budgetKib(long maxBody) {
    return (int) Math.min(Integer.MAX_VALUE, 8 * kib(maxBody));
  }

  private static long kib(long bytes) {
    return (bytes + 1023) / 1024 + 1;
  }

  /** Stops the group commits (after the HTTP server stopped taking requests). */
  @Override
  public void close() {
    enqueuing.close();
    storing.close();
  }

  void postReport(Context ctx) throws IOException, SQLException {
    String host = Params.host(param(ctx, "host", "X-Ktriage-Host"));
    String release = Params.release(param(ctx, "release", "X-Ktriage-Release"));
    List<String> rawLabels = new ArrayList<>(ctx.queryParams("label"));
    String headerLabels = ctx.header("X-Ktriage-Labels");
    if (headerLabels != null) {
      rawLabels.add(headerLabels);
    }
    List<String> labels = Params.labels(rawLabels);
    Instant seen = Params.time("seen", param(ctx, "seen", "X-Ktriage-Seen"));
    // bounded memory whatever the number of clients: the bodies held at once (read, queued,
    // diagnosed, stored) fit in eight of the largest; a body of unknown length counts as the
    // largest
    long declared = ctx.req().getContentLengthLong();
    int permits =
        (int)
            Math.min(
                budgetKib(config.maxBodyBytes()),
                declared >= 0 && declared <= config.maxBodyBytes()
                    ? kib(declared)
                    : kib(config.maxBodyBytes()));
    boolean slot;
    try {
      slot = bodyBudget.tryAcquire(permits, 30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while waiting for an ingest slot");
    }
    if (!slot) {
      ctx.header("Retry-After", "5");
      throw new ApiException(503, "busy: too many uploads in work; retry later");
    }
    try {
      ingest(ctx, host, release, labels, seen);
    } finally {
      bodyBudget.release(permits);
    }
  }

  private void ingest(
      Context ctx,
      @Nullable String host,
      @Nullable String release,
      List<String> labels,
      @Nullable Instant seen)
      throws IOException, SQLException {
    byte[] body = readBody(ctx, config.maxBodyBytes());
    if (body.length == 0) {
      throw ApiException.badRequest("empty body: post a kernel log, crash output or its JSON");
    }
    String sha = HexFormat.of().formatHex(RuleBookVersion.sha256().digest(body));
    var existing = store.findBySha(sha);
    if (existing.isPresent()) {
      metrics.ingested(false);
      json(ctx, 200, stored(existing.get(), sha));
      return;
    }
    metrics.inFlight().incrementAndGet();
    try {
      // accepted: the upload is a committed queue row before any reply, so a node that dies from
      // here on loses nothing (another node's worker takes the row, see IngestQueue); the row is
      // written in a group commit with the other uploads arriving meanwhile
      IngestQueue.Pending p =
          new IngestQueue.Pending(
              sha,
              Instant.now(),
              seen,
              ctx.attribute(CrashServer.SUBMITTER),
              host,
              release,
              labels,
              body);
      OptionalLong id = enqueuing.submit(p);
      if (id.isEmpty()) {
        // the same bytes were queued by another upload still in work
        awaitOutcome(ctx, sha, false);
        return;
      }
      Store.NewReport report;
      try {
        report = diagnose(p);
      } catch (IOException | RuntimeException e) {
        if (!refuses(e)) {
          // not the upload's fault (interrupted, temporary files): it stays queued and a queue
          // worker diagnoses it once the owner's grace is over
          LOG.warn(
              "upload {} left to the queue workers: {}",
              sha,
              ServerMessages.oneLine(String.valueOf(e.getMessage())));
          json(ctx, 202, queued(sha));
          return;
        }
        if (!queue.refuse(id.getAsLong(), sha, IngestQueue.Refusal.of(e))) {
          // a worker (of another node: this one outlived the grace) took the row meanwhile and
          // decided; its outcome is the answer
          awaitOutcome(ctx, sha, true);
          return;
        }
        throw e;
      }
      // stored, and its queue row deleted, in a group commit; answered only once committed
      Optional<Store.Stored> s = storing.submit(new IngestQueue.Completion(id.getAsLong(), report));
      if (s.isPresent()) {
        metrics.ingested(s.get().created());
        Diagnosed d = report.diagnosed();
        json(ctx, s.get().created() ? 201 : 200, stored(s.get(), sha, d.title(), d.signature()));
        return;
      }
      // a worker of another node took the row meanwhile (this node outlived the grace)
      awaitOutcome(ctx, sha, true);
    } finally {
      metrics.inFlight().decrementAndGet();
    }
  }

  /** How long a request waits for another worker to diagnose its upload before a 202. */
  private static final long OUTCOME_WAIT_MILLIS = 60_000;

  /** Answers once the queued upload of this hash is stored (or refused), or 202 at a deadline. */
  private void awaitOutcome(Context ctx, String sha, boolean enqueuedHere)
      throws SQLException, IOException {
    long deadline = System.nanoTime() + OUTCOME_WAIT_MILLIS * 1_000_000;
    while (true) {
      // an outcome is read, never inferred: "not stored and no longer queued" is two reads a
      // worker's commit (report in, queue row out) can fall between, a refusal of a stored report
      var s = store.findBySha(sha);
      if (s.isPresent()) {
        metrics.ingested(enqueuedHere);
        Store.Stored answer = new Store.Stored(s.get().id(), enqueuedHere, s.get().bucketId());
        json(ctx, enqueuedHere ? 201 : 200, stored(answer, sha));
        return;
      }
      Optional<IngestQueue.Refusal> refused = queue.refusal(sha);
      if (refused.isPresent()) {
        // another worker refused it, deleting its queue row and writing this in one transaction
        throw new ApiException(refused.get().status(), refused.get().reason());
      }
      if (System.nanoTime() > deadline) {
        json(ctx, 202, queued(sha));
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(503, "interrupted while waiting for the report's diagnosis");
      }
    }
  }

  /** The answer for an accepted upload still in the queue: 202, ask again later. */
  private static ObjectNode queued(String sha) {
    ObjectNode o = JSON.createObjectNode();
    o.put("sha256", sha);
    o.put("queued", true);
    return o;
  }

  /**
   * Whether a failed diagnosis refuses the upload for good: a 4xx {@link ApiException} (the upload
   * is not a report this service stores) or any other runtime failure of the analysis (the same
   * bytes would fail again on any node). An {@link IOException} (temporary files) or a 5xx
   * (interrupted) is the node's trouble, not the upload's: the upload stays queued.
   */
  static boolean refuses(Exception e) {
    return e instanceof ApiException a ? a.status() < 500 : e instanceof RuntimeException;
  }

  /**
   * Diagnoses a claimed upload and stores it, deleting its queue row in the same transaction. An
   * upload the diagnosis {@linkplain #refuses refuses} is removed from the queue, not stored, and
   * the refusal thrown; any other failure (the node's, or the database's) gives the row back to the
   * queue and is thrown.
   */
  Store.Stored diagnoseAndStore(IngestQueue.Claim claim) throws IOException, SQLException {
    Store.NewReport report;
    try {
      report = diagnose(claim.pending());
    } catch (IOException | RuntimeException e) {
      if (refuses(e)) {
        claim.refuse(IngestQueue.Refusal.of(e));
      }
      throw e;
    }
    return claim.complete(store, report);
  }

  /**
   * Diagnoses an accepted upload (at most one per core at once) into the report to store; an upload
   * the diagnosis refuses throws (an {@link ApiException}, an unreadable file).
   */
  private Store.NewReport diagnose(IngestQueue.Pending p) throws IOException {
    try {
      diagnosing.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while waiting to diagnose");
    }
    long start = System.nanoTime();
    Diagnosed d;
    byte[] stored = p.raw();
    try {
      if (config.scrub()) {
        Diagnoser.Scrubbed s = diagnoser.diagnoseScrubbed(p.raw(), p.sha256(), p.host());
        d = s.diagnosed();
        stored = s.text();
      } else {
        d = diagnoser.diagnose(p.raw(), p.sha256());
      }
    } finally {
      diagnosing.release();
    }
    metrics.diagnosis().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    check(d);
    // the submitter's metadata wins over what the report says; what the report says is checked
    // like any other input (a report is untrusted text)
    String effectiveHost = p.host() != null ? p.host() : lenient(Params::host, d.hostname());
    String effectiveRelease =
        p.release() != null ? p.release() : lenient(Params::release, d.kernelRelease());
    return new Store.NewReport(
        p.sha256(),
        p.receivedAt(),
        p.seenAt() != null ? p.seenAt() : p.receivedAt(),
        p.submitter(),
        effectiveHost,
        effectiveRelease,
        p.labels(),
        stored,
        d,
        rulebookVersion);
  }

  /** Refuses a diagnosis whose values do not fit the store (a report is untrusted text). */
  static void check(Diagnosed d) {
    if (d.signature() != null) {
      Params.signature(d.signature());
    }
    if (d.title() != null) {
      Params.text("title", d.title(), 1000);
    }
    Params.failureClass(d.failureClass());
  }

  private static @Nullable String lenient(
      java.util.function.UnaryOperator<@Nullable String> check, @Nullable String v) {
    try {
      return check.apply(v);
    } catch (ApiException e) {
      return null; // the report's own value does not fit: keep the report, drop the value
    }
  }

  private ObjectNode stored(Store.Stored s, String sha) throws SQLException {
    var row = queries.report(s.id());
    return row.isPresent()
        ? stored(s, sha, row.get().title(), row.get().signature())
        : stored(s, sha, null, null);
  }

  private static ObjectNode stored(
      Store.Stored s, String sha, @Nullable String title, @Nullable String signature) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", s.id());
    o.put("sha256", sha);
    o.put("created", s.created());
    o.put("bucketId", s.bucketId());
    o.put("url", "/api/v1/reports/" + s.id());
    o.put("title", title);
    o.put("signature", s.bucketId() == null ? null : signature);
    return o;
  }

  private static @Nullable String param(Context ctx, String query, String header) {
    String q = ctx.queryParam(query);
    return q != null ? q : ctx.header(header);
  }

  /** The request body, refused past the configured size. */
  static byte[] readBody(Context ctx, long max) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw tooLarge(max);
    }
    String encoding = ctx.header("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
      throw new ApiException(
          415,
          "Content-Encoding "
              + Params.quote(encoding)
              + " is not accepted: send the compressed file as the body (gzip, xz and zstd are"
              + " recognised by their magic bytes)");
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (b.length > max) {
        throw tooLarge(max);
      }
      return b;
    }
  }

  private static ApiException tooLarge(long max) {
    return new ApiException(
        413, "body larger than the limit of " + (max >> 20) + " MiB (" + max + " bytes)");
  }
}
