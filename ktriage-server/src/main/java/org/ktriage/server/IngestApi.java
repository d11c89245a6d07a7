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
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/reports}: reads a posted report under the size limits, diagnoses it once (a
 * report whose content hash is stored is answered from the store) and stores it in its bucket.
 */
final class IngestApi {
  /** Reports read and diagnosed at once: two per core (diagnosis is CPU-bound). */
  private static final int INGEST_SLOTS = 2 * Runtime.getRuntime().availableProcessors();

  private final java.util.concurrent.Semaphore ingestSlots =
      new java.util.concurrent.Semaphore(INGEST_SLOTS, true);
  private final ServerConfig config;
  private final Store store;
  private final StoreQueries queries;
  private final Diagnoser diagnoser;
  private final ServerMetrics metrics;
  private final String rulebookVersion;

  IngestApi(
      ServerConfig config,
      Store store,
      StoreQueries queries,
      Diagnoser diagnoser,
      ServerMetrics metrics,
      String rulebookVersion) {
    this.config = config;
    this.store = store;
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
      storeNew(ctx, body, sha, host, release, labels, seen);
    } finally {
      metrics.inFlight().decrementAndGet();
    }
  }

  private void storeNew(
      Context ctx,
      byte[] body,
      String sha,
      @Nullable String host,
      @Nullable String release,
      List<String> labels,
      @Nullable Instant seen)
      throws IOException, SQLException {
    long start = System.nanoTime();
    Diagnosed d;
    byte[] stored = body;
    if (config.scrub()) {
      Diagnoser.Scrubbed s = diagnoser.diagnoseScrubbed(body, sha, host);
      d = s.diagnosed();
      stored = s.text();
    } else {
      d = diagnoser.diagnose(body, sha);
    }
    metrics
        .diagnosis()
        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    check(d);
    // the submitter's metadata wins over what the report says; what the report says is checked
    // like any other input (a report is untrusted text)
    String effectiveHost = host != null ? host : lenient(Params::host, d.hostname());
    String effectiveRelease =
        release != null ? release : lenient(Params::release, d.kernelRelease());
    Instant now = Instant.now();
    Store.Stored s =
        store.insert(
            new Store.NewReport(
                sha,
                now,
                seen != null ? seen : now,
                ctx.attribute(CrashServer.SUBMITTER),
                effectiveHost,
                effectiveRelease,
                labels,
                stored,
                d,
                rulebookVersion));
    metrics.ingested(s.created());
    json(ctx, s.created() ? 201 : 200, stored(s, sha));
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
