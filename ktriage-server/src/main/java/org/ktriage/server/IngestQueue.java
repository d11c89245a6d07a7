package org.ktriage.server;

import static org.ktriage.server.Store.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The durable ingest queue in the service's database (table {@code ingest_queue}, migration V30),
 * shared by every server node on that database. An accepted upload is one committed row before the
 * reply; a {@link Claim} takes a row with {@code SELECT … FOR UPDATE SKIP LOCKED} and holds its row
 * lock while the report is diagnosed, then stores the report and deletes the row in the same
 * transaction, so a report is stored once whichever node does it. A node killed mid-work loses its
 * database session; the database rolls its transaction back and the row is free again.
 */
final class IngestQueue {
  /** SQLState of a unique-key violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * How long the other nodes leave a new row to the node that accepted it (that node diagnoses it
   * at once to answer with its bucket): the longest an accepted report of a node that died waits.
   */
  static final Duration OWNER_GRACE = Duration.ofSeconds(10);

  private final DataSource ds;

  IngestQueue(DataSource ds) {
    this.ds = ds;
  }

  /**
   * An accepted upload waiting for its diagnosis.
   *
   * @param seenAt when the crash happened as the submitter says, or null (then when it arrived)
   */
  @SuppressWarnings("ArrayRecordComponent") // the posted bytes, stored once, never compared
  record Pending(
      String sha256,
      Instant receivedAt,
      @Nullable Instant seenAt,
      @Nullable String submitter,
      @Nullable String host,
      @Nullable String release,
      List<String> labels,
      byte[] raw) {
    Pending {
      labels = List.copyOf(labels);
    }
  }

  /** How long a refusal is kept for the requests waiting on the same bytes (see V32). */
  static final Duration REFUSAL_KEPT = Duration.ofHours(1);

  /** Why a queued upload was refused: the HTTP status and the one-line reason its client gets. */
  record Refusal(int status, String reason) {
    /** The refusal a failed diagnosis makes (see {@link IngestApi#refuses}). */
    static Refusal of(Exception e) {
      if (e instanceof ApiException a) {
        return new Refusal(a.status(), ServerMessages.oneLine(String.valueOf(a.getMessage())));
      }
      return new Refusal(500, "internal error: the diagnosis failed on this report");
    }
  }

