package org.ktriage.server;

import static org.ktriage.server.Store.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes a batch of diagnoses into one triage generation and counts them in their buckets, in a
 * fixed number of statements whatever the batch size (JDBC batches and {@code IN} lists): the
 * buckets of the batch's signatures (created when new), one diagnosis row per report, each touched
 * bucket's and counter's sums once, the title and class each touched bucket shows, and the
 * regressions its reports reveal. The result is the same as placing the reports one after another
 * (see {@code StoreBatchTest}); ingest, the queue workers, re-triage and the benchmark's fill all
 * write through here, so a batch costs a few round trips and one commit instead of about twenty
 * statements a report.
 */
final class Placements {
  /** Values bound in one {@code IN} list. */
  static final int IN_CHUNK = 500;

  private Placements() {}

  /**
   * One report's diagnosis to write.
   *
   * @param version the rule-book version the diagnosis was made with
   */
  record Placement(String version, Diagnosed diagnosed, Store.Facts facts) {}

  /** The sums a batch adds to one bucket or one counter of a bucket. */
  private static final class Sum {
    long count;
    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
    long firstReport = -1;

    void add(long reportId, Instant seen) {
      count++;
      if (seen.isBefore(first)) {
        first = seen;
      }
      if (seen.isAfter(last)) {
        last = seen;
      }
      if (firstReport < 0) {
        firstReport = reportId;
      }
    }
  }

  /** One counter: a facet value of a bucket (see {@code V1__reports_buckets}). */
  private record Counter(long bucket, String facet, String value) implements Comparable<Counter> {
    @Override
    public int compareTo(Counter o) {
      int c = Long.compare(bucket, o.bucket);
      if (c == 0) {
        c = facet.compareTo(o.facet);
      }
      return c != 0 ? c : value.compareTo(o.value);
    }
  }

