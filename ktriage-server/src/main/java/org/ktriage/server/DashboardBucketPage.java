package org.ktriage.server;

import static org.ktriage.server.DashboardHtml.encode;
import static org.ktriage.server.DashboardHtml.minute;
import static org.ktriage.server.DashboardHtml.render;

import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.server.dashboard.Views;
import org.ktriage.server.dashboard.Views.FacetGroup;
import org.ktriage.server.dashboard.Views.FacetLine;

/**
 * The dashboard's bucket page: its trend, where it was seen (releases, hosts, labels, functions,
 * modules, titles), its lifecycle with the form that changes it, and its reports.
 */
final class DashboardBucketPage {
  /** Days a trend chart shows at most, ending on the bucket's last day. */
  private static final int TREND_DAYS = 90;

  private static final int TREND_HEIGHT = 60;

  private final StoreQueries queries;
  private final BucketsApi buckets;
  private final DashboardHtml html;

  DashboardBucketPage(StoreQueries queries, BucketsApi buckets, DashboardHtml html) {
    this.queries = queries;
    this.buckets = buckets;
    this.html = html;
  }

  void bucketPage(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = html.viewer(ctx);
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
    Map<String, List<Store.FacetCount>> facets = queries.facets(b.id(), StoreQueries.PAGE_FACETS);
    List<FacetGroup> where = new ArrayList<>();
    for (FacetShown f : FACETS_SHOWN) {
      where.add(
          group(
              f.heading(),
              f.id(),
              facets.getOrDefault(f.facet(), List.of()),
              v -> f.link() == null ? null : f.link() + encode(v)));
    }
    where.removeIf(g -> g.values().isEmpty());
    List<Views.EventLine> events = new ArrayList<>();
    for (Store.Event e : queries.events(b.id())) {
      events.add(
          new Views.EventLine(
              minute(e.at()),
              e.status(),
              DashboardHtml.statusText(e.status(), e.fixedIn()),
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
        html.page(b.title(), who, ""),
        DashboardHtml.line(b),
        b.signature(),
        trend(facets.getOrDefault("day", List.of())),
        where,
        events,
        examples,
        CrashServer.STATUSES,
        error,
        "/api/v1/buckets/" + b.id());
  }

  /** A facet the bucket page shows: its heading, anchor, stored name and link (null: none). */
  private record FacetShown(String heading, String id, String facet, @Nullable String link) {}

  private static final List<FacetShown> FACETS_SHOWN =
      List.of(
          new FacetShown("Releases", "releases", "release", "/releases/"),
          new FacetShown("Hosts", "hosts", "host", "/buckets?host="),
          new FacetShown("Labels", "labels", "label", "/buckets?label="),
          new FacetShown("Functions", "functions", "function", "/buckets?function="),
          new FacetShown("Modules", "modules", "module", "/buckets?module="),
          new FacetShown("Titles", "titles", "title", null));

  private static FacetGroup group(
      String heading,
      String id,
      List<Store.FacetCount> counts,
      java.util.function.Function<String, @Nullable String> url) {
    List<FacetLine> values = new ArrayList<>();
    for (Store.FacetCount f : counts) {
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

  void changeLifecycle(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = html.writer(ctx);
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
          who.name());
    } catch (ApiException e) {
      if (e.status() != 400) {
        throw e;
      }
      render(ctx, 400, "dashboard/bucket.jte", bucketView(b, who, e.getMessage()));
      return;
    }
    ctx.redirect("/buckets/" + id + "#lifecycle", io.javalin.http.HttpStatus.SEE_OTHER);
  }
}
