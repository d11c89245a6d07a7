package org.ktriage.render.html;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the buckets page template shows, already in display form (input text cleaned of
 * control bytes; the template escapes it): built from a {@link TriageRun} by {@link BucketsViews}.
 *
 * @param documentTitle the page title
 * @param headline the sentence at the top
 * @param facts counts under the headline
 * @param buckets one row per bucket, largest first
 * @param merges merge suggestions
 * @param unreadable inputs that could not be read
 * @param contentSecurityPolicy the page's policy (allows only the page's own inline script)
 * @param script the inline script (filter and sort), output verbatim
 * @param version the ktriage version
 */
public record BucketsView(
    String documentTitle,
    String headline,
    List<ReportView.Fact> facts,
    List<BucketRow> buckets,
    List<MergeView> merges,
    List<ReportView.Fact> unreadable,
    String contentSecurityPolicy,
    String script,
    String version) {

  /**
   * One bucket's row.
   *
   * @param rank position in the default order (0 = largest), for the script's stable sort
   * @param count how many inputs
   * @param title the bucket's title
   * @param failureClass the failure class id
   * @param signature the signature
   * @param anchor element id of the row
   * @param corrupted how many inputs were flagged corrupted
   * @param firstSeen first sighting as shown, or "-"
   * @param lastSeen last sighting as shown, or "-"
   * @param lastSeenKey last sighting as a fixed-width ISO instant (sortable as text), or "" when
   *     unknown
   * @param spark the sparkline, or null when no input carried a time
   * @param kernels kernel releases
   * @param hosts host names
   * @param examplePath the example input's path
   * @param exampleHref relative link to the example's report, or null when none was written
   * @param frames the example's normalized stack, top first
   */
  public record BucketRow(
      int rank,
      int count,
      String title,
      String failureClass,
      String signature,
      String anchor,
      int corrupted,
      String firstSeen,
      String lastSeen,
      String lastSeenKey,
      @Nullable Sparkline spark,
      List<String> kernels,
      List<String> hosts,
      String examplePath,
      @Nullable String exampleHref,
      List<String> frames) {}

  /**
   * A bar sparkline of sightings per day between first and last seen.
   *
   * @param width SVG width in px
   * @param height SVG height in px
   * @param bars SVG path data of all bars
   * @param label what the sparkline shows, in words
   */
  public record Sparkline(int width, int height, String bars, String label) {}

  /**
   * Two buckets that may be the same bug.
   *
   * @param a the first bucket's signature
   * @param aAnchor its row's element id
   * @param aTitle its title
   * @param b the second bucket's signature
   * @param bAnchor its row's element id
   * @param bTitle its title
   * @param similarity stack similarity as shown
   */
  public record MergeView(
      String a,
      String aAnchor,
      String aTitle,
      String b,
      String bAnchor,
      String bTitle,
      String similarity) {}
}
