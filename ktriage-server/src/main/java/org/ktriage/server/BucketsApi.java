package org.ktriage.server;

import static org.ktriage.server.CrashServer.JSON;
import static org.ktriage.server.CrashServer.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The bucket resources of the JSON API: the filtered list, one bucket, its lifecycle changes. */
final class BucketsApi {
  private final Store store;
  private final StoreQueries queries;
  private final long maxBodyBytes;

  BucketsApi(Store store, StoreQueries queries, long maxBodyBytes) {
    this.store = store;
    this.queries = queries;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The bucket list's filters, order and page from a request's query (API and dashboard). */
  static Store.BucketQuery bucketQuery(Context ctx) {
    String sort = blankToNull(ctx.queryParam("sort"));
    if (sort != null && !Store.SORTS.containsKey(sort)) {
      throw ApiException.badRequest(
          "sort must be one of "
              + String.join(", ", Store.SORTS.keySet().stream().sorted().toList())
              + ", got "
              + Params.quote(sort));
    }
    String order = Params.oneOf("order", blankToNull(ctx.queryParam("order")), ORDERS);
    String text = Params.text("q", ctx.queryParam("q"), 200);
    return new Store.BucketQuery(
        Params.failureClass(ctx.queryParam("class")),
        Params.release(ctx.queryParam("release")),
        Params.host(ctx.queryParam("host")),
        Params.label(ctx.queryParam("label")),
        Params.symbol("function", ctx.queryParam("function")),
        Params.symbol("module", ctx.queryParam("module")),
        Params.oneOf("status", blankToNull(ctx.queryParam("status")), CrashServer.STATUSES),
        Params.time("since", blankToNull(ctx.queryParam("since"))),
        Params.time("until", blankToNull(ctx.queryParam("until"))),
        text == null || text.isBlank() ? null : text.strip(),
        sort == null ? "count" : sort,
        order == null ? !"title".equals(sort) : order.equals("desc"),
        Params.integer("limit", blankToNull(ctx.queryParam("limit")), 100, 1000),
        Params.integer("offset", blankToNull(ctx.queryParam("offset")), 0, Integer.MAX_VALUE));
  }

  static final List<String> ORDERS = List.of("asc", "desc");

  /** An empty form field is an unset one (the dashboard's filter form sends every field). */
  static @Nullable String blankToNull(@Nullable String v) {
    return v == null || v.isBlank() ? null : v;
  }

  void getBuckets(Context ctx) throws SQLException {
    Store.BucketQuery q = bucketQuery(ctx);
    ObjectNode o = JSON.createObjectNode();
    ArrayNode list = o.putArray("buckets");
    for (Store.BucketRow b : queries.buckets(q)) {
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
    return queries.bucket(id).orElseThrow(() -> ApiException.notFound("no bucket " + id));
  }

  void getBucket(Context ctx) throws SQLException {
    json(ctx, 200, bucketDetail(bucketOr404(ctx)));
  }

  private ObjectNode bucketDetail(Store.BucketRow b) throws SQLException {
    ObjectNode o = bucketJson(b);
    Map<String, List<Store.FacetCount>> facets = queries.facets(b.id(), StoreQueries.PAGE_FACETS);
    o.set("titles", facetJson(facets.getOrDefault("title", List.of())));
    o.set("releases", facetJson(facets.getOrDefault("release", List.of())));
    o.set("hosts", facetJson(facets.getOrDefault("host", List.of())));
    o.set("labels", facetJson(facets.getOrDefault("label", List.of())));
    o.set("functions", facetJson(facets.getOrDefault("function", List.of())));
    o.set("modules", facetJson(facets.getOrDefault("module", List.of())));
    List<Store.FacetCount> days = new ArrayList<>(facets.getOrDefault("day", List.of()));
    days.sort(java.util.Comparator.comparing(Store.FacetCount::value));
    ArrayNode perDay = o.putArray("days");
    for (Store.FacetCount f : days) {
      perDay.addObject().put("day", f.value()).put("count", f.count());
    }
    ArrayNode examples = o.putArray("examples");
    for (Store.ReportRow r : queries.bucketReports(b.id(), 10)) {
      examples.add(ReportsApi.reportJson(r));
    }
    ArrayNode events = o.putArray("lifecycle");
    for (Store.Event e : queries.events(b.id())) {
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

  void postLifecycle(Context ctx) throws SQLException, IOException {
    Store.BucketRow b = bucketOr404(ctx);
    byte[] body = IngestApi.readBody(ctx, maxBodyBytes);
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
    Store.BucketRow after =
        changeLifecycle(
            b.id(),
            string(req, "status"),
            string(req, "fixedIn"),
            string(req, "note"),
            string(req, "link"),
            ctx.attribute(CrashServer.SUBMITTER));
    json(ctx, 200, bucketDetail(after));
  }

  /**
   * Checks a lifecycle change (API or dashboard form) and records it.
   *
   * @param actor who asks for it (token or proxy user name), or null on an open server
   */
  Store.BucketRow changeLifecycle(
      long bucketId,
      @Nullable String rawStatus,
      @Nullable String rawFixedIn,
      @Nullable String rawNote,
      @Nullable String rawLink,
      @Nullable String actor)
      throws SQLException {
    String status = Params.oneOf("status", rawStatus, CrashServer.STATUSES);
    String fixedIn = Params.release(rawFixedIn);
    String note = Params.text("note", rawNote, 4000);
    String link = Params.link(rawLink);
    if ("fixed".equals(status) && fixedIn == null) {
      throw ApiException.badRequest("status fixed needs fixedIn, the first release with the fix");
    }
    if (!"fixed".equals(status) && fixedIn != null) {
      throw ApiException.badRequest("fixedIn goes with status fixed");
    }
    if (status == null && note == null && link == null) {
      throw ApiException.badRequest("nothing to change: give status, note or link");
    }
    return store
        .changeLifecycle(bucketId, status, fixedIn, note, link, actor)
        .orElseThrow(() -> ApiException.notFound("no bucket " + bucketId));
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

  // ---------------------------------------------------------------------------------- releases

  void getReleases(Context ctx) throws SQLException {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode list = o.putArray("releases");
    for (StoreQueries.ReleaseCount r : queries.releases()) {
      list.addObject()
          .put("release", r.release())
          .put("buckets", r.buckets())
          .put("reports", r.reports())
          .put("url", "/api/v1/releases/" + r.release());
    }
    json(ctx, 200, o);
  }

  void getRelease(Context ctx) throws SQLException {
    String release = Params.release(ctx.pathParam("release"));
    if (release == null) {
      throw ApiException.badRequest("a release is needed");
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("release", release);
    ArrayNode newIn = o.putArray("new");
    for (Store.BucketRow b : queries.newIn(release)) {
      newIn.add(bucketJson(b));
    }
    ArrayNode regressed = o.putArray("regressed");
    for (Store.BucketRow b : queries.regressedIn(release)) {
      regressed.add(bucketJson(b));
    }
    json(ctx, 200, o);
  }
}
