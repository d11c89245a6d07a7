package org.ktriage.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash service: an HTTP server (Javalin on Jetty) over a {@link Database}. It ingests reports
 * ({@code POST /api/v1/reports}), keeps them and their buckets, and answers the JSON API under
 * {@code /api/v1}. Every refusal is a 4xx with a one-line JSON body {@code {"error": "…"}}.
 */
public final class CrashServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CrashServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String JSON_TYPE = "application/json";

  /** The policy of the HTML report ({@code report.jte}): inline style and data images only. */
  static final String REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  static final List<String> STATUSES = List.of("new", "fixed", "regressed");

  private final ServerConfig config;
  private final Database db;
  private final Store store;
  private final Tokens tokens;
  private final ServerMetrics metrics = new ServerMetrics();

  /** Reports read and diagnosed at once: two per core (diagnosis is CPU-bound). */
  private static final int INGEST_SLOTS = 2 * Runtime.getRuntime().availableProcessors();

  private final java.util.concurrent.Semaphore ingestSlots =
      new java.util.concurrent.Semaphore(INGEST_SLOTS, true);
  private final Diagnoser diagnoser;
  private final String version;
  private final String rulebookVersion;
  private final Javalin app;

  private CrashServer(ServerConfig config, Database db, String version) {
    this.config = config;
    this.db = db;
    this.store = new Store(db.dataSource());
    this.tokens = new Tokens(db.dataSource());
    Path tmp = config.dataDir().resolve("tmp");
    this.diagnoser = new Diagnoser(tmp, config.maxInflatedBytes());
    this.version = version;
    this.rulebookVersion = RuleBookVersion.current();
    this.app =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.startupWatcherEnabled = false;
              // request bodies are read by the ingest handler under its own caps; responses are
              // small and never compressed (a compressed request body is the client's choice)
              c.http.customCompression(CompressionStrategy.NONE);
              c.http.maxRequestSize = config.maxBodyBytes();
            });
    routes();
  }

  /**
   * Opens the database (migrating it) and starts listening.
   *
   * @param version the ktriage version, named in HTML reports
   * @throws IOException when the data directory cannot be used
   * @throws SQLException when the database cannot be opened or migrated
   */
  public static CrashServer start(ServerConfig config, String version)
      throws IOException, SQLException {
    Files.createDirectories(config.dataDir());
    Database db = Database.open(config);
    CrashServer s;
    try {
      s = new CrashServer(config, db, version);
      s.app.start(config.host(), config.port());
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return s;
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  /** Its base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "http://" + host + ":" + port();
  }

  /** Creates an API token (see {@link Tokens}); returns it, the only time it is shown. */
  public String createToken(String name, java.util.Set<String> scopes) throws SQLException {
    return Tokens.create(db, name, scopes);
  }

  /** The database product in use ({@code H2}, {@code PostgreSQL}). */
  public String databaseProduct() {
    return db.product();
  }

  /** The rule-book version stamped on each new diagnosis. */
  public String rulebookVersion() {
    return rulebookVersion;
  }

  @Override
  public void close() {
    app.stop();
    db.close();
  }

  private void routes() {
    app.exception(
        ApiException.class, (e, ctx) -> error(ctx, e.status(), String.valueOf(e.getMessage())));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
          error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
        });
    app.error(
        404,
        ctx -> {
          if (!isJson(ctx)) {
            error(ctx, 404, "no such resource: " + ctx.method() + " " + ctx.path());
          }
        });
    app.error(
        405,
        ctx -> {
          if (!isJson(ctx)) {
            error(ctx, 405, "method " + ctx.method() + " not allowed on " + ctx.path());
          }
        });
    app.beforeMatched("/api/*", this::authorize);
    app.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
    app.get("/health", this::health);
    app.get(
        "/metrics",
        ctx ->
            ctx.status(200)
                .contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
    app.get(
        "/api/v1/openapi.json", ctx -> ctx.status(200).contentType(JSON_TYPE).result(openApi()));
    app.post("/api/v1/reports", this::postReport);
    app.get("/api/v1/reports/{id}", this::getReport);
    app.get("/api/v1/reports/{id}/diagnosis", this::getDiagnosis);
    app.get("/api/v1/reports/{id}/html", this::getReportHtml);
    app.get("/api/v1/reports/{id}/raw", this::getRaw);
    app.get("/api/v1/buckets", this::getBuckets);
    app.get("/api/v1/buckets/{id}", this::getBucket);
    app.post("/api/v1/buckets/{id}/lifecycle", this::postLifecycle);
  }

  /** The OpenAPI document of this API (a resource beside this class). */
  static String openApi() throws IOException {
    try (InputStream in = CrashServer.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IOException("openapi.json resource missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static boolean isJson(Context ctx) {
    String t = ctx.res().getContentType();
    return t != null && t.startsWith(JSON_TYPE);
  }

  /** Checks the bearer token and its scope once any token exists; notes who submits. */
  private void authorize(Context ctx) throws SQLException {
    if (ctx.path().equals("/api/v1/openapi.json") || !tokens.any()) {
      return;
    }
    String auth = ctx.header("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(401, "this server needs a token: Authorization: Bearer TOKEN");
    }
    var holder = tokens.holder(auth.substring(7).strip());
    if (holder.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw new ApiException(401, "unknown token");
    }
    String need = ctx.method() == io.javalin.http.HandlerType.GET ? "read" : "write";
    if (!holder.get().scopes().contains(need)) {
      throw new ApiException(
          403, "token " + holder.get().name() + " lacks the " + need + " scope for this request");
    }
    ctx.attribute(SUBMITTER, holder.get().name());
  }

  private static final String SUBMITTER = "ktriage.submitter";

  private void error(Context ctx, int status, String message) {
    metrics.refused(status);
    ObjectNode o = JSON.createObjectNode();
    o.put("error", ServerMessages.oneLine(message));
    ctx.status(status).contentType(JSON_TYPE).result(o.toString() + "\n");
  }

  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType(JSON_TYPE).result(body.toString() + "\n");
  }

  // ------------------------------------------------------------------------------------ health

  private void health(Context ctx) throws SQLException {
    Map<String, Long> totals = store.totals();
    ObjectNode o = JSON.createObjectNode();
    o.put("status", "ok");
    o.put("version", version);
    o.put("rulebookVersion", rulebookVersion);
    o.put("database", db.product());
    totals.forEach(o::put);
    json(ctx, 200, o);
  }

  // ------------------------------------------------------------------------------------ ingest

  private void postReport(Context ctx) throws IOException, SQLException {
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
    byte[] body = readBody(ctx);
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
    Diagnosed d = diagnoser.diagnose(body, sha);
    metrics
        .diagnosis()
        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (d.signature() != null) {
      Params.signature(d.signature());
    }
    if (d.title() != null) {
      Params.text("title", d.title(), 1000);
    }
    Params.failureClass(d.failureClass());
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
                ctx.attribute(SUBMITTER),
                effectiveHost,
                effectiveRelease,
                labels,
                body,
                d,
                rulebookVersion));
    metrics.ingested(s.created());
    json(ctx, s.created() ? 201 : 200, stored(s, sha));
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
    var row = store.report(s.id());
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
  private byte[] readBody(Context ctx) throws IOException {
    long max = config.maxBodyBytes();
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

  // ----------------------------------------------------------------------------------- reports

  private Store.ReportRow reportOr404(Context ctx) throws SQLException {
    long id = Params.id("report id", ctx.pathParam("id"));
    return store.report(id).orElseThrow(() -> ApiException.notFound("no report " + id));
  }

  private void getReport(Context ctx) throws SQLException {
    json(ctx, 200, reportJson(reportOr404(ctx)));
  }

  static ObjectNode reportJson(Store.ReportRow r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", r.id());
    o.put("sha256", r.sha256());
    o.put("receivedAt", r.receivedAt().toString());
    o.put("seenAt", r.seenAt().toString());
    o.put("host", r.host());
    o.put("release", r.release());
    ArrayNode labels = o.putArray("labels");
    r.labels().forEach(labels::add);
    o.put("contentKind", r.contentKind());
    o.put("rawSize", r.rawSize());
    o.put("crashFound", r.crashFound());
    o.put("signature", r.signature());
    o.put("title", r.title());
    o.put("class", r.failureClass());
    o.put("bucketId", r.bucketId());
    o.put("rulebookVersion", r.rulebookVersion());
    o.put("diagnosisUrl", "/api/v1/reports/" + r.id() + "/diagnosis");
    o.put("htmlUrl", "/api/v1/reports/" + r.id() + "/html");
    o.put("rawUrl", "/api/v1/reports/" + r.id() + "/raw");
    return o;
  }

  private void getDiagnosis(Context ctx) throws SQLException {
    Store.ReportRow r = reportOr404(ctx);
    String j = store.diagnosisJson(r.id()).orElseThrow();
    ctx.status(200).contentType(JSON_TYPE).result(j.endsWith("\n") ? j : j + "\n");
  }

  private void getRaw(Context ctx) throws SQLException {
    Store.ReportRow r = reportOr404(ctx);
    byte[] raw = store.raw(r.id()).orElseThrow();
    ctx.status(200)
        .contentType("application/octet-stream")
        .header("Content-Disposition", "attachment; filename=\"report-" + r.id() + "\"")
        .result(raw);
  }

  private void getReportHtml(Context ctx) throws SQLException, IOException {
    Store.ReportRow r = reportOr404(ctx);
    if (!"text".equals(r.contentKind())) {
      throw new ApiException(
          409,
          "report "
              + r.id()
              + " was submitted as a diagnosis JSON: there is no log to draw the HTML report from");
    }
    byte[] raw = store.raw(r.id()).orElseThrow();
    String html = diagnoser.html(raw, r.sha256(), version);
    // the report's own policy, also as a header: no script, no request leaves the page
    ctx.status(200)
        .header("Content-Security-Policy", REPORT_CSP)
        .contentType("text/html; charset=utf-8")
        .result(html);
  }

  // ----------------------------------------------------------------------------------- buckets

  private void getBuckets(Context ctx) throws SQLException {
    String sort = ctx.queryParam("sort");
    if (sort != null && !Store.SORTS.containsKey(sort)) {
      throw ApiException.badRequest(
          "sort must be one of "
              + String.join(", ", Store.SORTS.keySet().stream().sorted().toList())
              + ", got "
              + Params.quote(sort));
    }
    String order = Params.oneOf("order", ctx.queryParam("order"), List.of("asc", "desc"));
    String text = Params.text("q", ctx.queryParam("q"), 200);
    Store.BucketQuery q =
        new Store.BucketQuery(
            Params.failureClass(ctx.queryParam("class")),
            Params.release(ctx.queryParam("release")),
            Params.host(ctx.queryParam("host")),
            Params.label(ctx.queryParam("label")),
            Params.oneOf("status", ctx.queryParam("status"), STATUSES),
            Params.time("since", ctx.queryParam("since")),
            Params.time("until", ctx.queryParam("until")),
            text == null || text.isBlank() ? null : text,
            sort == null ? "count" : sort,
            order == null ? !"title".equals(sort) : order.equals("desc"),
            Params.integer("limit", ctx.queryParam("limit"), 100, 1000),
            Params.integer("offset", ctx.queryParam("offset"), 0, Integer.MAX_VALUE));
    ObjectNode o = JSON.createObjectNode();
    ArrayNode list = o.putArray("buckets");
    for (Store.BucketRow b : store.buckets(q)) {
      list.add(bucketJson(b));
    }
    o.put("limit", q.limit());
    o.put("offset", q.offset());
    json(ctx, 200, o);
  }

  static ObjectNode bucketJson(Store.BucketRow b) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", b.id());
    o.put("signature", b.signature());
    o.put("title", b.title());
    o.put("class", b.failureClass());
    o.put("count", b.count());
    o.put("firstSeen", b.firstSeen().toString());
    o.put("lastSeen", b.lastSeen().toString());
    o.put("status", b.status());
    o.put("fixedIn", b.fixedIn());
    o.put("statusChanged", b.statusChanged().toString());
    o.put("exampleReportId", b.exampleReport());
    o.put("url", "/api/v1/buckets/" + b.id());
    return o;
  }

  private Store.BucketRow bucketOr404(Context ctx) throws SQLException {
    long id = Params.id("bucket id", ctx.pathParam("id"));
    return store.bucket(id).orElseThrow(() -> ApiException.notFound("no bucket " + id));
  }

  private void getBucket(Context ctx) throws SQLException {
    json(ctx, 200, bucketDetail(bucketOr404(ctx)));
  }

  private ObjectNode bucketDetail(Store.BucketRow b) throws SQLException {
    ObjectNode o = bucketJson(b);
    o.set("titles", facetJson(store.facets(b.id(), "title")));
    o.set("releases", facetJson(store.facets(b.id(), "release")));
    o.set("hosts", facetJson(store.facets(b.id(), "host")));
    o.set("labels", facetJson(store.facets(b.id(), "label")));
    List<Store.FacetCount> days = new ArrayList<>(store.facets(b.id(), "day"));
    days.sort(java.util.Comparator.comparing(Store.FacetCount::value));
    ArrayNode perDay = o.putArray("days");
    for (Store.FacetCount f : days) {
      perDay.addObject().put("day", f.value()).put("count", f.count());
    }
    ArrayNode examples = o.putArray("examples");
    for (Store.ReportRow r : store.bucketReports(b.id(), 10)) {
      examples.add(reportJson(r));
    }
    ArrayNode events = o.putArray("lifecycle");
    for (Store.Event e : store.events(b.id())) {
      events
          .addObject()
          .put("at", e.at().toString())
          .put("status", e.status())
          .put("fixedIn", e.fixedIn())
          .put("note", e.note())
          .put("link", e.link())
          .put("actor", e.actor())
          .put("reportId", e.reportId());
    }
    return o;
  }

  private static ArrayNode facetJson(List<Store.FacetCount> counts) {
    ArrayNode a = JSON.createArrayNode();
    for (Store.FacetCount f : counts) {
      a.addObject()
          .put("value", f.value())
          .put("count", f.count())
          .put("firstSeen", f.firstSeen().toString())
          .put("lastSeen", f.lastSeen().toString());
    }
    return a;
  }

  private void postLifecycle(Context ctx) throws SQLException, IOException {
    Store.BucketRow b = bucketOr404(ctx);
    byte[] body = readBody(ctx);
    JsonNode req;
    try {
      req = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "malformed JSON: " + ServerMessages.oneLine(e.getOriginalMessage()));
    }
    if (req == null || !req.isObject()) {
      throw ApiException.badRequest(
          "expected a JSON object {\"status\": \"fixed\", \"fixedIn\": \"6.9\", \"note\": …}");
    }
    for (var it = req.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!List.of("status", "fixedIn", "note", "link").contains(f)) {
        throw ApiException.badRequest("unknown field " + Params.quote(f));
      }
    }
    String status = Params.oneOf("status", string(req, "status"), STATUSES);
    String fixedIn = Params.release(string(req, "fixedIn"));
    String note = Params.text("note", string(req, "note"), 4000);
    String link = Params.link(string(req, "link"));
    if ("fixed".equals(status) && fixedIn == null) {
      throw ApiException.badRequest("status fixed needs fixedIn, the first release with the fix");
    }
    if (!"fixed".equals(status) && fixedIn != null) {
      throw ApiException.badRequest("fixedIn goes with status fixed");
    }
    if (status == null && note == null && link == null) {
      throw ApiException.badRequest("nothing to change: give status, note or link");
    }
    Store.BucketRow after =
        store
            .changeLifecycle(b.id(), status, fixedIn, note, link, null)
            .orElseThrow(() -> ApiException.notFound("no bucket " + b.id()));
    json(ctx, 200, bucketDetail(after));
  }

  private static @Nullable String string(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ApiException.badRequest(field + " must be a string");
    }
    return v.textValue();
  }
}
