package org.ktriage.server;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.FailureClass;
import org.ktriage.render.html.HtmlTheme;
import org.ktriage.server.dashboard.Views;
import org.ktriage.server.dashboard.Views.BucketLine;
import org.ktriage.server.dashboard.Views.FacetGroup;
import org.ktriage.server.dashboard.Views.FacetLine;
import org.ktriage.server.dashboard.Views.Page;

/**
 * The dashboard: server-rendered pages (jte templates under {@code src/main/jte/dashboard}, the
 * HTML report's theme) over the same store and checks as the JSON API, each page with its API twin.
 * No script runs on them: sorting, filtering and paging are links and GET forms, a lifecycle change
 * is a POST form.
 */
final class DashboardPages {
  /** What a dashboard page may load: its own inline style and nothing else; forms post here. */
  static final String CSP =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(
          null, ContentType.Html, DashboardPages.class.getClassLoader(), "org.ktriage.server.jte");

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  /** The sortable columns, in table order: API sort name and header. */
  private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("count", "reports");
    COLUMNS.put("title", "title");
    COLUMNS.put("class", "class");
    COLUMNS.put("status", "status");
    COLUMNS.put("firstSeen", "first seen");
    COLUMNS.put("lastSeen", "last seen");
  }

  /** Days a trend chart shows at most, ending on the bucket's last day. */
  private static final int TREND_DAYS = 90;

  private static final int TREND_HEIGHT = 60;

  private final StoreQueries queries;
  private final BucketsApi buckets;
  private final ReportsApi reports;
  private final RetriageApi retriage;
  private final DashboardAccess access;
  private final String version;

  DashboardPages(
      StoreQueries queries,
      BucketsApi buckets,
      ReportsApi reports,
      RetriageApi retriage,
      DashboardAccess access,
      String version) {
    this.queries = queries;
    this.buckets = buckets;
    this.reports = reports;
    this.retriage = retriage;
    this.access = access;
    this.version = version;
  }

  void routes(Javalin app) {
    app.get("/", ctx -> ctx.redirect("/buckets", io.javalin.http.HttpStatus.SEE_OTHER));
    app.get("/buckets", this::bucketList);
    app.get("/buckets/{id}", this::bucketPage);
    app.post("/buckets/{id}/lifecycle", this::changeLifecycle);
    app.get("/reports/{id}", this::report);
    app.get("/releases", this::releaseList);
    app.get("/releases/{release}", this::releasePage);
    app.get("/retriage", this::retriagePage);
    app.post("/retriage", ctx -> retriageAction(ctx, "start"));
    app.post("/retriage/{generation}/apply", ctx -> retriageAction(ctx, "apply"));
    app.post("/retriage/{generation}/discard", ctx -> retriageAction(ctx, "discard"));
    app.get("/login", this::loginPage);
    app.post("/login", this::login);
    app.post("/logout", this::logout);
  }

  /** True for the paths of dashboard pages (their errors are pages, not JSON). */
  static boolean isPage(Context ctx) {
    String p = ctx.path();
    return p.equals("/")
        || p.equals("/login")
        || p.equals("/logout")
        || p.startsWith("/buckets")
        || p.startsWith("/reports")
        || p.startsWith("/releases")
        || p.startsWith("/retriage");
  }

  /** A failed dashboard request as a page. */
  void failure(Context ctx, int status, String message) {
    render(
        ctx,
        status,
        "dashboard/failure.jte",
        new Views.Failure(page("Error " + status, null, ""), status, message));
  }

  // ------------------------------------------------------------------------------ access

  /** The viewer, or null after answering with a redirect to the sign-in page. */
  private DashboardAccess.@Nullable Viewer viewer(Context ctx) throws SQLException {
    Optional<DashboardAccess.Viewer> v = access.viewer(ctx);
    if (v.isPresent()) {
      return v.get();
    }
    String here = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    ctx.redirect("/login?next=" + encode(here), io.javalin.http.HttpStatus.SEE_OTHER);
    return null;
  }

  private void loginPage(Context ctx) {
    String next = DashboardAccess.localPath(ctx.queryParam("next"));
    render(ctx, 200, "dashboard/login.jte", new Views.Login(page("Sign in", null, ""), next, null));
  }

  private void login(Context ctx) throws SQLException {
    DashboardAccess.sameOrigin(ctx);
    String next = DashboardAccess.localPath(ctx.formParam("next"));
    String token = ctx.formParam("token");
    var holder = access.signIn(token);
    if (holder.isEmpty() || token == null) {
      render(
          ctx,
          401,
          "dashboard/login.jte",
          new Views.Login(
              page("Sign in", null, ""), next, "unknown token, or a token without the read scope"));
      return;
    }
    ctx.header(
        "Set-Cookie",
        DashboardAccess.COOKIE + "=" + token.strip() + "; Path=/; HttpOnly; SameSite=Strict");
    ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    DashboardAccess.sameOrigin(ctx);
    ctx.header(
        "Set-Cookie", DashboardAccess.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  // ------------------------------------------------------------------------------- pages

  private void bucketList(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = viewer(ctx);
    if (who == null) {
      return;
    }
    Store.BucketQuery q = BucketsApi.bucketQuery(ctx);
    List<BucketLine> lines = new ArrayList<>();
    for (Store.BucketRow b : queries.buckets(q)) {
      lines.add(line(b));
    }
    Map<String, String> params = listParams(ctx);
    List<Views.Link> sorts = new ArrayList<>();
    COLUMNS.forEach(
        (sort, label) -> {
          boolean current = sort.equals(q.sort());
          Map<String, String> p = new LinkedHashMap<>(params);
          p.remove("offset");
          p.put("sort", sort);
          // a click on the current column turns its order round
          boolean descending = current ? !q.descending() : !"title".equals(sort);
          p.put("order", descending ? "desc" : "asc");
          String arrow = current ? (q.descending() ? " ↓" : " ↑") : "";
          sorts.add(new Views.Link(label + arrow, "/buckets" + query(p), current));
        });
    String previous = null;
    if (q.offset() > 0) {
      Map<String, String> p = new LinkedHashMap<>(params);
      p.put("offset", String.valueOf(Math.max(0, q.offset() - q.limit())));
      previous = "/buckets" + query(p);
    }
    String next = null;
    if (lines.size() == q.limit()) {
      Map<String, String> p = new LinkedHashMap<>(params);
      p.put("offset", String.valueOf(q.offset() + q.limit()));
      next = "/buckets" + query(p);
    }
    Views.Filters filters =
        new Views.Filters(
            params.getOrDefault("class", ""),
            params.getOrDefault("release", ""),
            params.getOrDefault("host", ""),
            params.getOrDefault("label", ""),
            params.getOrDefault("status", ""),
            params.getOrDefault("since", ""),
            params.getOrDefault("until", ""),
            params.getOrDefault("q", ""));
    render(
        ctx,
        200,
        "dashboard/buckets.jte",
        new Views.BucketList(
            page("Buckets", who, filters.search()),
            filters,
            lines,
            sorts,
            Arrays.stream(FailureClass.values()).map(FailureClass::id).sorted().toList(),
            CrashServer.STATUSES,
            previous,
            next,
            "/api/v1/buckets" + query(params)));
  }

  /** The list's query parameters that are set, already checked by {@link BucketsApi}. */
  private static Map<String, String> listParams(Context ctx) {
    Map<String, String> p = new LinkedHashMap<>();
    for (String name :
        List.of(
            "class",
            "status",
            "release",
            "host",
            "label",
            "function",
            "module",
            "since",
            "until",
            "q",
            "sort",
            "order",
            "limit",
            "offset")) {
      String v = BucketsApi.blankToNull(ctx.queryParam(name));
      if (v != null) {
        p.put(name, v.strip());
      }
    }
    return p;
  }

  private void bucketPage(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = viewer(ctx);
    if (who == null) {
      return;
    }
    long id = Params.id("bucket id", ctx.pathParam("id"));
    Store.BucketRow b =
        queries.bucket(id).orElseThrow(() -> ApiException.notFound("no bucket " + id));
    render(ctx, 200, "dashboard/bucket.jte", bucketView(b, who, null));
  }

  private Views.BucketPage bucketView(
      Store.BucketRow b, DashboardAccess.Viewer who, @Nullable String error) throws SQLException {
    List<FacetGroup> where = new ArrayList<>();
    where.add(group("Releases", "releases", b.id(), "release", v -> "/releases/" + encode(v)));
    where.add(group("Hosts", "hosts", b.id(), "host", v -> "/buckets?host=" + encode(v)));
    where.add(group("Labels", "labels", b.id(), "label", v -> "/buckets?label=" + encode(v)));
    where.add(
        group("Functions", "functions", b.id(), "function", v -> "/buckets?function=" + encode(v)));
    where.add(group("Modules", "modules", b.id(), "module", v -> "/buckets?module=" + encode(v)));
    where.add(group("Titles", "titles", b.id(), "title", v -> null));
    where.removeIf(g -> g.values().isEmpty());
    List<Views.EventLine> events = new ArrayList<>();
    for (Store.Event e : queries.events(b.id())) {
      events.add(
          new Views.EventLine(
              minute(e.at()),
              e.status(),
              statusText(e.status(), e.fixedIn()),
              e.fixedIn(),
              e.note(),
              e.link(),
              e.actor(),
              e.reportId() == null ? null : "/reports/" + e.reportId()));
    }
    List<Views.ReportLine> examples = new ArrayList<>();
    for (Store.ReportRow r : queries.bucketReports(b.id(), 20)) {
      boolean html = "text".equals(r.contentKind());
      examples.add(
          new Views.ReportLine(
              r.id(),
              minute(r.seenAt()),
              r.host(),
              r.release(),
              r.labels(),
              r.title(),
              html ? "/reports/" + r.id() : "/api/v1/reports/" + r.id() + "/diagnosis",
              html));
    }
    return new Views.BucketPage(
        page(b.title(), who, ""),
        line(b),
        b.signature(),
        trend(queries.facets(b.id(), "day")),
        where,
        events,
        examples,
        CrashServer.STATUSES,
        error,
        "/api/v1/buckets/" + b.id());
  }

  private FacetGroup group(
      String heading,
      String id,
      long bucketId,
      String facet,
      java.util.function.Function<String, @Nullable String> url)
      throws SQLException {
    List<FacetLine> values = new ArrayList<>();
    for (Store.FacetCount f : queries.facets(bucketId, facet)) {
      values.add(
          new FacetLine(
              f.value(),
              f.count(),
              minute(f.firstSeen()),
              minute(f.lastSeen()),
              url.apply(f.value())));
    }
    return new FacetGroup(heading, id, values);
  }

  /** Reports per day as bars: the last {@value #TREND_DAYS} days up to the bucket's last day. */
  static Views.Trend trend(List<Store.FacetCount> days) {
    Map<LocalDate, Long> perDay = new java.util.TreeMap<>();
    for (Store.FacetCount f : days) {
      try {
        perDay.merge(LocalDate.parse(f.value()), f.count(), Long::sum);
      } catch (java.time.format.DateTimeParseException e) {
        // not a day counter: skip it (the store writes ISO dates only)
      }
    }
    if (perDay.isEmpty()) {
      return new Views.Trend(0, TREND_HEIGHT, List.of(), "", "", 0);
    }
    LocalDate last = ((java.util.TreeMap<LocalDate, Long>) perDay).lastKey();
    LocalDate first = ((java.util.TreeMap<LocalDate, Long>) perDay).firstKey();
    LocalDate start =
        first.isBefore(last.minusDays(TREND_DAYS - 1)) ? last.minusDays(TREND_DAYS - 1) : first;
    int n = (int) ChronoUnit.DAYS.between(start, last) + 1;
    long peak = 0;
    for (int i = 0; i < n; i++) {
      peak = Math.max(peak, perDay.getOrDefault(start.plusDays(i), 0L));
    }
    List<Views.Bar> bars = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LocalDate day = start.plusDays(i);
      long count = perDay.getOrDefault(day, 0L);
      if (count == 0) {
        continue;
      }
      int h = (int) Math.max(1, Math.round((double) count * TREND_HEIGHT / peak));
      bars.add(new Views.Bar(day.toString(), count, i * 7, TREND_HEIGHT - h, h));
    }
    return new Views.Trend(n * 7, TREND_HEIGHT, bars, start.toString(), last.toString(), peak);
  }

  private void changeLifecycle(Context ctx) throws SQLException {
    DashboardAccess.sameOrigin(ctx);
    Optional<DashboardAccess.Viewer> who = access.viewer(ctx);
    if (who.isEmpty()) {
      throw new ApiException(401, "sign in first");
    }
    if (!who.get().canWrite()) {
      throw new ApiException(403, "token " + who.get().name() + " lacks the write scope");
    }
    long id = Params.id("bucket id", ctx.pathParam("id"));
    Store.BucketRow b =
        queries.bucket(id).orElseThrow(() -> ApiException.notFound("no bucket " + id));
    try {
      buckets.changeLifecycle(
          id,
          BucketsApi.blankToNull(ctx.formParam("status")),
          BucketsApi.blankToNull(ctx.formParam("fixedIn")),
          BucketsApi.blankToNull(ctx.formParam("note")),
          BucketsApi.blankToNull(ctx.formParam("link")),
          who.get().name());
    } catch (ApiException e) {
      if (e.status() != 400) {
        throw e;
      }
      render(ctx, 400, "dashboard/bucket.jte", bucketView(b, who.get(), e.getMessage()));
      return;
    }
    ctx.redirect("/buckets/" + id + "#lifecycle", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private void report(Context ctx) throws SQLException, IOException {
    if (viewer(ctx) == null) {
      return;
    }
    reports.getReportHtml(ctx);
  }

  private void releaseList(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = viewer(ctx);
    if (who == null) {
      return;
    }
    List<Views.ReleaseLine> lines = new ArrayList<>();
    for (StoreQueries.ReleaseCount r : queries.releases()) {
      lines.add(
          new Views.ReleaseLine(
              r.release(), r.buckets(), r.reports(), "/releases/" + encode(r.release())));
    }
    render(
        ctx,
        200,
        "dashboard/releases.jte",
        new Views.ReleaseList(page("Releases", who, ""), lines, "/api/v1/releases"));
  }

  private void releasePage(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = viewer(ctx);
    if (who == null) {
      return;
    }
    String release = Params.release(ctx.pathParam("release"));
    if (release == null) {
      throw ApiException.badRequest("a release is needed");
    }
    List<BucketLine> newIn = queries.newIn(release).stream().map(DashboardPages::line).toList();
    List<BucketLine> regressed =
        queries.regressedIn(release).stream().map(DashboardPages::line).toList();
    render(
        ctx,
        200,
        "dashboard/release.jte",
        new Views.ReleasePage(
            page(release, who, ""),
            release,
            newIn,
            regressed,
            "/buckets?release=" + encode(release),
            "/api/v1/releases/" + encode(release)));
  }

  private void retriagePage(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = viewer(ctx);
    if (who == null) {
      return;
    }
    Retriage.Status s = retriage.status();
    StringBuilder state =
        new StringBuilder("Buckets shown: generation ")
            .append(s.current().id())
            .append(" (")
            .append(s.current().rulebookVersion())
            .append("). This server runs ")
            .append(s.rulebookVersion())
            .append(". ");
    Retriage.Generation g = s.staged();
    String summary = null;
    List<Views.ChangeGroup> groups = new ArrayList<>();
    if (g == null) {
      state.append("No re-triage is staged.");
    } else {
      state
          .append("Re-triage generation ")
          .append(g.id())
          .append(" (")
          .append(g.rulebookVersion())
          .append(") is ")
          .append(g.state())
          .append(s.running() ? ", running" : "")
          .append(": ")
          .append(s.reportsDone())
          .append(" of ")
          .append(s.reportsToDo())
          .append(" stored reports diagnosed.");
      if (s.lastError() != null) {
        state.append(" Last error: ").append(s.lastError());
      }
      RetriagePreview.Preview p = retriage.preview();
      summary =
          (p.complete() ? "" : "Partial (re-triage not finished): ")
              + p.reportsCompared()
              + " reports compared, "
              + p.reportsMoved()
              + " change bucket; "
              + p.bucketsBefore()
              + " buckets now, "
              + p.bucketsAfter()
              + " after; "
              + p.unchanged()
              + " unchanged.";
      groups.add(group("merged", "Merged", p.mergedCount(), p.merged()));
      groups.add(group("split", "Split", p.splitCount(), p.split()));
      groups.add(group("new", "New", p.newCount(), p.created()));
      groups.add(group("gone", "Gone", p.goneCount(), p.gone()));
    }
    render(
        ctx,
        200,
        "dashboard/retriage.jte",
        new Views.RetriagePage(
            page("Re-triage", who, ""),
            state.toString(),
            g == null ? null : g.id(),
            g != null && "staged".equals(g.state()),
            who.canWrite(),
            summary,
            groups,
            "/api/v1/retriage/preview"));
  }

  private static Views.ChangeGroup group(
      String id, String heading, long count, List<RetriagePreview.Change> changes) {
    List<Views.ChangeLine> lines = new ArrayList<>();
    for (RetriagePreview.Change ch : changes) {
      List<Views.FlowLine> flows = new ArrayList<>();
      for (RetriagePreview.Flow f : ch.flows()) {
        flows.add(
            new Views.FlowLine(
                f.from().title(),
                bucketUrl(f.from()),
                f.to().title(),
                bucketUrl(f.to()),
                f.reports(),
                "/reports/" + f.exampleReport()));
      }
      lines.add(
          new Views.ChangeLine(
              ch.bucket().title(), bucketUrl(ch.bucket()), ch.bucket().reports(), flows));
    }
    return new Views.ChangeGroup(id, heading, count, lines);
  }

  private static @Nullable String bucketUrl(RetriagePreview.BucketRef b) {
    return b.id() == null ? null : "/buckets/" + b.id();
  }

  private void retriageAction(Context ctx, String action) throws SQLException {
    DashboardAccess.sameOrigin(ctx);
    Optional<DashboardAccess.Viewer> who = access.viewer(ctx);
    if (who.isEmpty()) {
      throw new ApiException(401, "sign in first");
    }
    if (!who.get().canWrite()) {
      throw new ApiException(403, "token " + who.get().name() + " lacks the write scope");
    }
    switch (action) {
      case "start" -> retriage.start();
      case "apply" -> retriage.apply(Params.id("generation", ctx.pathParam("generation")));
      default -> retriage.discard(Params.id("generation", ctx.pathParam("generation")));
    }
    ctx.redirect("/retriage", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  // ------------------------------------------------------------------------------ helpers

  private Page page(String title, DashboardAccess.@Nullable Viewer who, String search) {
    return new Page(title, HtmlTheme.style(), who == null ? null : who.name(), search, version);
  }

  static BucketLine line(Store.BucketRow b) {
    return new BucketLine(
        b.id(),
        b.title(),
        b.failureClass(),
        b.count(),
        minute(b.firstSeen()),
        minute(b.lastSeen()),
        b.status(),
        b.fixedIn(),
        statusText(b.status(), b.fixedIn()),
        "/buckets/" + b.id());
  }

  /** A status with the release of its fix: a regressed bucket keeps the release it was fixed in. */
  static String statusText(String status, @Nullable String fixedIn) {
    if (fixedIn == null) {
      return status;
    }
    return status.equals("fixed") ? "fixed in " + fixedIn : status + " (fixed in " + fixedIn + ")";
  }

  private static String minute(Instant t) {
    return MINUTE.format(t);
  }

  private static String encode(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  private static String query(Map<String, String> params) {
    if (params.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    params.forEach(
        (k, v) -> b.append(b.length() == 0 ? '?' : '&').append(k).append('=').append(encode(v)));
    return b.toString();
  }

  private static void render(Context ctx, int status, String template, Object view) {
    StringOutput out = new StringOutput();
    ENGINE.render(template, view, out);
    ctx.status(status)
        .header("Content-Security-Policy", CSP)
        .header("Cache-Control", "no-store")
        .contentType("text/html; charset=utf-8")
        .result(out.toString());
  }
}
