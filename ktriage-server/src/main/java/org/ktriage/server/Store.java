package org.ktriage.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The service's storage, in SQL both H2 and PostgreSQL run: reports (immutable once written),
 * buckets with their per-facet counters, and each bucket's lifecycle events. Writes of one report
 * are one transaction; a report whose content hash is already stored is not written again.
 */
final class Store {
  /** SQLState of a unique-key violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource ds;
  private final Object writeLock = new Object();

  Store(DataSource ds) {
    this.ds = ds;
  }

  /**
   * The lock every write of buckets and diagnoses takes (ingest and re-triage), so that a report
   * stored while a re-triage runs is counted once in each generation.
   */
  Object writeLock() {
    return writeLock;
  }

  DataSource dataSource() {
    return ds;
  }

  /**
   * A report to store.
   *
   * @param sha256 hex SHA-256 of the bytes as uploaded
   * @param seenAt when the crash happened, as the submitter says, else when it arrived
   */
  @SuppressWarnings("ArrayRecordComponent") // the posted bytes, stored once, never compared
  record NewReport(
      String sha256,
      Instant receivedAt,
      Instant seenAt,
      @Nullable String submitter,
      @Nullable String host,
      @Nullable String release,
      List<String> labels,
      byte[] raw,
      Diagnosed diagnosed,
      String rulebookVersion) {
    NewReport {
      labels = List.copyOf(labels);
    }
  }

  /** Where a report landed: its id, whether this call created it, and its bucket. */
  record Stored(long id, boolean created, @Nullable Long bucketId) {}

  /** A stored report, without its raw bytes and diagnosis. */
  record ReportRow(
      long id,
      String sha256,
      Instant receivedAt,
      Instant seenAt,
      @Nullable String submitter,
      @Nullable String host,
      @Nullable String release,
      List<String> labels,
      String contentKind,
      long rawSize,
      boolean crashFound,
      @Nullable String signature,
      @Nullable String title,
      @Nullable String failureClass,
      @Nullable Long bucketId,
      String rulebookVersion) {}

  /** A bucket's summary. */
  record BucketRow(
      long id,
      String signature,
      String title,
      String failureClass,
      Instant firstSeen,
      Instant lastSeen,
      long count,
      @Nullable Long exampleReport,
      String status,
      @Nullable String fixedIn,
      Instant statusChanged) {}

  /** One counter of a bucket: reports per value of a facet. */
  record FacetCount(String value, long count, Instant firstSeen, Instant lastSeen) {}

  /** One lifecycle event of a bucket. */
  record Event(
      long id,
      Instant at,
      String status,
      @Nullable String fixedIn,
      @Nullable String note,
      @Nullable String link,
      @Nullable String actor,
      @Nullable Long reportId) {}

  /**
   * Filters and order of the bucket list; null filters do not filter.
   *
   * @param titleContains text searched (case-insensitively) in the title and in the functions,
   *     modules and hosts a bucket was seen with
   */
  record BucketQuery(
      @Nullable String failureClass,
      @Nullable String release,
      @Nullable String host,
      @Nullable String label,
      @Nullable String function,
      @Nullable String module,
      @Nullable String status,
      @Nullable Instant since,
      @Nullable Instant until,
      @Nullable String titleContains,
      String sort,
      boolean descending,
      int limit,
      int offset) {}

  /** The sortable columns of the bucket list, by API name. */
  static final Map<String, String> SORTS =
      Map.of(
          "count", "b.report_count",
          "firstSeen", "b.first_seen",
          "lastSeen", "b.last_seen",
          "title", "b.title",
          "class", "b.failure_class",
          "status", "b.status");

  // ------------------------------------------------------------------------------------- writes

