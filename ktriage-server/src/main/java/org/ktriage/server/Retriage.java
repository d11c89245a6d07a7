package org.ktriage.server;

import static org.ktriage.server.Store.utc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-triage: runs the rule book of this server over every stored raw report and groups them again,
 * into a new triage generation beside the current one (see {@code V20__diagnosis_per_generation}).
 * It reads the reports in id order, a batch at a time (bounded memory whatever the store holds),
 * and commits each batch with its progress in one transaction, so that a re-triage killed at any
 * point resumes where it stopped and never touches what the service shows. When every report is
 * diagnosed the generation is {@code staged}: its {@link RetriagePreview} says which buckets merge,
 * split, appear and go; {@link #apply} makes it current in one transaction (the pointer in {@code
 * triage_state}), {@link #discard} drops it.
 */
final class Retriage {
  private static final Logger LOG = LoggerFactory.getLogger(Retriage.class);

  /** Reports diagnosed then committed together. */
  static final int BATCH = Integer.getInteger("ktriage.retriage.batch", 100);

  private final Store store;
  private final DataSource ds;
  private final Diagnoser diagnoser;
  private final String version;
  private final int threads;
  private final RetriageApply applier;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stop;
  private volatile @Nullable String lastError;

  /**
   * @param keepRetired retired generations kept after an apply (see {@link
   *     RetriageApply#pruneRetired})
   */
  Retriage(Store store, Diagnoser diagnoser, String rulebookVersion, int threads, int keepRetired) {
    this.store = store;
    this.ds = store.dataSource();
    this.diagnoser = diagnoser;
    this.version = rulebookVersion;
    this.threads = Math.max(1, threads);
    this.applier = new RetriageApply(store, rulebookVersion, keepRetired);
  }

  /** A triage generation as stored. */
  record Generation(
      long id,
      String rulebookVersion,
      String state,
      Instant startedAt,
      @Nullable Instant finishedAt,
      @Nullable Instant appliedAt,
      long throughReport,
      long doneReport) {}

  /** The current generation, the staged one (if any), and whether a re-triage runs here. */
  record Status(
      Generation current,
      @Nullable Generation staged,
      boolean running,
      String rulebookVersion,
      long reportsToDo,
      long reportsDone,
      @Nullable String lastError) {}

  Status status() throws SQLException {
    try (Connection c = ds.getConnection()) {
      Store.Generations g = Store.generations(c);
      Generation current = generation(c, g.current()).orElseThrow();
      Generation staged = g.staged() == null ? null : generation(c, g.staged()).orElse(null);
      long todo = 0;
      long done = 0;
      if (staged != null) {
        todo = count(c, "SELECT COUNT(*) FROM report WHERE id <= ?", staged.throughReport());
        done = count(c, "SELECT COUNT(*) FROM report WHERE id <= ?", staged.doneReport());
      }
      return new Status(current, staged, running.get(), version, todo, done, lastError);
    }
  }

  private static long count(Connection c, String sql, long arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static Optional<Generation> generation(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, rulebook_version, state, started_at, finished_at, applied_at,"
                + " through_report, done_report FROM triage_generation WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Generation(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                java.util.Objects.requireNonNull(time(rs, 4)),
                time(rs, 5),
                time(rs, 6),
                rs.getLong(7),
                rs.getLong(8)));
      }
    }
  }

  private static @Nullable Instant time(ResultSet rs, int column) throws SQLException {
    java.time.OffsetDateTime t = rs.getObject(column, java.time.OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  // --------------------------------------------------------------------------- start and run

  /**
   * Starts a re-triage under this server's rule book, or resumes the one staged under it (after a
   * restart); a no-op while one runs. Refused while a generation of another rule book is staged.
   *
   * @param background whether to run on a thread of its own (the service) or in the caller
   */
  Generation start(boolean background) throws SQLException {
    Generation g = stageOrResume();
    if (!"staging".equals(g.state()) || !running.compareAndSet(false, true)) {
      return g;
    }
    stop = false;
    lastError = null;
    Runnable job =
        () -> {
          try {
            run(g.id());
          } catch (SQLException | RuntimeException e) {
            lastError =
                ServerMessages.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage());
            LOG.error("re-triage of generation {} stopped", g.id(), e);
          } finally {
            running.set(false);
          }
        };
    if (background) {
      Thread t = new Thread(job, "ktriage-retriage");
      t.setDaemon(true);
      t.start();
    } else {
      job.run();
    }
    return g;
  }

  private Generation stageOrResume() throws SQLException {
    Generation g;
    synchronized (store.writeLock()) {
      g = Transactions.inTransaction(ds, this::stagedOrNew);
    }
    // a new generation is made under this rule book: only a staged one can differ
    if (!g.rulebookVersion().equals(version)) {
      throw new ApiException(
          409,
          "a re-triage under "
              + g.rulebookVersion()
              + " is staged, this server runs "
              + version
              + ": discard it first");
    }
    return g;
  }

  /** The staged generation, or a new one staging under this rule book, on an open transaction. */
  private Generation stagedOrNew(Connection c) throws SQLException {
    Store.Generations gs = Store.generations(c);
    if (gs.staged() != null) {
      return generation(c, gs.staged()).orElseThrow();
    }
    long id;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM triage_generation");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      id = rs.getLong(1);
    }
    long through;
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM report");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      through = rs.getLong(1);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO triage_generation (id, rulebook_version, state, started_at,"
                + " through_report, done_report) VALUES (?, ?, 'staging', ?, ?, 0)")) {
      ps.setLong(1, id);
      ps.setString(2, version);
      ps.setObject(3, utc(Instant.now()));
      ps.setLong(4, through);
      ps.executeUpdate();
    }
    return generation(c, id).orElseThrow();
  }

  /**
   * Raw reports up to this size are read with their batch's metadata, in the one statement; larger
   * ones one at a time when diagnosed (a batch holds at most {@code BATCH} times this in memory).
   */
  static final int INLINE_RAW_BYTES = 256 << 10;

  /** A stored report as re-triage reads it, with its bytes when they are small. */
  @SuppressWarnings("ArrayRecordComponent") // read once, never compared
  private record Stored(
      long id,
      String sha256,
      Instant seenAt,
      @Nullable String host,
      @Nullable String release,
      List<String> labels,
      byte @Nullable [] raw) {}

  private void run(long generation) throws SQLException {
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> daemon(r));
    try {
      while (!stop) {
        Optional<Generation> found;
        try (Connection c = ds.getConnection()) {
          found = generation(c, generation);
        }
        if (found.isEmpty() || !"staging".equals(found.get().state())) {
          return; // discarded, or finished by another server on the same database
        }
        Generation g = found.get();
        List<Stored> batch = batch(g.doneReport(), g.throughReport());
        if (batch.isEmpty()) {
          finish(generation);
          LOG.info(
              "re-triage generation {} staged in {} s",
              generation,
              (System.nanoTime() - started) / 1_000_000_000L);
          return;
        }
        List<Future<Diagnosed>> diagnosed = new ArrayList<>();
        for (Stored s : batch) {
          diagnosed.add(pool.submit(() -> diagnose(s)));
        }
        List<Diagnosed> out = new ArrayList<>();
        for (Future<Diagnosed> f : diagnosed) {
          try {
            out.add(f.get());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
          }
        }
        if (stop) {
          return;
        }
        commit(generation, batch, out);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "ktriage-retriage-diagnose");
    t.setDaemon(true);
    return t;
  }

  /**
   * The next reports to diagnose: their metadata and, up to {@link #INLINE_RAW_BYTES} each, their
   * bytes, in one statement (a statement per report was a round trip per report to the database).
   */
  private List<Stored> batch(long after, long through) throws SQLException {
    List<Stored> out = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, sha256, seen_at, host, kernel_release,"
                  + " CASE WHEN raw_size <= ? THEN raw END FROM report"
                  + " WHERE id > ? AND id <= ? ORDER BY id LIMIT ?")) {
        ps.setLong(1, INLINE_RAW_BYTES);
        ps.setLong(2, after);
        ps.setLong(3, through);
        ps.setInt(4, BATCH);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Stored(
                    rs.getLong(1),
                    rs.getString(2),
                    java.util.Objects.requireNonNull(time(rs, 3)),
                    rs.getString(4),
                    rs.getString(5),
                    List.of(),
                    rs.getBytes(6)));
          }
        }
      }
      if (out.isEmpty()) {
        return out;
      }
      Map<Long, List<String>> labels = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT report_id, label FROM report_label WHERE report_id >= ? AND report_id <= ?"
                  + " ORDER BY report_id, label")) {
        ps.setLong(1, out.get(0).id());
        ps.setLong(2, out.get(out.size() - 1).id());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            labels.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
          }
        }
      }
      List<Stored> withLabels = new ArrayList<>();
      for (Stored s : out) {
        withLabels.add(
            new Stored(
                s.id(),
                s.sha256(),
                s.seenAt(),
                s.host(),
                s.release(),
                labels.getOrDefault(s.id(), List.of()),
                s.raw()));
      }
      return withLabels;
    }
  }

  /**
   * A stored report diagnosed again. The bytes were accepted once; if this rule book cannot read
   * them any more the report is kept as showing no crash, with the reason as its diagnosis.
   */
  private Diagnosed diagnose(Stored s) throws SQLException {
    byte[] inline = s.raw();
    byte[] raw = inline != null ? inline : read(s.id());
    try {
      Diagnosed d = diagnoser.diagnose(raw, s.sha256());
      IngestApi.check(d);
      return d;
    } catch (IOException | ApiException e) {
      String why = ServerMessages.oneLine(String.valueOf(e.getMessage()));
      com.fasterxml.jackson.databind.node.ObjectNode o = CrashServer.JSON.createObjectNode();
      o.put("error", "re-triage could not read the stored report: " + why);
      return new Diagnosed(
          Diagnoser.looksLikeJson(raw) ? "json" : "text",
          false,
          null,
          null,
          "unknown",
          null,
          null,
          null,
          null,
          o.toString());
    }
  }

  /** A stored report's bytes. */
  private byte[] read(long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT raw FROM report WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("report " + id + " vanished");
        }
        return rs.getBytes(1);
      }
    }
  }

  /** Writes a batch's diagnoses and moves the generation's progress past it, in one transaction. */
  private void commit(long generation, List<Stored> batch, List<Diagnosed> diagnosed)
      throws SQLException {
    synchronized (store.writeLock()) {
      Transactions.run(
          ds,
          c -> {
            Optional<Generation> g = generation(c, generation);
            if (g.isEmpty() || !"staging".equals(g.get().state())) {
              return; // discarded meanwhile: nothing written
            }
            List<Placements.Placement> placements = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
              Stored s = batch.get(i);
              placements.add(
                  new Placements.Placement(
                      version,
                      diagnosed.get(i),
                      new Store.Facts(s.id(), s.seenAt(), s.host(), s.release(), s.labels())));
            }
            Placements.place(c, generation, placements, false);
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE triage_generation SET done_report = ? WHERE id = ?")) {
              ps.setLong(1, batch.get(batch.size() - 1).id());
              ps.setLong(2, generation);
              ps.executeUpdate();
            }
          });
    }
  }

  private void finish(long generation) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE triage_generation SET state = 'staged', finished_at = ?"
                    + " WHERE id = ? AND state = 'staging'")) {
      ps.setObject(1, utc(Instant.now()));
      ps.setLong(2, generation);
      ps.executeUpdate();
    }
  }

  // ----------------------------------------------------------------------- apply and discard

  /** Makes the staged generation current (see {@link RetriageApply#apply}). */
  Generation apply(long expected) throws SQLException {
    return applier.apply(expected);
  }

  /** Drops the staged generation (running or not) and everything it wrote, in one transaction. */
  Generation discard(long expected) throws SQLException {
    synchronized (store.writeLock()) {
      return Transactions.inTransaction(
          ds,
          c -> {
            Store.Generations gs = Store.generations(c);
            if (gs.staged() == null || gs.staged() != expected) {
              throw new ApiException(409, "no re-triage " + expected + " is staged");
            }
            Generation g = generation(c, expected).orElseThrow();
            stop = true; // a run here stops at its next batch (whose commit finds no generation)
            RetriageApply.dropGeneration(c, expected);
            return g;
          });
    }
  }

  /** Whether a re-triage runs in this process. */
  boolean running() {
    return running.get();
  }

  /** Asks a running re-triage to stop after its batch (on shutdown); its progress stays. */
  void stop() {
    stop = true;
  }
}
