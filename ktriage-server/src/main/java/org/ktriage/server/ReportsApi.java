package org.ktriage.server;

import static org.ktriage.server.CrashServer.JSON;
import static org.ktriage.server.CrashServer.JSON_TYPE;
import static org.ktriage.server.CrashServer.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;

/** The report resources of the JSON API: metadata, diagnosis, raw bytes and the HTML report. */
final class ReportsApi {
  private final StoreQueries queries;
  private final Diagnoser diagnoser;
  private final String version;

  ReportsApi(StoreQueries queries, Diagnoser diagnoser, String version) {
    this.queries = queries;
    this.diagnoser = diagnoser;
    this.version = version;
  }

  private Store.ReportRow reportOr404(Context ctx) throws SQLException {
    long id = Params.id("report id", ctx.pathParam("id"));
    return queries.report(id).orElseThrow(() -> ApiException.notFound("no report " + id));
  }

  void getReport(Context ctx) throws SQLException {
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

  void getDiagnosis(Context ctx) throws SQLException {
    Store.ReportRow r = reportOr404(ctx);
    String j = queries.diagnosisJson(r.id()).orElseThrow();
    ctx.status(200).contentType(JSON_TYPE).result(j.endsWith("\n") ? j : j + "\n");
  }

  void getRaw(Context ctx) throws SQLException {
    Store.ReportRow r = reportOr404(ctx);
    byte[] raw = queries.raw(r.id()).orElseThrow();
    ctx.status(200)
        .contentType("application/octet-stream")
        .header("Content-Disposition", "attachment; filename=\"report-" + r.id() + "\"")
        .result(raw);
  }

  void getReportHtml(Context ctx) throws SQLException, IOException {
    Store.ReportRow r = reportOr404(ctx);
    if (!"text".equals(r.contentKind())) {
      throw new ApiException(
          409,
          "report "
              + r.id()
              + " was submitted as a diagnosis JSON: there is no log to draw the HTML report from");
    }
    byte[] raw = queries.raw(r.id()).orElseThrow();
    String html = diagnoser.html(raw, r.sha256(), version);
    // the report's own policy, also as a header: no script, no request leaves the page
    ctx.status(200)
        .header("Content-Security-Policy", CrashServer.REPORT_CSP)
        .contentType("text/html; charset=utf-8")
        .result(html);
  }
}
