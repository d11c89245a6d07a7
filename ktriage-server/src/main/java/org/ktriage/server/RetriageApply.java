package org.ktriage.server;

import static org.ktriage.server.Retriage.generation;
import static org.ktriage.server.Store.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.ktriage.server.Retriage.Generation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a re-triage: makes a staged generation current in one transaction (its buckets keep
 * the lifecycle of the buckets of the same signature, then the pointer in {@code triage_state}
 * moves), then drops the retired generations beyond those kept.
 */
final class RetriageApply {
  private static final Logger LOG = LoggerFactory.getLogger(RetriageApply.class);

  private final Store store;
  private final DataSource ds;
  private final String version;
  private final int keepRetired;

  /**
   * @param keepRetired retired generations kept after an apply (see {@link #pruneRetired})
   */
  RetriageApply(Store store, String rulebookVersion, int keepRetired) {
    this.store = store;
    this.ds = store.dataSource();
    this.version = rulebookVersion;
    this.keepRetired = Math.max(0, keepRetired);
  }

  /**
   * Makes the staged generation current, in one transaction: its buckets take the lifecycle
   * (status, fixed-in release, events) of the current buckets of the same signature, then the
   * pointer moves. The old generation stays, retired, beside it.
   */
  Generation apply(long expected) throws SQLException {
    Generation applied = applyStaged(expected);
    try {
      pruneRetired();
    } catch (SQLException | RuntimeException e) {
      // the apply stands; what was not dropped now is dropped after the next one
      LOG.warn(
          "dropping retired generations after applying {}: {}",
          expected,
          ServerMessages.oneLine(String.valueOf(e.getMessage())));
    }
    return applied;
  }

  /**
   * Drops the retired generations beyond the newest {@code keepRetired} (each with its diagnoses,
   * buckets, counters and the events of its buckets), one generation a transaction: a generation is
   * there whole or gone. The current and a staged generation are never touched.
   *
   * @return the generations dropped
   */
  List<Long> pruneRetired() throws SQLException {
    List<Long> old = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id FROM triage_generation WHERE state = 'retired' ORDER BY id DESC");
        ResultSet rs = ps.executeQuery()) {
      for (int n = 0; rs.next(); n++) {
        if (n >= keepRetired) {
          old.add(rs.getLong(1));
        }
      }
    }
    for (long g : old) {
      synchronized (store.writeLock()) {
        Transactions.run(
            ds,
            c -> {
              Optional<Generation> found = generation(c, g);
              if (found.isPresent() && "retired".equals(found.get().state())) {
                dropGeneration(c, g);
              }
            });
      }
      LOG.info("dropped retired triage generation {}", g);
    }
    return old;
  }

  /** Deletes a generation and everything written in it, on an open transaction. */
  static void dropGeneration(Connection c, long generation) throws SQLException {
    String ofGeneration = " IN (SELECT id FROM bucket WHERE generation = ?)";
    for (String sql :
        new String[] {
          "DELETE FROM diagnosis WHERE generation = ?",
          "DELETE FROM bucket_facet WHERE bucket_id" + ofGeneration,
          "DELETE FROM bucket_event WHERE bucket_id" + ofGeneration,
          "DELETE FROM bucket WHERE generation = ?",
          "DELETE FROM triage_generation WHERE id = ?"
        }) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, generation);
        ps.executeUpdate();
      }
    }
  }

  private Generation applyStaged(long expected) throws SQLException {
    synchronized (store.writeLock()) {
      return Transactions.inTransaction(
          ds,
          c -> {
            Store.Generations gs = Store.generations(c);
            Generation g = applicable(c, gs, expected);
            long old = gs.current();
            carryLifecycle(c, old, g.id());
            movePointer(c, old, g.id());
            return generation(c, g.id()).orElseThrow();
          });
    }
  }

  /** The staged generation {@code expected}, if it is whole and made under this rule book. */
  private Generation applicable(Connection c, Store.Generations gs, long expected)
      throws SQLException {
    Generation g = gs.staged() == null ? null : generation(c, gs.staged()).orElse(null);
    if (g == null || g.id() != expected) {
      throw new ApiException(409, "no re-triage " + expected + " is staged");
    }
    if (!"staged".equals(g.state())) {
      throw new ApiException(409, "re-triage " + expected + " has not diagnosed every report yet");
    }
    if (!g.rulebookVersion().equals(version)) {
      // reports stored since this server started went into the current generation only
      throw new ApiException(
          409,
          "re-triage "
              + expected
              + " was made under "
              + g.rulebookVersion()
              + ", this server runs "
              + version
              + ": discard it and start again");
    }
    return g;
  }

  /**
   * Gives the buckets of generation {@code to} the lifecycle (status, fixed-in release, events) of
   * the buckets of the same signature in {@code from}.
   */
  private static void carryLifecycle(Connection c, long from, long to) throws SQLException {
    String sameSignature =
        "SELECT o.%s FROM bucket o WHERE o.generation = ? AND o.signature = bucket.signature";
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bucket SET status = ("
                + sameSignature.formatted("status")
                + "), fixed_in = ("
                + sameSignature.formatted("fixed_in")
                + "), status_changed = ("
                + sameSignature.formatted("status_changed")
                + ") WHERE generation = ? AND EXISTS (SELECT 1 FROM bucket o"
                + " WHERE o.generation = ? AND o.signature = bucket.signature)")) {
      ps.setLong(1, from);
      ps.setLong(2, from);
      ps.setLong(3, from);
      ps.setLong(4, to);
      ps.setLong(5, from);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bucket_event SET bucket_id = (SELECT n.id FROM bucket n JOIN bucket o"
                + " ON o.signature = n.signature WHERE o.id = bucket_event.bucket_id"
                + " AND n.generation = ?) WHERE bucket_id IN (SELECT o.id FROM bucket o"
                + " JOIN bucket n ON n.signature = o.signature AND n.generation = ?"
                + " WHERE o.generation = ?)")) {
      ps.setLong(1, to);
      ps.setLong(2, to);
      ps.setLong(3, from);
      ps.executeUpdate();
    }
  }

  /** Retires generation {@code from} and makes {@code to} the current one. */
  private static void movePointer(Connection c, long from, long to) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE triage_generation SET state = 'retired' WHERE id = ?")) {
      ps.setLong(1, from);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE triage_generation SET state = 'current', applied_at = ? WHERE id = ?")) {
      ps.setObject(1, utc(Instant.now()));
      ps.setLong(2, to);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE triage_state SET current_generation = ? WHERE id = 1")) {
      ps.setLong(1, to);
      ps.executeUpdate();
    }
  }
}
