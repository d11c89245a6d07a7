package org.ktriage.render.html;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.bucket.Bucket;
import org.ktriage.analysis.bucket.MergeSuggestion;
import org.ktriage.analysis.bucket.SeenSeries;
import org.ktriage.analysis.bucket.TriageResult;
import org.ktriage.render.Printable;
import org.ktriage.render.html.BucketsView.BucketRow;
import org.ktriage.render.html.BucketsView.MergeView;
import org.ktriage.render.html.BucketsView.Sparkline;
import org.ktriage.render.html.ReportView.Fact;

/** Builds the {@link BucketsView} of a {@link TriageRun}: display text and sparkline geometry. */
final class BucketsViews {
  /** Sparkline height and widest width in px; each bin is {@link #BIN_WIDTH} px up to the limit. */
  private static final int SPARK_HEIGHT = 22;

  private static final int SPARK_MAX_WIDTH = 132;
  private static final int BIN_WIDTH = 6;
  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Fixed width, so the page's script can compare sighting times as strings. */
  private static final DateTimeFormatter SORTABLE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private BucketsViews() {}

  static BucketsView of(
      TriageRun run, String version, String contentSecurityPolicy, String script) {
    List<BucketRow> rows = new ArrayList<>();
    Map<String, String> titles = new HashMap<>();
    for (int i = 0; i < run.buckets().size(); i++) {
      Bucket b = run.buckets().get(i);
      titles.put(b.signature(), clean(b.title()));
      rows.add(row(i, b, run.seen().get(b.signature()), run.exampleLinks().get(b.signature())));
    }
    List<MergeView> merges = new ArrayList<>();
    for (MergeSuggestion m : run.merges()) {
      merges.add(
          new MergeView(
              clean(m.signatureA()),
              anchor(m.signatureA()),
              titles.getOrDefault(m.signatureA(), ""),
              clean(m.signatureB()),
              anchor(m.signatureB()),
              titles.getOrDefault(m.signatureB(), ""),
              String.format(Locale.ROOT, "%.2f", m.similarity())));
    }
    List<Fact> unreadable = new ArrayList<>();
    for (TriageResult r : run.unreadable()) {
      String error = r.error();
      unreadable.add(new Fact(clean(r.path()), clean(error == null ? "unreadable" : error)));
    }
    List<Fact> facts =
        List.of(
            new Fact("inputs", Integer.toString(run.inputs())),
            new Fact("crashes", Integer.toString(run.crashes())),
            new Fact("buckets", Integer.toString(run.buckets().size())),
            new Fact("without a crash", Integer.toString(run.withoutCrash())),
            new Fact("unreadable", Integer.toString(run.unreadable().size())));
    String headline =
        run.crashes()
            + (run.crashes() == 1 ? " crash" : " crashes")
            + " in "
            + run.buckets().size()
            + (run.buckets().size() == 1 ? " bucket" : " buckets")
            + " from "
            + run.inputs()
            + (run.inputs() == 1 ? " input" : " inputs");
    return new BucketsView(
        "ktriage triage: " + headline,
        headline,
        facts,
        rows,
        merges,
        unreadable,
        contentSecurityPolicy,
        script,
        clean(version));
  }

  private static BucketRow row(
      int rank, Bucket b, @Nullable SeenSeries seen, @Nullable String exampleHref) {
    Instant last = b.lastSeen();
    return new BucketRow(
        rank,
        b.count(),
        clean(b.title()),
        clean(b.failureClass()),
        clean(b.signature()),
        anchor(b.signature()),
        b.corrupted(),
        shown(b.firstSeen()),
        shown(last),
        last == null ? "" : SORTABLE.format(last),
        seen == null ? null : sparkline(seen),
        cleanAll(b.kernels()),
        cleanAll(b.hosts()),
        clean(b.examplePath()),
        exampleHref,
        cleanAll(b.frames()));
  }

  /** Bars of sightings per bin, scaled to the busiest bin; empty bins draw nothing. */
  static Sparkline sparkline(SeenSeries s) {
    List<Integer> counts = s.counts();
    int n = counts.size();
    double binWidth = Math.min(BIN_WIDTH, (double) SPARK_MAX_WIDTH / n);
    int width = (int) Math.ceil(binWidth * n);
    int peak = Math.max(1, s.peak());
    StringBuilder d = new StringBuilder();
    double gap = binWidth >= 3 ? 1 : 0;
    for (int i = 0; i < n; i++) {
      int c = counts.get(i);
      if (c == 0) {
        continue;
      }
      double h = Math.max(2, (double) c / peak * (SPARK_HEIGHT - 2));
      d.append(
          String.format(
              Locale.ROOT,
              "M%.2f %dv%.2fh%.2fv%.2fz",
              i * binWidth,
              SPARK_HEIGHT,
              -h,
              binWidth - gap,
              h));
    }
    int total = counts.stream().mapToInt(Integer::intValue).sum();
    String unit = s.daysPerBin() == 1 ? "day" : s.daysPerBin() + " days";
    String label =
        total
            + (total == 1 ? " sighting" : " sightings")
            + " from "
            + s.firstDay()
            + " to "
            + s.lastDay()
            + ", at most "
            + s.peak()
            + " per "
            + unit;
    return new Sparkline(width, SPARK_HEIGHT, d.toString(), label);
  }

  /** The element id of a bucket's row. */
  static String anchor(String signature) {
    return "b-" + signature.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  private static String shown(@Nullable Instant t) {
    return t == null ? "-" : SHOWN.format(t);
  }

  private static String clean(String s) {
    return Printable.clean(s);
  }

  private static List<String> cleanAll(List<String> values) {
    return values.stream().map(Printable::clean).toList();
  }
}