  /**
   * Writes an upload to the queue and commits it.
   *
   * @return the row's id, or empty when an upload with the same content hash is already queued
   */
  OptionalLong enqueue(Pending p) throws SQLException {
    try {
      return OptionalLong.of(
          Transactions.inTransaction(
              ds,
              c -> {
                long id;
                try (PreparedStatement ps =
                    c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
                  bind(ps, p);
                  ps.executeUpdate();
                  try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                      throw new SQLException("no id returned for the queued upload " + p.sha256());
                    }
                    id = keys.getLong(1);
                  }
                }
                clearRefusals(c, List.of(p.sha256()));
                return id;
              }));
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return OptionalLong.empty();
      }
      throw e;
    }
  }

  /** Bytes queued again are decided again: an earlier refusal of them no longer answers. */
  private static void clearRefusals(Connection c, java.util.Collection<String> shas)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_refusal WHERE sha256 = ?")) {
      for (String sha : shas) {
        ps.setString(1, sha);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Records a refusal (and forgets those older than {@link #REFUSAL_KEPT}), on an open transaction.
   */
  private static void recordRefusal(Connection c, String sha256, Refusal r) throws SQLException {
    Instant now = Instant.now();
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM ingest_refusal WHERE sha256 = ? OR refused_at < ?")) {
      ps.setString(1, sha256);
      ps.setObject(2, utc(now.minus(REFUSAL_KEPT)));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ingest_refusal (sha256, refused_at, status, reason) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, sha256);
      ps.setObject(2, utc(now));
      ps.setInt(3, r.status());
      String reason = r.reason();
      ps.setString(4, reason.length() > 1000 ? reason.substring(0, 999) + "…" : reason);
      ps.executeUpdate();
    }
  }

  /** The refusal of these bytes since they were last queued, if they were refused. */
  Optional<Refusal> refusal(String sha256) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT status, reason FROM ingest_refusal WHERE sha256 = ?")) {
      ps.setString(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Refusal(rs.getInt(1), rs.getString(2)))
            : Optional.empty();
      }
    }
  }

  /**
   * Writes uploads to the queue in one transaction and commits it (see {@link GroupCommit}).
   *
   * @return each upload's row id in order, or empty for an upload whose content hash is already
   *     queued (or an earlier one of the same list)
   */
  List<OptionalLong> enqueueAll(List<Pending> uploads) throws SQLException {
    if (uploads.size() == 1) {
      return List.of(enqueue(uploads.get(0)));
    }
    java.util.Map<String, Pending> fresh = new java.util.LinkedHashMap<>();
    for (Pending p : uploads) {
      fresh.putIfAbsent(p.sha256(), p);
    }
    // a hash queued meanwhile (unique key) fails the transaction: the group commit retries one
    // upload at a time
    java.util.Map<String, Long> ids =
        Transactions.inTransaction(
            ds,
            c -> {
              try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Pending p : fresh.values()) {
                  bind(ps, p);
                  ps.addBatch();
                }
                ps.executeBatch();
              }
              clearRefusals(c, fresh.keySet());
              return Placements.idsByKey(
                  c,
                  "SELECT sha256, id FROM ingest_queue WHERE sha256 IN (",
                  new java.util.ArrayList<>(fresh.keySet()));
            });
    List<OptionalLong> out = new java.util.ArrayList<>();
    java.util.Set<String> given = new java.util.HashSet<>();
    for (Pending p : uploads) {
      Long id = ids.get(p.sha256());
      if (id == null) {
        throw new SQLException("queued upload " + p.sha256() + " vanished after insert");
      }
      out.add(given.add(p.sha256()) ? OptionalLong.of(id) : OptionalLong.empty());
    }
    return out;
  }

  /** An upload this node accepted and diagnosed, to store from its queue row. */
  record Completion(long queueId, Store.NewReport report) {}

  /**
   * Stores diagnosed uploads whose queue rows this node still finds and no other worker holds, and
   * deletes those rows, in one transaction (see {@link GroupCommit}). A row another node's worker
   * took (the upload outlived its {@linkplain #OWNER_GRACE grace}) is skipped: that worker stores
   * it; a row already gone was stored.
   *
   * @return each upload's stored report in order, or empty when it was not stored here
   */
  List<Optional<Store.Stored>> completeAll(Store store, List<Completion> done) throws SQLException {
    return Transactions.inTransaction(
        ds,
        c -> {
          java.util.Set<Long> held = new java.util.HashSet<>();
          Placements.selectByIds(
              c,
              "SELECT id FROM ingest_queue WHERE id IN (",
              ") FOR UPDATE SKIP LOCKED",
              done.stream().map(Completion::queueId).toList(),
              rs -> held.add(rs.getLong(1)));
          List<Store.NewReport> mine = new java.util.ArrayList<>();
          List<Long> rows = new java.util.ArrayList<>();
          for (Completion d : done) {
            if (held.contains(d.queueId()) && !rows.contains(d.queueId())) {
              mine.add(d.report());
              rows.add(d.queueId());
            }
          }
          // (insertAllAnd commits; with nothing held here the transaction only read)
          List<Store.Stored> stored =
              mine.isEmpty()
                  ? List.of()
                  : store.insertAllAnd(c, mine, conn -> deleteRows(conn, rows));
          List<Optional<Store.Stored>> out = new java.util.ArrayList<>();
          for (Completion d : done) {
            int i = rows.indexOf(d.queueId());
            out.add(i < 0 ? Optional.empty() : Optional.of(stored.get(i)));
          }
          return out;
        });
  }

  private static void deleteRows(Connection c, List<Long> ids) throws SQLException {
    for (int from = 0; from < ids.size(); from += Placements.IN_CHUNK) {
      List<Long> part = ids.subList(from, Math.min(ids.size(), from + Placements.IN_CHUNK));
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM ingest_queue WHERE id IN (" + Placements.marks(part.size()) + ")")) {
        for (int i = 0; i < part.size(); i++) {
          ps.setLong(1 + i, part.get(i));
        }
        if (ps.executeUpdate() != part.size()) {
          throw new SQLException("queued uploads vanished while held");
        }
      }
    }
  }

  /**
   * Removes the row of an upload its diagnosis refused (it is not stored) and records the refusal,
   * in one transaction. A row a worker holds is waited for (the delete takes its lock).
   *
   * @return false when the row was gone: a worker finished the upload meanwhile, its outcome stands
   */
  boolean refuse(long id, String sha256, Refusal why) throws SQLException {
    return Transactions.inTransaction(
        ds,
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_queue WHERE id = ?")) {
            ps.setLong(1, id);
            if (ps.executeUpdate() != 1) {
              return false;
            }
          }
          recordRefusal(c, sha256, why);
          return true;
        });
  }

  private static final String INSERT =
      "INSERT INTO ingest_queue (sha256, received_at, seen_at, submitter, host, kernel_release,"
          + " labels, raw, claimable_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static void bind(PreparedStatement ps, Pending p) throws SQLException {
    ps.setString(1, p.sha256());
    ps.setObject(2, utc(p.receivedAt()));
    ps.setObject(3, p.seenAt() == null ? null : utc(p.seenAt()));
    ps.setString(4, p.submitter());
    ps.setString(5, p.host());
    ps.setString(6, p.release());
    ps.setString(7, String.join("\n", p.labels()));
    ps.setBytes(8, p.raw());
    ps.setObject(9, utc(p.receivedAt().plus(OWNER_GRACE)));
  }

  /** Takes the queued row of this id, unless another worker holds it or it is gone. */
  Optional<Claim> claim(long id) throws SQLException {
    return claimWhere("id = ?", ps -> ps.setLong(1, id));
  }

  /** Takes the oldest row the other nodes may take now that no worker holds, if any. */
  Optional<Claim> claimNext(Instant now) throws SQLException {
    return claimWhere("claimable_at <= ?", ps -> ps.setObject(1, utc(now)));
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private Optional<Claim> claimWhere(String where, Binder binder) throws SQLException {
    Connection c = ds.getConnection();
    boolean kept = false;
    try {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, sha256, received_at, seen_at, submitter, host, kernel_release, labels,"
                  + " raw FROM ingest_queue WHERE "
                  + where
                  + " ORDER BY id FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED")) {
        binder.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          OffsetDateTime seen = rs.getObject(4, OffsetDateTime.class);
          String labels = rs.getString(8);
          Pending p =
              new Pending(
                  rs.getString(2),
                  rs.getObject(3, OffsetDateTime.class).toInstant(),
                  seen == null ? null : seen.toInstant(),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  labels.isEmpty() ? List.of() : Arrays.asList(labels.split("\n", -1)),
                  rs.getBytes(9));
          kept = true;
          return Optional.of(new Claim(c, rs.getLong(1), p));
        }
      }
    } finally {
      if (!kept) {
        rollbackAndClose(c);
      }
    }
  }

  /** Whether an upload with this content hash is queued (held by a worker or not). */
  boolean queued(String sha256) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ingest_queue WHERE sha256 = ?")) {
      ps.setString(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The number of queued uploads (held by a worker or not). */
  long depth() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ingest_queue");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void rollbackAndClose(Connection c) throws SQLException {
    try {
      if (!c.isClosed() && !c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } finally {
      c.close();
    }
  }

  /**
   * One queued upload held by this worker: its row stays locked (and invisible to the other
   * workers) until {@link #complete} or {@link #refuse} commits, or {@link #close} gives it back.
   */
  static final class Claim implements AutoCloseable {
    private final Connection c;
    private final long id;
    private final Pending pending;
    private boolean done;

    private Claim(Connection c, long id, Pending pending) {
      this.c = c;
      this.id = id;
      this.pending = pending;
    }

    Pending pending() {
      return pending;
    }

    /** Stores the diagnosed report and removes the row, in one transaction. */
    Store.Stored complete(Store store, Store.NewReport report) throws SQLException {
      Store.Stored s = store.insertAnd(c, report, this::delete);
      done = true;
      return s;
    }

    /**
     * Removes the row of an upload the service refuses (it is not stored) and records the refusal,
     * and commits.
     */
    void refuse(Refusal why) throws SQLException {
      delete(c);
      recordRefusal(c, pending.sha256(), why);
      c.commit();
      done = true;
    }

    private void delete(Connection conn) throws SQLException {
      try (PreparedStatement ps = conn.prepareStatement("DELETE FROM ingest_queue WHERE id = ?")) {
        ps.setLong(1, id);
        if (ps.executeUpdate() != 1) {
          throw new SQLException("queued upload " + id + " vanished while held");
        }
      }
    }

    /** Gives the row back (rolls back) unless completed or refused; frees the connection. */
    @Override
    public void close() throws SQLException {
      if (done) {
        c.close();
      } else {
        rollbackAndClose(c);
      }
    }
  }
}