  /**
   * Writes the diagnoses of a batch in a generation and counts each report that shows a crash in
   * that generation's bucket of its signature.
   *
   * @param lifecycle whether a fixed bucket seen again turns regressed (in the current generation;
   *     a staged one takes its buckets' lifecycle from the current one when applied)
   * @return each report's bucket, in batch order; null for a report that shows no crash
   */
  static List<@Nullable Long> place(
      Connection c, long generation, List<Placement> batch, boolean lifecycle) throws SQLException {
    Map<String, Placement> firstOfSignature = new LinkedHashMap<>();
    for (Placement p : batch) {
      if (p.diagnosed().crashFound() && p.diagnosed().signature() != null) {
        firstOfSignature.putIfAbsent(p.diagnosed().signature(), p);
      }
    }
    Map<String, Long> buckets = buckets(c, generation, firstOfSignature);
    List<@Nullable Long> placed = new ArrayList<>(batch.size());
    for (Placement p : batch) {
      Diagnosed d = p.diagnosed();
      placed.add(d.crashFound() && d.signature() != null ? buckets.get(d.signature()) : null);
    }
    insertDiagnoses(c, generation, batch, placed);
    Map<Long, Sum> bucketSums = new TreeMap<>();
    Map<Counter, Sum> counterSums = new TreeMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Long bucket = placed.get(i);
      if (bucket != null) {
        count(bucket, batch.get(i), bucketSums, counterSums);
      }
    }
    if (bucketSums.isEmpty()) {
      return placed;
    }
    addToBuckets(c, bucketSums);
    addToCounters(c, counterSums);
    showMostFrequent(c, bucketSums.keySet());
    if (lifecycle) {
      regressions(c, batch, placed);
    }
    return placed;
  }

  /** The ids of the generation's buckets of these signatures, creating the missing ones. */
  private static Map<String, Long> buckets(
      Connection c, long generation, Map<String, Placement> firstOfSignature) throws SQLException {
    Map<String, Long> ids = bucketIds(c, generation, firstOfSignature.keySet());
    List<Map.Entry<String, Placement>> missing = new ArrayList<>();
    for (Map.Entry<String, Placement> e : firstOfSignature.entrySet()) {
      if (!ids.containsKey(e.getKey())) {
        missing.add(e);
      }
    }
    if (missing.isEmpty()) {
      return ids;
    }
    Instant now = Instant.now();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO bucket (generation, signature, title, failure_class, first_seen,"
                + " last_seen, report_count, status, status_changed)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, 'new', ?)")) {
      for (Map.Entry<String, Placement> e : missing) {
        Diagnosed d = e.getValue().diagnosed();
        Instant seen = e.getValue().facts().seenAt();
        ps.setLong(1, generation);
        ps.setString(2, e.getKey());
        ps.setString(3, d.title() == null ? "(no title)" : d.title());
        ps.setString(4, d.failureClass());
        ps.setObject(5, utc(seen));
        ps.setObject(6, utc(seen));
        ps.setObject(7, utc(now));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    List<String> created = new ArrayList<>();
    for (Map.Entry<String, Placement> e : missing) {
      created.add(e.getKey());
    }
    Map<String, Long> createdIds = bucketIds(c, generation, created);
    for (String signature : created) {
      if (!createdIds.containsKey(signature)) {
        throw new SQLException("bucket " + signature + " vanished after insert");
      }
    }
    Map<String, Long> all = new HashMap<>(ids);
    all.putAll(createdIds);
    return all;
  }

  private static Map<String, Long> bucketIds(
      Connection c, long generation, Collection<String> signatures) throws SQLException {
    return idsByKey(
        c,
        "SELECT signature, id FROM bucket WHERE generation = ? AND signature IN (",
        new ArrayList<>(signatures),
        generation);
  }

  /**
   * Column 1 (a text key) to column 2 (an id) of {@code select}, a query ending in {@code IN (}
   * whose list is filled with the keys, {@link #IN_CHUNK} at a time; {@code leading} are bound
   * before the keys.
   */
  static Map<String, Long> idsByKey(Connection c, String select, List<String> keys, long... leading)
      throws SQLException {
    Map<String, Long> out = new HashMap<>();
    for (int from = 0; from < keys.size(); from += IN_CHUNK) {
      List<String> part = keys.subList(from, Math.min(keys.size(), from + IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement(select + marks(part.size()) + ")")) {
        for (int i = 0; i < leading.length; i++) {
          ps.setLong(1 + i, leading[i]);
        }
        for (int i = 0; i < part.size(); i++) {
          ps.setString(1 + leading.length + i, part.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
    }
    return out;
  }

  /** Reads one row of a chunked query. */
  interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs {@code before + "?, ?, …" + after} once per {@link #IN_CHUNK} ids, the ids bound in order
   * as the {@code IN} list, and hands every row to {@code rows}.
   */
  static void selectByIds(Connection c, String before, String after, List<Long> ids, RowReader rows)
      throws SQLException {
    for (int from = 0; from < ids.size(); from += IN_CHUNK) {
      List<Long> part = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement(before + marks(part.size()) + after)) {
        for (int i = 0; i < part.size(); i++) {
          ps.setLong(1 + i, part.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.read(rs);
          }
        }
      }
    }
  }

  /** {@code ?, ?, …}: n parameter marks for an {@code IN} list. */
  static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  private static void insertDiagnoses(
      Connection c, long generation, List<Placement> batch, List<@Nullable Long> placed)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO diagnosis (generation, report_id, rulebook_version, crash_found,"
                + " signature, title, failure_class, primary_function, primary_module, bucket_id,"
                + " diagnosis_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < batch.size(); i++) {
        Placement p = batch.get(i);
        Diagnosed d = p.diagnosed();
        Long bucket = placed.get(i);
        ps.setLong(1, generation);
        ps.setLong(2, p.facts().reportId());
        ps.setString(3, p.version());
        ps.setBoolean(4, d.crashFound());
        ps.setString(5, bucket == null ? null : d.signature());
        ps.setString(6, d.title());
        ps.setString(7, d.failureClass());
        ps.setString(8, boundedName(d.function()));
        ps.setString(9, boundedName(d.module()));
        if (bucket == null) {
          ps.setNull(10, java.sql.Types.BIGINT);
        } else {
          ps.setLong(10, bucket);
        }
        ps.setString(11, d.diagnosisJson());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Adds one report to the sums of its bucket and of each of the bucket's counters it moves. */
  private static void count(
      long bucket, Placement p, Map<Long, Sum> bucketSums, Map<Counter, Sum> counterSums) {
    Diagnosed d = p.diagnosed();
    Store.Facts f = p.facts();
    long id = f.reportId();
    Instant seen = f.seenAt();
    bucketSums.computeIfAbsent(bucket, k -> new Sum()).add(id, seen);
    List<Counter> moved = new ArrayList<>();
    if (d.title() != null) {
      moved.add(new Counter(bucket, "title", d.title()));
    }
    moved.add(new Counter(bucket, "class", d.failureClass()));
    if (f.release() != null) {
      moved.add(new Counter(bucket, "release", f.release()));
    }
    if (f.host() != null) {
      moved.add(new Counter(bucket, "host", f.host()));
    }
    for (String label : f.labels()) {
      moved.add(new Counter(bucket, "label", label));
    }
    // where the crash is, for search: the primary failure's function and module (bounded like
    // any other report text, see Params)
    String function = boundedName(d.function());
    if (function != null) {
      moved.add(new Counter(bucket, "function", function));
    }
    String module = boundedName(d.module());
    if (module != null) {
      moved.add(new Counter(bucket, "module", module));
    }
    moved.add(new Counter(bucket, "day", seen.atOffset(ZoneOffset.UTC).toLocalDate().toString()));
    for (Counter k : moved) {
      counterSums.computeIfAbsent(k, x -> new Sum()).add(id, seen);
    }
  }

  /** Totals, first and last seen and the example report of each touched bucket (id order). */
  private static void addToBuckets(Connection c, Map<Long, Sum> sums) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bucket SET report_count = report_count + ?, first_seen = LEAST(first_seen, ?),"
                + " last_seen = GREATEST(last_seen, ?),"
                + " example_report = COALESCE(example_report, ?) WHERE id = ?")) {
      for (Map.Entry<Long, Sum> e : sums.entrySet()) {
        Sum s = e.getValue();
        ps.setLong(1, s.count);
        ps.setObject(2, utc(s.first));
        ps.setObject(3, utc(s.last));
        ps.setLong(4, s.firstReport);
        ps.setLong(5, e.getKey());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Adds to the counters that exist and creates the others, in key order (two nodes writing the
   * same counters take their row locks in the same order).
   */
  private static void addToCounters(Connection c, Map<Counter, Sum> sums) throws SQLException {
    List<Map.Entry<Counter, Sum>> entries = new ArrayList<>(sums.entrySet());
    int[] updated;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bucket_facet SET report_count = report_count + ?,"
                + " first_seen = LEAST(first_seen, ?), last_seen = GREATEST(last_seen, ?)"
                + " WHERE bucket_id = ? AND facet = ? AND facet_value = ?")) {
      for (Map.Entry<Counter, Sum> e : entries) {
        Sum s = e.getValue();
        ps.setLong(1, s.count);
        ps.setObject(2, utc(s.first));
        ps.setObject(3, utc(s.last));
        ps.setLong(4, e.getKey().bucket());
        ps.setString(5, e.getKey().facet());
        ps.setString(6, e.getKey().value());
        ps.addBatch();
      }
      updated = ps.executeBatch();
    }
    boolean any = false;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO bucket_facet (bucket_id, facet, facet_value, report_count, first_seen,"
                + " last_seen) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < entries.size(); i++) {
        if (updated[i] == Statement.SUCCESS_NO_INFO) {
          throw new SQLException("the database did not say which counters it updated");
        }
        if (updated[i] > 0) {
          continue;
        }
        Counter k = entries.get(i).getKey();
        Sum s = entries.get(i).getValue();
        ps.setLong(1, k.bucket());
        ps.setString(2, k.facet());
        ps.setString(3, k.value());
        ps.setLong(4, s.count);
        ps.setObject(5, utc(s.first));
        ps.setObject(6, utc(s.last));
        ps.addBatch();
        any = true;
      }
      if (any) {
        ps.executeBatch();
      }
    }
  }

  /** Each touched bucket shows its most frequent title and class (as {@code triage} does). */
  private static void showMostFrequent(Connection c, Collection<Long> touched) throws SQLException {
    Map<Long, List<Store.FacetCount>> titles = new HashMap<>();
    Map<Long, List<Store.FacetCount>> classes = new HashMap<>();
    List<Long> all = new ArrayList<>(touched);
    selectByIds(
        c,
        "SELECT bucket_id, facet, facet_value, report_count FROM bucket_facet"
            + " WHERE facet IN ('title', 'class') AND bucket_id IN (",
        ")",
        all,
        rs -> {
          Map<Long, List<Store.FacetCount>> to = rs.getString(2).equals("title") ? titles : classes;
          to.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
              .add(
                  new Store.FacetCount(
                      rs.getString(3), rs.getLong(4), Instant.EPOCH, Instant.EPOCH));
        });
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE bucket SET title = ?, failure_class = ? WHERE id = ?")) {
      for (Long bucket : all) {
        ps.setString(1, Store.mostFrequent(titles.getOrDefault(bucket, List.of()), "(no title)"));
        ps.setString(2, Store.mostFrequent(classes.getOrDefault(bucket, List.of()), "unknown"));
        ps.setLong(3, bucket);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** A bucket's lifecycle as a batch goes through its reports. */
  private static final class Lifecycle {
    String status;
    @Nullable String fixedIn;

    Lifecycle(String status, @Nullable String fixedIn) {
      this.status = status;
      this.fixedIn = fixedIn;
    }
  }

  /**
   * A fixed bucket seen again on its fixed release or a later one is regressed: the first such
   * report of the batch (in batch order) turns it, with an event naming that report.
   */
  private static void regressions(Connection c, List<Placement> batch, List<@Nullable Long> placed)
      throws SQLException {
    List<Long> withRelease = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Long bucket = placed.get(i);
      if (bucket != null
          && batch.get(i).facts().release() != null
          && !withRelease.contains(bucket)) {
        withRelease.add(bucket);
      }
    }
    Map<Long, Lifecycle> states = new HashMap<>();
    selectByIds(
        c,
        "SELECT id, status, fixed_in FROM bucket WHERE status = 'fixed' AND id IN (",
        ")",
        withRelease,
        rs -> states.put(rs.getLong(1), new Lifecycle(rs.getString(2), rs.getString(3))));
    if (states.isEmpty()) {
      return;
    }
    Instant now = Instant.now();
    try (PreparedStatement status =
            c.prepareStatement(
                "UPDATE bucket SET status = 'regressed', status_changed = ? WHERE id = ?");
        PreparedStatement event =
            c.prepareStatement(
                "INSERT INTO bucket_event (bucket_id, at_time, status, fixed_in, note, link, actor,"
                    + " report_id) VALUES (?, ?, 'regressed', ?, ?, NULL, 'ingest', ?)")) {
      boolean any = false;
      for (int i = 0; i < batch.size(); i++) {
        Long bucket = placed.get(i);
        Lifecycle l = bucket == null ? null : states.get(bucket);
        String release = batch.get(i).facts().release();
        if (l == null
            || release == null
            || !"fixed".equals(l.status)
            || l.fixedIn == null
            || !KernelRelease.atLeast(release, l.fixedIn)) {
          continue;
        }
        l.status = "regressed";
        status.setObject(1, utc(now));
        status.setLong(2, bucket);
        status.addBatch();
        event.setLong(1, bucket);
        event.setObject(2, utc(now));
        event.setString(3, l.fixedIn);
        event.setString(4, "seen again on " + release + ", fixed in " + l.fixedIn);
        event.setLong(5, batch.get(i).facts().reportId());
        event.addBatch();
        any = true;
      }
      if (any) {
        status.executeBatch();
        event.executeBatch();
      }
    }
  }

  /** A symbol or module name of a report, or null when absent or not a plausible name. */
  static @Nullable String boundedName(@Nullable String name) {
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
}
