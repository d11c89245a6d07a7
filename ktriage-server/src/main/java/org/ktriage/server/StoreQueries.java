package org.ktriage.server;

import static org.ktriage.server.Store.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.ktriage.server.Store.BucketQuery;
import org.ktriage.server.Store.BucketRow;
import org.ktriage.server.Store.Event;
import org.ktriage.server.Store.FacetCount;
import org.ktriage.server.Store.ReportRow;

/**
 * The reads of the service's storage (see {@link Store} for the writes): the bucket list and its
 * filters, one bucket with its counters and lifecycle, reports with their raw bytes and diagnosis.
 */
final class StoreQueries {
  private final DataSource ds;

  StoreQueries(DataSource ds) {
    this.ds = ds;
  }

  /** Buckets matching a query, in its order. */
  List<BucketRow> buckets(BucketQuery q) throws SQLException {
    StringBuilder sql =
        new StringBuilder(BUCKET_COLUMNS).append(" FROM bucket b WHERE b.generation = " + CURRENT);
    List<Object> args = new ArrayList<>();
    if (q.failureClass() != null) {
      sql.append(" AND b.failure_class = ?");
      args.add(q.failureClass());
    }
    if (q.status() != null) {
      sql.append(" AND b.status = ?");
      args.add(q.status());
    }
    for (String[] f :
        new String[][] {
          {"release", q.release()},
          {"host", q.host()},
          {"label", q.label()},
          {"function", q.function()},
          {"module", q.module()}
        }) {
      if (f[1] != null) {
        sql.append(
            " AND EXISTS (SELECT 1 FROM bucket_facet f WHERE f.bucket_id = b.id"
                + " AND f.facet = ? AND f.facet_value = ?)");
        args.add(f[0]);
        args.add(f[1]);
      }
    }
    if (q.since() != null) {
      sql.append(" AND b.last_seen >= ?");
      args.add(utc(q.since()));
    }
    if (q.until() != null) {
      sql.append(" AND b.first_seen < ?");
      args.add(utc(q.until()));
    }
    if (q.titleContains() != null) {
      String like = "%" + likeEscape(q.titleContains().toLowerCase(Locale.ROOT)) + "%";
      sql.append(
          " AND (LOWER(b.title) LIKE ? ESCAPE '!' OR EXISTS (SELECT 1 FROM bucket_facet f"
              + " WHERE f.bucket_id = b.id AND f.facet IN ('function', 'module', 'host')"
              + " AND LOWER(f.facet_value) LIKE ? ESCAPE '!'))");
      args.add(like);
      args.add(like);
    }
    String column = Store.SORTS.get(q.sort());
    if (column == null) {
      throw new IllegalArgumentException("unknown sort " + q.sort());
    }
    String dir = q.descending() ? " DESC" : " ASC";
    sql.append(" ORDER BY ").append(column).append(dir).append(", b.id").append(dir);
    sql.append(" LIMIT ? OFFSET ?");
    args.add(q.limit());
    args.add(q.offset());
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<BucketRow> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(bucketRow(rs));
        }
      }
      return out;
    }
  }

  /** The current triage generation, as a scalar subquery (read once per statement). */
  static final String CURRENT = "(SELECT current_generation FROM triage_state WHERE id = 1)";

  private static String likeEscape(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static final String BUCKET_COLUMNS =
      "SELECT b.id, b.signature, b.title, b.failure_class, b.first_seen, b.last_seen,"
          + " b.report_count, b.example_report, b.status, b.fixed_in, b.status_changed";

  private static BucketRow bucketRow(ResultSet rs) throws SQLException {
    long example = rs.getLong(8);
    Long exampleId = rs.wasNull() ? null : example;
    return new BucketRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        instant(rs, 5),
        instant(rs, 6),
        rs.getLong(7),
        exampleId,
        rs.getString(9),
        rs.getString(10),
        instant(rs, 11));
  }

  /** One bucket. */
  Optional<BucketRow> bucket(long id) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return bucket(c, id);
    }
  }

  static Optional<BucketRow> bucket(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(BUCKET_COLUMNS + " FROM bucket b WHERE b.id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(bucketRow(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Values a bucket page lists per facet at most, largest first: a bucket of a fleet can be seen on
   * tens of thousands of hosts. The days of the trend are all listed (one per day seen).
   */
  static final int FACET_LIMIT = 200;

  /** The facets a bucket page shows (API and dashboard). */
  static final List<String> PAGE_FACETS =
      List.of("title", "release", "host", "label", "function", "module", "day");

  /** A bucket's counters of one facet, largest first (at most {@link #FACET_LIMIT} but days). */
  List<FacetCount> facets(long bucketId, String facet) throws SQLException {
    return facets(bucketId, List.of(facet)).getOrDefault(facet, List.of());
  }

  /**
   * A bucket's counters of several facets, each largest first (at most {@link #FACET_LIMIT} values
   * but days), in one statement: a bucket page reads seven facets, and on a loaded machine each
   * round trip to the database waits for a core, however short its query.
   */
  Map<String, List<FacetCount>> facets(long bucketId, List<String> facets) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return facets(c, bucketId, facets);
    }
  }

  static List<FacetCount> facets(Connection c, long bucketId, String facet) throws SQLException {
    return facets(c, bucketId, List.of(facet)).getOrDefault(facet, List.of());
  }

  private static Map<String, List<FacetCount>> facets(
      Connection c, long bucketId, List<String> facets) throws SQLException {
    Map<String, List<FacetCount>> out = new LinkedHashMap<>();
    if (facets.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps = c.prepareStatement(facetsSql(c, facets.size()))) {
      int p = 1;
      for (String facet : facets) {
        ps.setLong(p++, bucketId);
        ps.setString(p++, facet);
        ps.setInt(p++, facet.equals("day") ? Integer.MAX_VALUE : FACET_LIMIT);
        out.put(facet, new ArrayList<>());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new FacetCount(rs.getString(2), rs.getLong(3), instant(rs, 4), instant(rs, 5)));
        }
      }
      return out;
    }
  }

  /**
   * The statement of {@link #facets(Connection, long, List)} for {@code n} facets: each branch
   * reads its facet's largest values through {@code bucket_facet_largest_values} (V31), which holds
   * them in this order, and stops at its limit; the outer ORDER BY says the order UNION ALL does
   * not promise. Each branch's ORDER BY names the index's leading columns too (fixed by its WHERE):
   * H2 takes an index's order for a query's only when the ORDER BY starts at the index's first
   * column.
   */
  static String facetsSql(Connection c, int n) throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT facet, facet_value, report_count, first_seen, last_seen FROM (");
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "" : " UNION ALL ")
          .append("(SELECT facet, facet_value, report_count, first_seen, last_seen")
          .append(" FROM bucket_facet")
          .append(useIndex(c, "bucket_facet_largest_values"))
          .append(" WHERE bucket_id = ? AND facet = ?")
          .append(" ORDER BY bucket_id, facet, report_count DESC, facet_value LIMIT ?)");
    }
    return sql.append(") u ORDER BY facet, report_count DESC, facet_value").toString();
  }

  /**
   * The first reports of a bucket by id, read from the index {@code diagnosis_bucket} alone (its
   * rows in id order, as many as asked): parameters bucket id and limit.
   */
  static String bucketReportIdsSql(Connection c) throws SQLException {
    return "SELECT report_id FROM diagnosis"
        + useIndex(c, "diagnosis_bucket")
        + " WHERE bucket_id = ? ORDER BY bucket_id, report_id LIMIT ?";
  }

  /**
   * On H2, a hint that restricts a table's read to one index; nothing on other databases. H2's
   * planner (2.3) costs an index by the columns its WHERE fixes, without statistics of the bucket's
   * size, so it ties the index a bucket page needs with a shorter one that fixes as many columns —
   * the index H2 makes of its own for each foreign key ({@code diagnosis.bucket_id}, {@code
   * bucket_facet.bucket_id}) or the primary key — and takes that one: then it reads every diagnosis
   * (with its JSON) or every host of the bucket and sorts them, and in a join it started from a
   * scan of every report with its raw bytes (358 ms a page at 20 000 reports, 2026-12-07). The
   * hinted index serves the WHERE and the ORDER BY, so the read stops at the limit. PostgreSQL
   * plans from statistics and has no such syntax.
   */
  static String useIndex(Connection c, String index) throws SQLException {
    return "H2".equals(c.getMetaData().getDatabaseProductName())
        ? " USE INDEX (" + index + ")"
        : "";
  }

  /** A bucket's lifecycle events, oldest first. */
  List<Event> events(long bucketId) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, at_time, status, fixed_in, note, link, actor, report_id"
                    + " FROM bucket_event WHERE bucket_id = ? ORDER BY id")) {
      ps.setLong(1, bucketId);
      List<Event> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long report = rs.getLong(8);
          Long reportId = rs.wasNull() ? null : report;
          out.add(
              new Event(
                  rs.getLong(1),
                  instant(rs, 2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  reportId));
        }
      }
      return out;
    }
  }

  /** A report with its diagnosis in the current generation. */
  private static final String REPORT_COLUMNS =
      "SELECT r.id, r.sha256, r.received_at, r.seen_at, r.submitter, r.host, r.kernel_release,"
          + " r.content_kind, r.raw_size, d.crash_found, d.signature, d.title, d.failure_class,"
          + " d.bucket_id, d.rulebook_version FROM report r JOIN diagnosis d"
          + " ON d.report_id = r.id AND d.generation = "
          + CURRENT;

  /** One report's metadata. */
  Optional<ReportRow> report(long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(REPORT_COLUMNS + " WHERE r.id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(reportRow(c, rs)) : Optional.empty();
      }
    }
  }

  /**
   * A bucket's reports, oldest first, with their labels: the ids from the bucket's index ({@link
   * #bucketReportIdsSql}), then those reports with their current diagnosis, then their labels (one
   * statement each). A bucket outside the current generation lists none.
   */
  List<ReportRow> bucketReports(long bucketId, int limit) throws SQLException {
    try (Connection c = ds.getConnection()) {
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(bucketReportIdsSql(c))) {
        ps.setLong(1, bucketId);
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      List<ReportRow> unlabelled = new ArrayList<>();
      Placements.selectByIds(
          c,
          REPORT_COLUMNS + " WHERE r.id IN (",
          ") ORDER BY r.id",
          ids,
          rs -> {
            ReportRow r = ReportRows.of(rs, List.of());
            Long bucket = r.bucketId();
            if (bucket != null && bucket == bucketId) {
              unlabelled.add(r);
            }
          });
      Map<Long, List<String>> labels = new HashMap<>();
      Placements.selectByIds(
          c,
          "SELECT report_id, label FROM report_label WHERE report_id IN (",
          ") ORDER BY report_id, label",
          unlabelled.stream().map(ReportRow::id).toList(),
          rs -> labels.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2)));
      List<ReportRow> out = new ArrayList<>();
      for (ReportRow r : unlabelled) {
        out.add(ReportRows.withLabels(r, labels.getOrDefault(r.id(), List.of())));
      }
      return out;
    }
  }

  private static ReportRow reportRow(Connection c, ResultSet rs) throws SQLException {
    return ReportRows.of(rs, ReportRows.labels(c, rs.getLong(1)));
  }

  /** A report's raw bytes as uploaded. */
  Optional<byte[]> raw(long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT raw FROM report WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    }
  }

  /** A report's diagnosis JSON. */
  Optional<String> diagnosisJson(long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT diagnosis_json FROM diagnosis WHERE report_id = ? AND generation = "
                    + CURRENT)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Counts for the health and metrics endpoints: reports and buckets stored. */
  Map<String, Long> totals() throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = ds.getConnection()) {
      for (String[] table :
          new String[][] {
            {"reports", "SELECT COUNT(*) FROM report"},
            {"buckets", "SELECT COUNT(*) FROM bucket WHERE generation = " + CURRENT}
          }) {
        try (PreparedStatement ps = c.prepareStatement(table[1]);
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          out.put(table[0], rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** A kernel release with the number of buckets and reports seen on it. */
  record ReleaseCount(String release, long buckets, long reports) {}

  /** Every kernel release reports were seen on, newest first (see {@link KernelRelease}). */
  List<ReleaseCount> releases() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT f.facet_value, COUNT(*), SUM(f.report_count) FROM bucket_facet f"
                    + " JOIN bucket b ON b.id = f.bucket_id WHERE f.facet = 'release'"
                    + " AND b.generation = "
                    + CURRENT
                    + " GROUP BY f.facet_value")) {
      List<ReleaseCount> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ReleaseCount(rs.getString(1), rs.getLong(2), rs.getLong(3)));
        }
      }
      out.sort(
          java.util.Comparator.comparing(ReleaseCount::release, KernelRelease.ORDER).reversed());
      return out;
    }
  }

  /**
   * The buckets new on a release: seen on it and on no older release (in {@link KernelRelease}
   * order; reports without a release do not count), most reports first.
   */
  List<BucketRow> newIn(String release) throws SQLException {
    Map<Long, Boolean> olderSeen = new LinkedHashMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT f.bucket_id, f.facet_value FROM bucket_facet f WHERE f.facet = 'release'"
                    + " AND f.bucket_id IN (SELECT g.bucket_id FROM bucket_facet g"
                    + " JOIN bucket b ON b.id = g.bucket_id WHERE g.facet = 'release'"
                    + " AND g.facet_value = ? AND b.generation = "
                    + CURRENT
                    + ")")) {
      ps.setString(1, release);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean older = KernelRelease.compare(rs.getString(2), release) < 0;
          olderSeen.merge(rs.getLong(1), older, Boolean::logicalOr);
        }
      }
    }
    List<Long> ids = new ArrayList<>();
    olderSeen.forEach(
        (id, older) -> {
          if (!older) {
            ids.add(id);
          }
        });
    return bucketsById(ids);
  }

  /**
   * The buckets regressed on a release: marked fixed, then seen again on this release, at or after
   * the release with the fix (the {@code regressed} events ingest records), most reports first.
   */
  List<BucketRow> regressedIn(String release) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT e.bucket_id FROM bucket_event e JOIN report r ON r.id = e.report_id"
                    + " JOIN bucket b ON b.id = e.bucket_id WHERE e.status = 'regressed'"
                    + " AND r.kernel_release = ? AND b.generation = "
                    + CURRENT)) {
      ps.setString(1, release);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return bucketsById(ids);
  }

  private List<BucketRow> bucketsById(List<Long> ids) throws SQLException {
    List<BucketRow> out = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      for (long id : ids) {
        bucket(c, id).ifPresent(out::add);
      }
    }
    out.sort(
        java.util.Comparator.comparingLong(BucketRow::count)
            .reversed()
            .thenComparingLong(BucketRow::id));
    return out;
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    if (t == null) {
      throw new SQLException("unexpected NULL time in column " + column);
    }
    return t.toInstant();
  }
}
