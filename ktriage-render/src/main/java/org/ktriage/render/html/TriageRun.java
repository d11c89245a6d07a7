package org.ktriage.render.html;

import java.util.List;
import java.util.Map;
import org.ktriage.analysis.bucket.Bucket;
import org.ktriage.analysis.bucket.MergeSuggestion;
import org.ktriage.analysis.bucket.SeenSeries;
import org.ktriage.analysis.bucket.TriageResult;

/**
 * What the caller decided about one triage run, handed to {@link BucketsHtmlRenderer}: the buckets
 * in the caller's order, their sightings per day, where each bucket's example report was written.
 *
 * @param buckets the buckets, largest first (the page's order with scripts off)
 * @param seen sightings per day by bucket signature; a bucket without an entry has no time
 * @param exampleLinks relative link to each bucket's example report by signature; a bucket without
 *     an entry has no report
 * @param merges pairs of buckets that may be the same bug (shown, never applied)
 * @param unreadable inputs that could not be read, with their reasons
 * @param inputs how many inputs were triaged
 * @param crashes how many of them show a crash
 * @param withoutCrash how many were read and show no crash
 */
public record TriageRun(
    List<Bucket> buckets,
    Map<String, SeenSeries> seen,
    Map<String, String> exampleLinks,
    List<MergeSuggestion> merges,
    List<TriageResult> unreadable,
    int inputs,
    int crashes,
    int withoutCrash) {
  public TriageRun {
    buckets = List.copyOf(buckets);
    seen = Map.copyOf(seen);
    exampleLinks = Map.copyOf(exampleLinks);
    merges = List.copyOf(merges);
    unreadable = List.copyOf(unreadable);
  }
}
