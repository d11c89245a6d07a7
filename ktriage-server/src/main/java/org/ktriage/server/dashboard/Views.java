package org.ktriage.server.dashboard;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The records the dashboard templates draw, one per page plus the parts pages share. */
public final class Views {
  private Views() {}

  /**
   * What every page shows around its content.
   *
   * @param title the document title
   * @param style the shared theme's {@code <style>} element (trusted markup)
   * @param user who is signed in (token name or the proxy's user), or null on an open server
   * @param search the text in the search box ("" when none)
   * @param version the ktriage version
   */
  public record Page(
      String title, String style, @Nullable String user, String search, String version) {}

  /** A link with its label; {@code current} marks the one in effect (the sort in use). */
  public record Link(String label, String url, boolean current) {}

  /**
   * One bucket in a list.
   *
   * @param statusText the status as shown: {@code fixed in 6.9}, {@code regressed (fixed in 6.9)}
   */
  public record BucketLine(
      long id,
      String title,
      String failureClass,
      long count,
      String firstSeen,
      String lastSeen,
      String status,
      @Nullable String fixedIn,
      String statusText,
      String url) {}

  /**
   * The filters of the bucket list as typed ("" when unset), so the form shows them again.
   *
   * @param failureClass a failure class id
   * @param release a kernel release
   * @param host a host name
   * @param label a label
   * @param status a lifecycle status
   * @param since an ISO time or date: last seen at or after it
   * @param until an ISO time or date: first seen before it
   * @param search text searched in titles, functions, modules and hosts
   */
  public record Filters(
      String failureClass,
      String release,
      String host,
      String label,
      String status,
      String since,
      String until,
      String search) {}

  /**
   * The bucket list page.
   *
   * @param sorts the column headers as sort links
   * @param classes the failure classes to filter on
   * @param statuses the lifecycle statuses to filter on
   * @param previous the previous page's URL, or null on the first
   * @param next the next page's URL, or null on the last
   * @param apiUrl the same list from the JSON API
   */
  public record BucketList(
      Page page,
      Filters filters,
      List<BucketLine> buckets,
      List<Link> sorts,
      List<String> classes,
      List<String> statuses,
      @Nullable String previous,
      @Nullable String next,
      String apiUrl) {}

  /** A value of a bucket's facet (release, host, label, function …) with its report count. */
  public record FacetLine(
      String value, long count, String firstSeen, String lastSeen, @Nullable String url) {}

  /** The values of one facet of a bucket, under a heading; {@code id} names its section. */
  public record FacetGroup(String heading, String id, List<FacetLine> values) {}

  /** One day's bar of a trend chart, in SVG user units. */
  public record Bar(String day, long count, int x, int y, int height) {}

  /**
   * A bucket's reports per day, drawn as bars.
   *
   * @param width the chart's width
   * @param height the chart's height
   * @param firstDay the first day drawn
   * @param lastDay the last day drawn
   * @param peak the largest count of a day
   */
  public record Trend(
      int width, int height, List<Bar> bars, String firstDay, String lastDay, long peak) {}

  /** One lifecycle event of a bucket; {@code statusText} as in {@link BucketLine}. */
  public record EventLine(
      String at,
      String status,
      String statusText,
      @Nullable String fixedIn,
      @Nullable String note,
      @Nullable String link,
      @Nullable String actor,
      @Nullable String reportUrl) {}

  /** One stored report in a bucket's examples. */
  public record ReportLine(
      long id,
      String seenAt,
      @Nullable String host,
      @Nullable String release,
      List<String> labels,
      @Nullable String title,
      String url,
      boolean hasHtml) {}

  /**
   * The bucket page.
   *
   * @param error why the last lifecycle change was refused, or null
   * @param apiUrl the same bucket from the JSON API
   */
  public record BucketPage(
      Page page,
      BucketLine bucket,
      String signature,
      Trend trend,
      List<FacetGroup> where,
      List<EventLine> lifecycle,
      List<ReportLine> examples,
      List<String> statuses,
      @Nullable String error,
      String apiUrl) {}

  /** One kernel release with the buckets and reports seen on it. */
  public record ReleaseLine(String release, long buckets, long reports, String url) {}

  /** The list of releases, newest first. */
  public record ReleaseList(Page page, List<ReleaseLine> releases, String apiUrl) {}

  /**
   * One release's page: the buckets first seen on it and those that came back on it after a fix.
   */
  public record ReleasePage(
      Page page,
      String release,
      List<BucketLine> newIn,
      List<BucketLine> regressedIn,
      String bucketsUrl,
      String apiUrl) {}

  /**
   * The sign-in page.
   *
   * @param next where to go once signed in (a path of this server)
   * @param error why the last attempt failed, or null
   */
  public record Login(Page page, String next, @Nullable String error) {}

  /** A page saying why a request failed. */
  public record Failure(Page page, int status, String message) {}

  /** One flow of reports between buckets in a re-triage preview; urls null for "no crash". */
  public record FlowLine(
      String from,
      @Nullable String fromUrl,
      String to,
      @Nullable String toUrl,
      long reports,
      String exampleUrl) {}

  /** One bucket a re-triage changes, with the flows of reports in or out of it. */
  public record ChangeLine(
      String title, @Nullable String url, long reports, List<FlowLine> flows) {}

  /** One kind of change of a re-triage preview ({@code merged}, {@code split}, {@code new}, …). */
  public record ChangeGroup(String id, String heading, long count, List<ChangeLine> changes) {}

  /**
   * The re-triage page: what runs, and the preview of a staged generation with the forms that apply
   * or discard it.
   *
   * @param state a sentence on the current and staged generations
   * @param staged the staged generation's id, or null when none
   * @param complete whether the staged generation diagnosed every report (apply is possible)
   * @param summary the preview's totals, or null without a staged generation
   */
  public record RetriagePage(
      Page page,
      String state,
      @Nullable Long staged,
      boolean complete,
      boolean canWrite,
      @Nullable String summary,
      List<ChangeGroup> groups,
      String apiUrl) {}
}
