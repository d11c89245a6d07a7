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
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/reports}: reads a posted report under the size limits, commits it to the
 * durable {@link IngestQueue}, then diagnoses it and stores it in its bucket (a report whose
 * content hash is stored is answered from the store). {@link QueueWorkers} diagnose what a node
 * that died left in the queue.
 */
final class IngestApi {
  /** Reports read and diagnosed at once: two per core (diagnosis is CPU-bound). */
  private static final int INGEST_SLOTS = 2 * Runtime.getRuntime().availableProcessors();

  private final java.util.concurrent.Semaphore ingestSlots =
      new java.util.concurrent.Semaphore(INGEST_SLOTS, true);
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
    // bounded work in flight: at most INGEST_SLOTS bodies are held and diagnosed at once, so memory
    // stays within INGEST_SLOTS x the body limit whatever the number of clients
    boolean slot;
    try {
      slot = ingestSlots.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while waiting for an ingest slot");
    }
    if (!slot) {
      ctx.header("Retry-After", "5");
      throw new ApiException(503, "busy: every ingest slot is taken; retry later");
    }
    try {
      ingest(ctx, host, release, labels, seen);
    } finally {
      ingestSlots.release();
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
      // here on loses nothing (another node's worker takes the row, see IngestQueue)
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
      OptionalLong id = queue.enqueue(p);
      Optional<IngestQueue.Claim> claim =
          id.isPresent() ? queue.claim(id.getAsLong()) : Optional.empty();
      if (claim.isPresent()) {
        Store.Stored s;
        try (IngestQueue.Claim held = claim.get()) {
          s = diagnoseAndStore(held);
        }
        metrics.ingested(s.created());
        json(ctx, s.created() ? 201 : 200, stored(s, sha));
        return;
      }
      // the same bytes were queued by another upload still in work, or a worker took this one
      awaitOutcome(ctx, sha, id.isPresent());
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
      var s = store.findBySha(sha);
      if (s.isPresent()) {
        metrics.ingested(enqueuedHere);
        Store.Stored answer = new Store.Stored(s.get().id(), enqueuedHere, s.get().bucketId());
        json(ctx, enqueuedHere ? 201 : 200, stored(answer, sha));
        return;
      }
      if (!queue.queued(sha)) {
        // gone from the queue without a report: another worker refused it (its log says why)
        throw new ApiException(422, "the report was refused by its diagnosis; see the server log");
      }
      if (System.nanoTime() > deadline) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sha256", sha);
        o.put("queued", true);
        json(ctx, 202, o);
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

  /**
   * Diagnoses a claimed upload and stores it, deleting its queue row in the same transaction. An
   * upload the diagnosis refuses (bad input: an {@link ApiException}, an unreadable file) is
   * removed from the queue, not stored, and the refusal thrown; a database failure gives the row
   * back to the queue.
   */
  Store.Stored diagnoseAndStore(IngestQueue.Claim claim) throws IOException, SQLException {
    IngestQueue.Pending p = claim.pending();
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
      metrics
          .diagnosis()
          .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      check(d);
    } catch (IOException | RuntimeException e) {
      claim.refuse();
      throw e;
    }
    // the submitter's metadata wins over what the report says; what the report says is checked
    // like any other input (a report is untrusted text)
    String effectiveHost = p.host() != null ? p.host() : lenient(Params::host, d.hostname());
    String effectiveRelease =
        p.release() != null ? p.release() : lenient(Params::release, d.kernelRelease());
    return claim.complete(
        store,
        new Store.NewReport(
            p.sha256(),
            p.receivedAt(),
            p.seenAt() != null ? p.seenAt() : p.receivedAt(),
            p.submitter(),
            effectiveHost,
            effectiveRelease,
            p.labels(),
            stored,
            d,
            rulebookVersion));
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
    ObjectNode o = JSON.createObjectNode();
    o.put("id", s.id());
    o.put("sha256", sha);
    o.put("created", s.created());
    o.put("bucketId", s.bucketId());
    o.put("url", "/api/v1/reports/" + s.id());
    var row = queries.report(s.id());
    if (row.isPresent()) {
      o.put("title", row.get().title());
      o.put("signature", row.get().signature());
    }
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
