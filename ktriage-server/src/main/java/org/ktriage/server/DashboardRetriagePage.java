package org.ktriage.server;

import static org.ktriage.server.DashboardHtml.render;

import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.server.dashboard.Views;

/**
 * The dashboard's re-triage page: the generation shown, the one staged (its progress and preview:
 * buckets merged, split, new and gone) and the forms that start, apply or discard a re-triage.
 */
final class DashboardRetriagePage {
  private final RetriageApi retriage;
  private final DashboardHtml html;

  DashboardRetriagePage(RetriageApi retriage, DashboardHtml html) {
    this.retriage = retriage;
    this.html = html;
  }

  void retriagePage(Context ctx) throws SQLException {
    DashboardAccess.Viewer who = html.viewer(ctx);
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
            html.page("Re-triage", who, ""),
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

  void retriageAction(Context ctx, String action) throws SQLException {
    html.writer(ctx);
    switch (action) {
      case "start" -> retriage.start();
      case "apply" -> retriage.apply(Params.id("generation", ctx.pathParam("generation")));
      default -> retriage.discard(Params.id("generation", ctx.pathParam("generation")));
    }
    ctx.redirect("/retriage", io.javalin.http.HttpStatus.SEE_OTHER);
  }
}
