package org.ktriage.server;

import static org.ktriage.server.Store.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ktriage.server.Store.NewReport;
import org.ktriage.server.Store.Stored;

/**
 * The write of a list of new reports on an open transaction (see {@link Store#insertAll}): the raw
 * rows and their labels in JDBC batches, then their diagnoses placed in the current generation and,
 * when a re-triage under the same rule book is staged, in that one too ({@link Placements}). A
 * content hash already stored is answered with the stored report.
 */
final class ReportInserts {
  private ReportInserts() {}

  static Optional<Stored> findBySha(Connection c, String sha256) throws SQLException {
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
        long id = rs.getLong(1);
        long bucket = rs.getLong(2);
        // wasNull speaks of the column read last: the bucket (a report without a crash has none)
        return Optional.of(new Stored(id, false, rs.wasNull() ? null : bucket));
      }
    }
  }

  /** Stores the reports not stored yet, in list order, on an open transaction. */
  static List<Stored> insertAll(Connection c, List<NewReport> reports) throws SQLException {
    Map<String, Stored> known = new HashMap<>();
    for (String sha : storedShas(c, reports)) {
      known.put(sha, findBySha(c, sha).orElseThrow());
    }
    List<NewReport> fresh = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>(known.keySet());
    for (NewReport r : reports) {
      if (seen.add(r.sha256())) {
        fresh.add(r);
      }
    }
    if (!fresh.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO report (sha256, received_at, seen_at, submitter, host, kernel_release,"
                  + " content_kind, raw_size, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (NewReport r : fresh) {
          ps.setString(1, r.sha256());
          ps.setObject(2, utc(r.receivedAt()));
          ps.setObject(3, utc(r.seenAt()));
          ps.setString(4, r.submitter());
          ps.setString(5, r.host());
          ps.setString(6, r.release());
          ps.setString(7, r.diagnosed().contentKind());
          ps.setLong(8, r.raw().length);
          ps.setBytes(9, r.raw());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      Map<String, Long> byHash = reportIds(c, fresh);
      List<Long> ids = new ArrayList<>();
      for (NewReport r : fresh) {
        Long id = byHash.get(r.sha256());
        if (id == null) {
          throw new SQLException("report " + r.sha256() + " vanished after insert");
        }
        ids.add(id);
      }
      insertLabels(c, fresh, ids);
      Store.Generations g = Store.generations(c);
      List<Placements.Placement> current = new ArrayList<>();
      List<Placements.Placement> staged = new ArrayList<>();
      for (int i = 0; i < fresh.size(); i++) {
        NewReport r = fresh.get(i);
        Placements.Placement p =
            new Placements.Placement(r.rulebookVersion(), r.diagnosed(), facts(ids.get(i), r));
        current.add(p);
        // a re-triage staged under the rule book this report was diagnosed with gets it too: it
        // only diagnoses the reports stored before it started
        if (g.staged() != null && r.rulebookVersion().equals(g.stagedVersion())) {
          staged.add(p);
        }
      }
      List<@Nullable Long> buckets = Placements.place(c, g.current(), current, true);
      if (g.staged() != null && !staged.isEmpty()) {
        Placements.place(c, g.staged(), staged, false);
      }
      for (int i = 0; i < fresh.size(); i++) {
        NewReport r = fresh.get(i);
        known.put(r.sha256(), new Stored(ids.get(i), true, buckets.get(i)));
      }
    }
    List<Stored> out = new ArrayList<>();
    java.util.Set<String> answered = new java.util.HashSet<>();
    for (NewReport r : reports) {
      Stored s = java.util.Objects.requireNonNull(known.get(r.sha256()));
      // the same bytes twice in one list: stored once, the second is not a new report
      out.add(answered.add(r.sha256()) ? s : new Stored(s.id(), false, s.bucketId()));
    }
    return out;
  }

  /** Each new report's labels, in one batch. */
  private static void insertLabels(Connection c, List<NewReport> fresh, List<Long> ids)
      throws SQLException {
    boolean labelled = false;
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO report_label (report_id, label) VALUES (?, ?)")) {
      for (int i = 0; i < fresh.size(); i++) {
        for (String label : fresh.get(i).labels()) {
          ps.setLong(1, ids.get(i));
          ps.setString(2, label);
          ps.addBatch();
          labelled = true;
        }
      }
      if (labelled) {
        ps.executeBatch();
      }
    }
  }

  /** The hashes of these reports that are stored already. */
  private static List<String> storedShas(Connection c, List<NewReport> reports)
      throws SQLException {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : reportIds(c, reports).entrySet()) {
      out.add(e.getKey());
    }
    return out;
  }

  /** The ids of the stored reports among these, by hash. */
  private static Map<String, Long> reportIds(Connection c, List<NewReport> reports)
      throws SQLException {
    List<String> shas =
        new ArrayList<>(
            new java.util.LinkedHashSet<>(reports.stream().map(NewReport::sha256).toList()));
    return Placements.idsByKey(c, "SELECT sha256, id FROM report WHERE sha256 IN (", shas);
  }

  /** What a report brings to its bucket's counters: see {@link Store.Facts}. */
  private static Store.Facts facts(long id, NewReport r) {
    return new Store.Facts(id, r.seenAt(), r.host(), r.release(), r.labels());
  }
}
