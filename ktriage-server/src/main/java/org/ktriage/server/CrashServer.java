package org.ktriage.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash service: an HTTP server (Javalin on Jetty) over a {@link Database}. It ingests reports
 * ({@code POST /api/v1/reports}), keeps them and their buckets, and answers the JSON API under
 * {@code /api/v1}. Every refusal is a 4xx with a one-line JSON body {@code {"error": "…"}}.
 */
public final class CrashServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CrashServer.class);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JSON_TYPE = "application/json";

  /** The policy of the HTML report ({@code report.jte}): inline style and data images only. */
  static final String REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  /** Diagnosis workers per node taking queued uploads that no request is diagnosing. */
  static final int QUEUE_WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  static final List<String> STATUSES = List.of("new", "fixed", "regressed");

  private final ServerConfig config;
  private final Database db;
  private final Store store;
  private final StoreQueries queries;
  private final Tokens tokens;
  private final ServerMetrics metrics = new ServerMetrics();

  private final IngestApi ingest;
  private final QueueWorkers workers;
  private final ReportsApi reports;
  private final BucketsApi buckets;
  private final DashboardPages dashboard;
  private final Retriage retriage;
  private final RetriageApi retriageApi;
  private final String version;
  private final String rulebookVersion;
  private final Javalin app;

  private CrashServer(ServerConfig config, Database db, String version) {
    this.config = config;
    this.db = db;
    this.store = new Store(db.dataSource());
    StoreQueries queries = new StoreQueries(db.dataSource());
    this.queries = queries;
    this.tokens = new Tokens(db.dataSource());
    Path tmp = config.dataDir().resolve("tmp");
    Diagnoser diagnoser = new Diagnoser(tmp, config.maxInflatedBytes());
    this.version = version;
    this.rulebookVersion = RuleBookVersion.current();
    IngestQueue queue = new IngestQueue(db.dataSource());
    this.ingest = new IngestApi(config, store, queue, queries, diagnoser, metrics, rulebookVersion);
    this.workers = new QueueWorkers(queue, ingest, QUEUE_WORKERS);
    metrics.queueDepth(
        () -> {
          try {
            return queue.depth();
          } catch (SQLException e) {
            return Double.NaN;
          }
        });
    this.reports = new ReportsApi(queries, diagnoser, version);
    this.buckets = new BucketsApi(store, queries, config.maxBodyBytes());
    this.retriage =
        new Retriage(
            store,
            diagnoser,
            rulebookVersion,
            Runtime.getRuntime().availableProcessors(),
            config.keepRetired());
    this.retriageApi = new RetriageApi(retriage, db.dataSource());
    this.dashboard =
        new DashboardPages(
            queries,
            buckets,
            reports,
            retriageApi,
            new DashboardAccess(tokens, config.userHeader()),
            version);
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
      s.workers.start();
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

  /** The database of this server, for tests that look at what is stored. */
  javax.sql.DataSource dataSource() {
    return db.dataSource();
  }

  /** The ingest of this server (see {@link IngestApi}). */
  IngestApi ingest() {
    return ingest;
  }

  /** The re-triage of this server (see {@link Retriage}). */
  Retriage retriage() {
    return retriage;
  }

  @Override
  public void close() {
    retriage.stop();
    app.stop();
    ingest.close();
    workers.close();
    db.close();
  }

  private void routes() {
    app.exception(
        ApiException.class,
        (e, ctx) -> {
          if (DashboardPages.isPage(ctx)) {
            metrics.refused(e.status());
            dashboard.failure(ctx, e.status(), ServerMessages.oneLine(e.getMessage()));
          } else {
            error(ctx, e.status(), String.valueOf(e.getMessage()));
          }
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
          error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
        });
    app.error(
        404,
        ctx -> {
          if (isJson(ctx) || isHtml(ctx)) {
            return; // a handler already answered
          }
          if (DashboardPages.isPage(ctx)) {
            dashboard.failure(ctx, 404, "no such resource: " + ctx.method() + " " + ctx.path());
          } else {
            error(ctx, 404, "no such resource: " + ctx.method() + " " + ctx.path());
          }
        });
    app.error(
        405,
        ctx -> {
          if (isJson(ctx) || isHtml(ctx)) {
            return; // a handler already answered
          }
          if (DashboardPages.isPage(ctx)) {
            dashboard.failure(ctx, 405, "method " + ctx.method() + " not allowed on " + ctx.path());
          } else {
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
    app.post("/api/v1/reports", ingest::postReport);
    app.get("/api/v1/reports/{id}", reports::getReport);
    app.get("/api/v1/reports/{id}/diagnosis", reports::getDiagnosis);
    app.get("/api/v1/reports/{id}/html", reports::getReportHtml);
    app.get("/api/v1/reports/{id}/raw", reports::getRaw);
    app.get("/api/v1/buckets", buckets::getBuckets);
    app.get("/api/v1/buckets/{id}", buckets::getBucket);
    app.post("/api/v1/buckets/{id}/lifecycle", buckets::postLifecycle);
    app.get("/api/v1/releases", buckets::getReleases);
    app.get("/api/v1/releases/{release}", buckets::getRelease);
    app.get("/api/v1/retriage", retriageApi::getStatus);
    app.post("/api/v1/retriage", retriageApi::postStart);
    app.get("/api/v1/retriage/preview", retriageApi::getPreview);
    app.post("/api/v1/retriage/{generation}/apply", retriageApi::postApply);
    app.post("/api/v1/retriage/{generation}/discard", retriageApi::postDiscard);
    dashboard.routes(app);
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

  private static boolean isHtml(Context ctx) {
    String t = ctx.res().getContentType();
    return t != null && t.startsWith("text/html");
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

  static final String SUBMITTER = "ktriage.submitter";

  private void error(Context ctx, int status, String message) {
    metrics.refused(status);
    ObjectNode o = JSON.createObjectNode();
    o.put("error", ServerMessages.oneLine(message));
    ctx.status(status).contentType(JSON_TYPE).result(o.toString() + "\n");
  }

  static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType(JSON_TYPE).result(body.toString() + "\n");
  }

  // ------------------------------------------------------------------------------------ health

  private void health(Context ctx) throws SQLException {
    Map<String, Long> totals = queries.totals();
    ObjectNode o = JSON.createObjectNode();
    o.put("status", "ok");
    o.put("version", version);
    o.put("rulebookVersion", rulebookVersion);
    o.put("database", db.product());
    totals.forEach(o::put);
    json(ctx, 200, o);
  }
}