  /** The report with this content hash, if stored. */
  Optional<Stored> findBySha(String sha256) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return ReportInserts.findBySha(c, sha256);
    }
  }

  /** Stores a report and counts it in its bucket, or returns the stored one with the same hash. */
  Stored insert(NewReport r) throws SQLException {
    return insertAll(List.of(r)).get(0);
  }

  /**
   * Stores reports in one transaction, each as {@link #insert(NewReport)} would (in a few
   * statements for the whole list, see {@link Placements}); a hash already stored is not stored
   * again. A transaction that loses a race with another node on the same database (the same new
   * bucket or report) is retried, reading what the other wrote.
   */
  List<Stored> insertAll(List<NewReport> reports) throws SQLException {
    synchronized (writeLock) {
      for (int attempt = 0; ; attempt++) {
        try {
          return Transactions.inTransaction(ds, c -> ReportInserts.insertAll(c, reports));
        } catch (SQLException e) {
          if (retryable(e) && attempt < 2) {
            continue;
          }
          throw e;
        }
      }
    }
  }

  /** A conflict another transaction caused (unique key, deadlock, serialization): try again. */
  static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return UNIQUE_VIOLATION.equals(state) || "40P01".equals(state) || "40001".equals(state);
  }

  /** One more step of a transaction that stores reports (see {@link #insertAnd}). */
  interface TransactionStep {
    void run(Connection c) throws SQLException;
  }

  /**
   * Stores a report (as {@link #insert(NewReport)} does) on a connection whose transaction is
   * already open, runs one more step in the same transaction, and commits. Locks the transaction
   * holds (a claimed queue row) stay held across a retry after another node's concurrent insert.
   */
  Stored insertAnd(Connection c, NewReport r, TransactionStep then) throws SQLException {
    return insertAllAnd(c, List.of(r), then).get(0);
  }

  /** {@link #insertAnd} for several reports in one transaction. */
  List<Stored> insertAllAnd(Connection c, List<NewReport> reports, TransactionStep then)
      throws SQLException {
    synchronized (writeLock) {
      for (int attempt = 0; ; attempt++) {
        java.sql.Savepoint before = c.setSavepoint();
        try {
          List<Stored> s = ReportInserts.insertAll(c, reports);
          then.run(c);
          c.commit();
          return s;
        } catch (SQLException e) {
          // another server node on the same database won a race (a new bucket's signature):
          // back to before this insert, keeping the transaction and its locks, and read theirs
          if (retryable(e) && attempt < 2) {
            c.rollback(before);
            continue;
          }
          throw e;
        }
      }
    }
  }

  /** What a report brings to its bucket's counters besides its diagnosis. */
  record Facts(
      long reportId,
      Instant seenAt,
      @Nullable String host,
      @Nullable String release,
      List<String> labels) {
    Facts {
      labels = List.copyOf(labels);
    }
  }

  /**
   * The current triage generation and the staged one (a re-triage running, interrupted or complete)
   * with its rule-book version, if any.
   */
  record Generations(long current, @Nullable Long staged, @Nullable String stagedVersion) {}

  static Generations generations(Connection c) throws SQLException {
    long current;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT current_generation FROM triage_state WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("triage_state has no row: the schema was not migrated");
      }
      current = rs.getLong(1);
    }
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, rulebook_version FROM triage_generation"
                    + " WHERE state IN ('staging', 'staged') ORDER BY id DESC");
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        return new Generations(current, rs.getLong(1), rs.getString(2));
      }
    }
    return new Generations(current, null, null);
  }

  /** The value with the highest count; ties go to the alphabetically first (as triage does). */
  static String mostFrequent(List<FacetCount> counts, String fallback) {
    String best = null;
    long bestCount = 0;
    for (FacetCount f : counts) {
      if (f.count() > bestCount
          || (f.count() == bestCount && best != null && f.value().compareTo(best) < 0)) {
        best = f.value();
        bestCount = f.count();
      }
    }
    return best == null ? fallback : best;
  }

  /** Changes a bucket's lifecycle status (or only adds a note when {@code status} is null). */
  Optional<BucketRow> changeLifecycle(
      long bucketId,
      @Nullable String status,
      @Nullable String fixedIn,
      @Nullable String note,
      @Nullable String link,
      @Nullable String actor)
      throws SQLException {
    synchronized (writeLock) {
      return Transactions.inTransaction(
          ds,
          c -> {
            Optional<BucketRow> b = StoreQueries.bucket(c, bucketId);
            if (b.isEmpty()) {
              return b;
            }
            Instant now = Instant.now();
            String newStatus = status == null ? b.get().status() : status;
            String newFixedIn =
                status == null ? b.get().fixedIn() : "fixed".equals(status) ? fixedIn : null;
            if (status != null) {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE bucket SET status = ?, fixed_in = ?, status_changed = ? WHERE id = ?")) {
                ps.setString(1, newStatus);
                ps.setString(2, newFixedIn);
                ps.setObject(3, utc(now));
                ps.setLong(4, bucketId);
                ps.executeUpdate();
              }
            }
            addEvent(c, bucketId, now, newStatus, newFixedIn, note, link, actor, null);
            return StoreQueries.bucket(c, bucketId);
          });
    }
  }

  private static void addEvent(
      Connection c,
      long bucketId,
      Instant at,
      String status,
      @Nullable String fixedIn,
      @Nullable String note,
      @Nullable String link,
      @Nullable String actor,
      @Nullable Long reportId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO bucket_event (bucket_id, at_time, status, fixed_in, note, link, actor,"
                + " report_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, bucketId);
      ps.setObject(2, utc(at));
      ps.setString(3, status);
      ps.setString(4, fixedIn);
      ps.setString(5, note);
      ps.setString(6, link);
      ps.setString(7, actor);
      if (reportId == null) {
        ps.setNull(8, java.sql.Types.BIGINT);
      } else {
        ps.setLong(8, reportId);
      }
      ps.executeUpdate();
    }
  }

  /** A time as the database columns take it ({@code TIMESTAMP WITH TIME ZONE}, in UTC). */
  static OffsetDateTime utc(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
