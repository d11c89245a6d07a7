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
      return findBySha(c, sha256);
    }
  }

  private static Optional<Stored> findBySha(Connection c, String sha256) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT r.id, d.bucket_id FROM report r LEFT JOIN diagnosis d ON d.report_id = r.id"
                + " AND d.generation = (SELECT current_generation FROM triage_state WHERE id = 1)"
                + " WHERE r.sha256 = ?")) {
      ps.setString(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long bucket = rs.getLong(2);
        return Optional.of(new Stored(rs.getLong(1), false, rs.wasNull() ? null : bucket));
      }
    }
  }

  /** Stores a report and counts it in its bucket, or returns the stored one with the same hash. */
  Stored insert(NewReport r) throws SQLException {
    synchronized (writeLock) {
      for (int attempt = 0; ; attempt++) {
        try (Connection c = ds.getConnection()) {
          c.setAutoCommit(false);
          try {
            Stored s = insert(c, r);
            c.commit();
            return s;
          } catch (SQLException e) {
            c.rollback();
            // another server instance on the same database won a race: read what it wrote
            if (UNIQUE_VIOLATION.equals(e.getSQLState()) && attempt < 2) {
              continue;
            }
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        }
      }
    }
  }

  /**
   * Stores many reports in one transaction, each as {@link #insert(NewReport)} would (a bulk load
   * of a store, e.g. the benchmark's million reports); a hash already stored is skipped.
   */
  List<Stored> insertAll(List<NewReport> reports) throws SQLException {
    synchronized (writeLock) {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try {
          List<Stored> out = new java.util.ArrayList<>();
          for (NewReport r : reports) {
            out.add(insert(c, r));
          }
          c.commit();
          return out;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      }
    }
  }

  /** One more step of a transaction that stores a report (see {@link #insertAnd}). */
  interface TransactionStep {
    void run(Connection c) throws SQLException;
  }

  /**
   * Stores a report (as {@link #insert(NewReport)} does) on a connection whose transaction is
   * already open, runs one more step in the same transaction, and commits. Locks the transaction
   * holds (a claimed queue row) stay held across a retry after another node's concurrent insert.
   */
  Stored insertAnd(Connection c, NewReport r, TransactionStep then) throws SQLException {
    synchronized (writeLock) {
      for (int attempt = 0; ; attempt++) {
        java.sql.Savepoint before = c.setSavepoint();
        try {
          Stored s = insert(c, r);
          then.run(c);
          c.commit();
          return s;
        } catch (SQLException e) {
          // another server node on the same database won a race (a new bucket's signature):
          // back to before this insert, keeping the transaction and its locks, and read theirs
          if (UNIQUE_VIOLATION.equals(e.getSQLState()) && attempt < 2) {
            c.rollback(before);
            continue;
          }
          throw e;
        }
      }
    }
  }

  private static Stored insert(Connection c, NewReport r) throws SQLException {
    Optional<Stored> existing = findBySha(c, r.sha256());
    if (existing.isPresent()) {
      return existing.get();
    }
    Diagnosed d = r.diagnosed();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO report (sha256, received_at, seen_at, submitter, host, kernel_release,"
                + " content_kind, raw_size, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.sha256());
      ps.setObject(2, utc(r.receivedAt()));
      ps.setObject(3, utc(r.seenAt()));
      ps.setString(4, r.submitter());
      ps.setString(5, r.host());
      ps.setString(6, r.release());
      ps.setString(7, d.contentKind());
      ps.setLong(8, r.raw().length);
      ps.setBytes(9, r.raw());
      ps.executeUpdate();
    }
    long id = reportId(c, r.sha256());
    for (String label : r.labels()) {
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO report_label (report_id, label) VALUES (?, ?)")) {
        ps.setLong(1, id);
        ps.setString(2, label);
        ps.executeUpdate();
      }
    }
    Facts facts = new Facts(id, r.seenAt(), r.host(), r.release(), r.labels());
    Generations g = generations(c);
    Long bucketId = place(c, g.current(), r.rulebookVersion(), d, facts, true);
    // a re-triage staged under the rule book this report was diagnosed with gets it too: it only
    // diagnoses the reports stored before it started
    if (g.staged() != null
        && g.stagedVersion() != null
        && g.stagedVersion().equals(r.rulebookVersion())) {
      place(c, g.staged(), r.rulebookVersion(), d, facts, false);
    }
    return new Stored(id, true, bucketId);
  }

  private static long reportId(Connection c, String sha256) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM report WHERE sha256 = ?")) {
      ps.setString(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("report " + sha256 + " vanished after insert");
        }
        return rs.getLong(1);
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

  /**
   * Writes a report's diagnosis in a generation and counts it in that generation's bucket of its
   * signature (created when new); returns the bucket, or null when the report shows no crash.
   *
   * @param lifecycle whether a fixed bucket seen again turns regressed (in the current generation;
   *     a staged one takes its buckets' lifecycle from the current one when applied)
   */
  static @Nullable Long place(
      Connection c, long generation, String version, Diagnosed d, Facts f, boolean lifecycle)
      throws SQLException {
    Long bucketId = null;
    if (d.crashFound() && d.signature() != null) {
      bucketId = bucketFor(c, generation, d.signature(), d, f.seenAt());
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO diagnosis (generation, report_id, rulebook_version, crash_found,"
                + " signature, title, failure_class, primary_function, primary_module, bucket_id,"
                + " diagnosis_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, generation);
      ps.setLong(2, f.reportId());
      ps.setString(3, version);
      ps.setBoolean(4, d.crashFound());
      ps.setString(5, bucketId == null ? null : d.signature());
      ps.setString(6, d.title());
      ps.setString(7, d.failureClass());
      ps.setString(8, boundedName(d.function()));
      ps.setString(9, boundedName(d.module()));
      if (bucketId == null) {
        ps.setNull(10, java.sql.Types.BIGINT);
      } else {
        ps.setLong(10, bucketId);
      }
      ps.setString(11, d.diagnosisJson());
      ps.executeUpdate();
    }
    if (bucketId != null) {
      count(c, bucketId, d, f);
      if (lifecycle) {
        regression(c, bucketId, f.reportId(), f.release());
      }
    }
    return bucketId;
  }

  /** The id of the bucket of a signature, created when new. */
  private static long bucketFor(
      Connection c, long generation, String signature, Diagnosed d, Instant seen)
      throws SQLException {
    Long id = bucketId(c, generation, signature);
    if (id != null) {
      return id;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO bucket (generation, signature, title, failure_class, first_seen,"
                + " last_seen, report_count, status, status_changed)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, 'new', ?)")) {
      ps.setLong(1, generation);
      ps.setString(2, signature);
      ps.setString(3, d.title() == null ? "(no title)" : d.title());
      ps.setString(4, d.failureClass());
      ps.setObject(5, utc(seen));
      ps.setObject(6, utc(seen));
      ps.setObject(7, utc(Instant.now()));
      ps.executeUpdate();
    }
    Long created = bucketId(c, generation, signature);
    if (created == null) {
      throw new SQLException("bucket " + signature + " vanished after insert");
    }
    return created;
  }

  private static @Nullable Long bucketId(Connection c, long generation, String signature)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM bucket WHERE generation = ? AND signature = ?")) {
      ps.setLong(1, generation);
      ps.setString(2, signature);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** Counts a new report in its bucket: totals, facets, title and class, example, regression. */
  private static void count(Connection c, long bucketId, Diagnosed d, Facts r) throws SQLException {
    long reportId = r.reportId();
    OffsetDateTime seen = utc(r.seenAt());
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bucket SET report_count = report_count + 1, first_seen = LEAST(first_seen, ?),"
                + " last_seen = GREATEST(last_seen, ?),"
                + " example_report = COALESCE(example_report, ?) WHERE id = ?")) {
      ps.setObject(1, seen);
      ps.setObject(2, seen);
      ps.setLong(3, reportId);
      ps.setLong(4, bucketId);
      ps.executeUpdate();
    }
    if (d.title() != null) {
      facet(c, bucketId, "title", d.title(), seen);
    }
    facet(c, bucketId, "class", d.failureClass(), seen);
    if (r.release() != null) {
      facet(c, bucketId, "release", r.release(), seen);
    }
    if (r.host() != null) {
      facet(c, bucketId, "host", r.host(), seen);
    }
    for (String label : r.labels()) {
      facet(c, bucketId, "label", label, seen);
    }
    // where the crash is, for search: the primary failure's function and module (bounded like
    // any other report text, see Params)
    String function = boundedName(d.function());
    if (function != null) {
      facet(c, bucketId, "function", function, seen);
    }
    String module = boundedName(d.module());
    if (module != null) {
      facet(c, bucketId, "module", module, seen);
    }
    facet(c, bucketId, "day", seen.toLocalDate().toString(), seen);
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE bucket SET title = ?, failure_class = ? WHERE id = ?")) {
      ps.setString(1, mostFrequent(StoreQueries.facets(c, bucketId, "title"), "(no title)"));
      ps.setString(2, mostFrequent(StoreQueries.facets(c, bucketId, "class"), "unknown"));
      ps.setLong(3, bucketId);
      ps.executeUpdate();
    }
  }

  /** A fixed bucket seen again on its fixed release or a later one is regressed. */
  private static void regression(
      Connection c, long bucketId, long reportId, @Nullable String release) throws SQLException {
    if (release == null) {
      return;
    }
    String status;
    String fixedIn;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT status, fixed_in FROM bucket WHERE id = ?")) {
      ps.setLong(1, bucketId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        status = rs.getString(1);
        fixedIn = rs.getString(2);
      }
    }
    if (!"fixed".equals(status) || fixedIn == null || !KernelRelease.atLeast(release, fixedIn)) {
      return;
    }
    Instant now = Instant.now();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bucket SET status = 'regressed', status_changed = ? WHERE id = ?")) {
      ps.setObject(1, utc(now));
      ps.setLong(2, bucketId);
      ps.executeUpdate();
    }
    addEvent(
        c,
        bucketId,
        now,
        "regressed",
        fixedIn,
        "seen again on " + release + ", fixed in " + fixedIn,
        null,
        "ingest",
        reportId);
  }

  private static void facet(
      Connection c, long bucketId, String facet, String value, OffsetDateTime seen)
      throws SQLException {
    int updated;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bucket_facet SET report_count = report_count + 1,"
                + " first_seen = LEAST(first_seen, ?), last_seen = GREATEST(last_seen, ?)"
                + " WHERE bucket_id = ? AND facet = ? AND facet_value = ?")) {
      ps.setObject(1, seen);
      ps.setObject(2, seen);
      ps.setLong(3, bucketId);
      ps.setString(4, facet);
      ps.setString(5, value);
      updated = ps.executeUpdate();
    }
    if (updated == 0) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO bucket_facet (bucket_id, facet, facet_value, report_count, first_seen,"
                  + " last_seen) VALUES (?, ?, ?, 1, ?, ?)")) {
        ps.setLong(1, bucketId);
        ps.setString(2, facet);
        ps.setString(3, value);
        ps.setObject(4, seen);
        ps.setObject(5, seen);
        ps.executeUpdate();
      }
    }
  }

  /** A symbol or module name of a report, or null when absent or not a plausible name. */
  private static @Nullable String boundedName(@Nullable String name) {
    if (name == null || name.isEmpty() || name.length() > 200) {
      return null;
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return null;
      }
    }
    return name;
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
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try {
          Optional<BucketRow> b = StoreQueries.bucket(c, bucketId);
          if (b.isEmpty()) {
            c.rollback();
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
          Optional<BucketRow> after = StoreQueries.bucket(c, bucketId);
          c.commit();
          return after;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      }
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
