package org.ktriage.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What applying a staged re-triage would change, from the flows of reports between the buckets of
 * the current generation and those of the staged one (one grouped join of the two generations'
 * diagnoses: as many rows as distinct pairs of buckets, not as reports):
 *
 * <ul>
 *   <li><b>merged</b>: a staged bucket that takes reports of two or more current buckets;
 *   <li><b>split</b>: a current bucket whose reports go to two or more staged buckets (or partly to
 *       no bucket: no longer a crash);
 *   <li><b>new</b>: a staged bucket whose signature no current bucket has;
 *   <li><b>gone</b>: a current bucket whose signature no staged bucket has.
 * </ul>
 *
 * A bucket can be both new and merged (several old buckets meet under a new title); lists are
 * capped, counts are not.
 */
final class RetriagePreview {
  /** Changes listed per kind at most (the counts cover all). */
  static final int LISTED = 100;

  /** A bucket as the preview names it; {@code id} null stands for "no bucket" (no crash). */
  record BucketRef(@Nullable Long id, @Nullable String signature, String title, long reports) {}

  /** Reports of one bucket that go to another, with the lowest report id as example. */
  record Flow(BucketRef from, BucketRef to, long reports, long exampleReport) {}

  /** One change: the bucket it is about and the flows in or out of it. */
  record Change(BucketRef bucket, List<Flow> flows) {}

  record Preview(
      long currentGeneration,
      long stagedGeneration,
      boolean complete,
      long reportsCompared,
      long reportsMoved,
      long bucketsBefore,
      long bucketsAfter,
      long unchanged,
      long mergedCount,
      long splitCount,
      long newCount,
      long goneCount,
      List<Change> merged,
      List<Change> split,
      List<Change> created,
      List<Change> gone) {}

  private static final BucketRef NONE = new BucketRef(null, null, "(no crash)", 0);

  private RetriagePreview() {}

  static Preview of(Connection c, long current, long staged, boolean complete) throws SQLException {
    Map<Long, BucketRef> before = buckets(c, current);
    Map<Long, BucketRef> after = buckets(c, staged);
    Flows flows = flows(c, current, staged, before, after);
    Map<BucketRef, List<Flow>> out = flows.out();
    Map<BucketRef, List<Flow>> in = flows.in();
    long compared = flows.compared();
    long moved = flows.moved();
    Map<String, BucketRef> beforeBySignature = bySignature(before);
    Map<String, BucketRef> afterBySignature = bySignature(after);
    List<Change> merged = new ArrayList<>();
    List<Change> split = new ArrayList<>();
    List<Change> created = new ArrayList<>();
    List<Change> gone = new ArrayList<>();
    long unchanged = 0;
    for (BucketRef b : after.values()) {
      List<Flow> fs = in.getOrDefault(b, List.of());
      long sources = fs.stream().filter(f -> f.from().id() != null).count();
      if (sources >= 2) {
        merged.add(change(b, fs));
      }
      if (!beforeBySignature.containsKey(Objects.requireNonNull(b.signature()))) {
        created.add(change(b, fs));
      }
    }
    for (BucketRef b : before.values()) {
      List<Flow> fs = out.getOrDefault(b, List.of());
      if (fs.size() >= 2) {
        split.add(change(b, fs));
      }
      if (!afterBySignature.containsKey(Objects.requireNonNull(b.signature()))) {
        gone.add(change(b, fs));
      } else if (fs.size() == 1
          && Objects.equals(fs.get(0).to().signature(), b.signature())
          && in.getOrDefault(fs.get(0).to(), List.of()).size() == 1) {
        unchanged++;
      }
    }
    return new Preview(
        current,
        staged,
        complete,
        compared,
        moved,
        before.size(),
        after.size(),
        unchanged,
        merged.size(),
        split.size(),
        created.size(),
        gone.size(),
        top(merged),
        top(split),
        top(created),
        top(gone));
  }

  /** Reports flowing between the two generations' buckets, by source and by destination. */
  private record Flows(
      Map<BucketRef, List<Flow>> out, Map<BucketRef, List<Flow>> in, long compared, long moved) {}

  /**
   * One row per (bucket before, bucket after) pair: how many reports went from one to the other.
   */
  private static Flows flows(
      Connection c,
      long current,
      long staged,
      Map<Long, BucketRef> before,
      Map<Long, BucketRef> after)
      throws SQLException {
    List<Flow> flows = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT o.bucket_id, n.bucket_id, COUNT(*), MIN(o.report_id) FROM diagnosis o"
                + " JOIN diagnosis n ON n.report_id = o.report_id AND n.generation = ?"
                + " WHERE o.generation = ? GROUP BY o.bucket_id, n.bucket_id")) {
      ps.setLong(1, staged);
      ps.setLong(2, current);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long o = rs.getLong(1);
          BucketRef from = rs.wasNull() ? NONE : before.getOrDefault(o, NONE);
          long n = rs.getLong(2);
          BucketRef to = rs.wasNull() ? NONE : after.getOrDefault(n, NONE);
          flows.add(new Flow(from, to, rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    Map<BucketRef, List<Flow>> out = new LinkedHashMap<>();
    Map<BucketRef, List<Flow>> in = new LinkedHashMap<>();
    long compared = 0;
    long moved = 0;
    for (Flow f : flows) {
      compared += f.reports();
      if (!Objects.equals(f.from().signature(), f.to().signature())) {
        moved += f.reports();
      }
      out.computeIfAbsent(f.from(), k -> new ArrayList<>()).add(f);
      in.computeIfAbsent(f.to(), k -> new ArrayList<>()).add(f);
    }
    return new Flows(out, in, compared, moved);
  }

  private static Change change(BucketRef b, List<Flow> flows) {
    List<Flow> sorted = new ArrayList<>(flows);
    sorted.sort(Comparator.comparingLong(Flow::reports).reversed());
    return new Change(b, List.copyOf(sorted.subList(0, Math.min(sorted.size(), LISTED))));
  }

  private static List<Change> top(List<Change> changes) {
    List<Change> sorted = new ArrayList<>(changes);
    sorted.sort(
        Comparator.comparingLong((Change ch) -> ch.bucket().reports())
            .reversed()
            .thenComparing(ch -> String.valueOf(ch.bucket().signature())));
    return List.copyOf(sorted.subList(0, Math.min(sorted.size(), LISTED)));
  }

  private static Map<Long, BucketRef> buckets(Connection c, long generation) throws SQLException {
    Map<Long, BucketRef> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, signature, title, report_count FROM bucket WHERE generation = ?")) {
      ps.setLong(1, generation);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          out.put(id, new BucketRef(id, rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
      }
    }
    return out;
  }

  private static Map<String, BucketRef> bySignature(Map<Long, BucketRef> buckets) {
    Map<String, BucketRef> out = new HashMap<>();
    for (BucketRef b : buckets.values()) {
      out.put(Objects.requireNonNull(b.signature()), b);
    }
    return out;
  }
}
