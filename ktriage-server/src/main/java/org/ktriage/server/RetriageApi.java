package org.ktriage.server;

import static org.ktriage.server.CrashServer.JSON;
import static org.ktriage.server.CrashServer.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The re-triage resources of the JSON API: {@code GET /api/v1/retriage} (state and progress),
 * {@code POST /api/v1/retriage} (start or resume), {@code GET /api/v1/retriage/preview}, {@code
 * POST /api/v1/retriage/{generation}/apply} and {@code POST /api/v1/retriage/{generation}/discard}.
 */
final class RetriageApi {
  private final Retriage retriage;
  private final DataSource ds;

  RetriageApi(Retriage retriage, DataSource ds) {
    this.retriage = retriage;
    this.ds = ds;
  }

  void getStatus(Context ctx) throws SQLException {
    json(ctx, 200, statusJson(retriage.status()));
  }

  void postStart(Context ctx) throws SQLException {
    start();
    json(ctx, 202, statusJson(retriage.status()));
  }

  void start() throws SQLException {
    retriage.start(true);
  }

  void apply(long generation) throws SQLException {
    retriage.apply(generation);
  }

  void discard(long generation) throws SQLException {
    retriage.discard(generation);
  }

  Retriage.Status status() throws SQLException {
    return retriage.status();
  }

  void getPreview(Context ctx) throws SQLException {
    json(ctx, 200, previewJson(preview()));
  }

  /** The preview of the staged generation; 409 when none is staged. */
  RetriagePreview.Preview preview() throws SQLException {
    Retriage.Status s = retriage.status();
    Retriage.Generation g = s.staged();
    if (g == null) {
      throw new ApiException(409, "no re-triage is staged: POST /api/v1/retriage starts one");
    }
    try (Connection c = ds.getConnection()) {
      return RetriagePreview.of(c, s.current().id(), g.id(), "staged".equals(g.state()));
    }
  }

  void postApply(Context ctx) throws SQLException {
    long id = Params.id("generation", ctx.pathParam("generation"));
    retriage.apply(id);
    json(ctx, 200, statusJson(retriage.status()));
  }

  void postDiscard(Context ctx) throws SQLException {
    long id = Params.id("generation", ctx.pathParam("generation"));
    retriage.discard(id);
    json(ctx, 200, statusJson(retriage.status()));
  }

  static ObjectNode statusJson(Retriage.Status s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("rulebookVersion", s.rulebookVersion());
    o.put("running", s.running());
    o.set("current", generationJson(s.current()));
    if (s.staged() == null) {
      o.putNull("staged");
    } else {
      o.set("staged", generationJson(s.staged()));
    }
    o.put("reportsToDo", s.reportsToDo());
    o.put("reportsDone", s.reportsDone());
    o.put("lastError", s.lastError());
    return o;
  }

  private static ObjectNode generationJson(Retriage.Generation g) {
    ObjectNode o = JSON.createObjectNode();
    o.put("generation", g.id());
    o.put("rulebookVersion", g.rulebookVersion());
    o.put("state", g.state());
    o.put("startedAt", g.startedAt().toString());
    o.put("finishedAt", text(g.finishedAt()));
    o.put("appliedAt", text(g.appliedAt()));
    return o;
  }

  private static @Nullable String text(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }

  static ObjectNode previewJson(RetriagePreview.Preview p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("currentGeneration", p.currentGeneration());
    o.put("stagedGeneration", p.stagedGeneration());
    o.put("complete", p.complete());
    o.put("reportsCompared", p.reportsCompared());
    o.put("reportsMoved", p.reportsMoved());
    o.put("bucketsBefore", p.bucketsBefore());
    o.put("bucketsAfter", p.bucketsAfter());
    o.put("unchanged", p.unchanged());
    ObjectNode counts = o.putObject("counts");
    counts.put("merged", p.mergedCount());
    counts.put("split", p.splitCount());
    counts.put("new", p.newCount());
    counts.put("gone", p.goneCount());
    o.set("merged", changes(p.merged()));
    o.set("split", changes(p.split()));
    o.set("new", changes(p.created()));
    o.set("gone", changes(p.gone()));
    return o;
  }

  private static ArrayNode changes(List<RetriagePreview.Change> changes) {
    ArrayNode a = JSON.createArrayNode();
    for (RetriagePreview.Change ch : changes) {
      ObjectNode o = a.addObject();
      o.set("bucket", ref(ch.bucket()));
      ArrayNode flows = o.putArray("flows");
      for (RetriagePreview.Flow f : ch.flows()) {
        ObjectNode fo = flows.addObject();
        fo.set("from", ref(f.from()));
        fo.set("to", ref(f.to()));
        fo.put("reports", f.reports());
        fo.put("exampleReport", f.exampleReport());
      }
    }
    return a;
  }

  private static ObjectNode ref(RetriagePreview.BucketRef b) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", b.id());
    o.put("signature", b.signature());
    o.put("title", b.title());
    o.put("reports", b.reports());
    return o;
  }
}
