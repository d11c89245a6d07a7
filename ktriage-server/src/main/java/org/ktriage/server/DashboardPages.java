package org.ktriage.server;

import static org.ktriage.server.DashboardHtml.encode;
import static org.ktriage.server.DashboardHtml.query;
import static org.ktriage.server.DashboardHtml.render;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ktriage.model.FailureClass;
import org.ktriage.server.dashboard.Views;
import org.ktriage.server.dashboard.Views.BucketLine;

/**
 * The dashboard: server-rendered pages (jte templates under {@code src/main/jte/dashboard}, the
 * HTML report's theme) over the same store and checks as the JSON API, each page with its API twin.
 * No script runs on them: sorting, filtering and paging are links and GET forms, a lifecycle change
 * is a POST form. The bucket page is {@link DashboardBucketPage}, the re-triage page {@link
 * DashboardRetriagePage}, what they share {@link DashboardHtml}.
 */
final class DashboardPages {
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

  private final StoreQueries queries;
  private final ReportsApi reports;
  private final DashboardAccess access;
  private final DashboardHtml html;
  private final DashboardBucketPage bucketPage;
  private final DashboardRetriagePage retriagePage;

  DashboardPages(
      StoreQueries queries,
      BucketsApi buckets,
      ReportsApi reports,
      RetriageApi retriage,
      DashboardAccess access,
      String version) {
    this.queries = queries;
    this.reports = reports;
    this.access = access;
    this.html = new DashboardHtml(access, version);
    this.bucketPage = new DashboardBucketPage(queries, buckets, html);
    this.retriagePage = new DashboardRetriagePage(retriage, html);
  }

  void routes(Javalin app) {
    app.get("/", ctx -> ctx.redirect("/buckets", io.javalin.http.HttpStatus.SEE_OTHER));
    app.get("/buckets", this::bucketList);
    app.get("/buckets/{id}", bucketPage::bucketPage);
    app.post("/buckets/{id}/lifecycle", bucketPage::changeLifecycle);
    app.get("/reports/{id}", this::report);
    app.get("/releases", this::releaseList);
    app.get("/releases/{release}", this::releasePage);
    app.get("/retriage", retriagePage::retriagePage);
    app.post("/retriage", ctx -> retriagePage.retriageAction(ctx, "start"));
    app.post("/retriage/{generation}/apply", ctx -> retriagePage.retriageAction(ctx, "apply"));
    app.post("/retriage/{generation}/discard", ctx -> retriagePage.retriageAction(ctx, "discard"));
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
        new Views.Failure(html.page("Error " + status, null, ""), status, message));
  }

  // ------------------------------------------------------------------------------ access

  private void loginPage(Context ctx) {
    String next = DashboardAccess.localPath(ctx.queryParam("next"));
    render(
        ctx,
        200,
        "dashboard/login.jte",
        new Views.Login(html.page("Sign in", null, ""), next, null));
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
              html.page("Sign in", null, ""),
              next,
              "unknown token, or a token without the read scope"));
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
    DashboardAccess.Viewer who = html.viewer(ctx);
    if (who == null) {
      return;
    }
    Store.BucketQuery q = BucketsApi.bucketQuery(ctx);
    List<BucketLine> lines = new ArrayList<>();
    for (Store.BucketRow b : queries.buckets(q)) {
      lines.add(DashboardHtml.line(b));
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
            html.page("Buckets", who, filters.search()),
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

  private void report(Context ctx) throws SQLException, IOException {
    if (html.viewer(ctx) == null) {
      return;
    }
    reports.getReportHtml(ctx);
  }

  private void releaseList(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = html.viewer(ctx);
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
        new Views.ReleaseList(html.page("Releases", who, ""), lines, "/api/v1/releases"));
  }

  private void releasePage(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = html.viewer(ctx);
    if (who == null) {
      return;
    }
    String release = Params.release(ctx.pathParam("release"));
    if (release == null) {
      throw ApiException.badRequest("a release is needed");
    }
    List<BucketLine> newIn = queries.newIn(release).stream().map(DashboardHtml::line).toList();
    List<BucketLine> regressed =
        queries.regressedIn(release).stream().map(DashboardHtml::line).toList();
    render(
        ctx,
        200,
        "dashboard/release.jte",
        new Views.ReleasePage(
            html.page(release, who, ""),
            release,
            newIn,
            regressed,
            "/buckets?release=" + encode(release),
            "/api/v1/releases/" + encode(release)));
  }
}
