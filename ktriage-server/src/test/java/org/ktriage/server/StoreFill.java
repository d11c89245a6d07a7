package org.ktriage.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * Fills a store with generated reports for the load benchmark ({@code bench/serve-1m.sh}). Not a
 * test. Report {@code n} is corpus file {@code n % files} with a console line of its own in front
 * (host name, IPv4, MAC, sequence number: a new content hash), a host out of 50 000, a kernel
 * release and a time within 300 days; one in ten carries the label {@code nightly}.
 *
 * <ol>
 *   <li>The corpus files, each with its line in front, go through the store's own write path
 *       ({@link Store#insertAll}), each diagnosed as stored (line and all) by the server's {@link
 *       Diagnoser}, as ingest diagnoses an upload.
 *   <li>On PostgreSQL the copies are generated in SQL from those rows: the same text after a line
 *       of the same shape (only its host, addresses and sequence number differ), so the base row's
 *       diagnosis, its upload name changed to the copy's hash; then the buckets' counters are
 *       recomputed from the diagnoses as the write path counts them; on any other database (H2)
 *       every copy goes through the write path, diagnosed, one report after another (slow).
 * </ol>
 *
 * <p>A diagnosis is always made on the bytes stored: a console line in front can change it (a
 * printk-timestamped first line makes the reader take the log as timestamped, and the report's own
 * untimestamped lines then read otherwise), so the diagnosis of the corpus file without the line is
 * not the stored report's (that made a re-triage under the same rule book move 2 of 735 corpus
 * texts' copies: 218 of 80 200 reports).
 *
 * <p>{@code StoreFill DATA_DIR JDBC_URL|- COUNT CORPUS_DIR}; a fill interrupted resumes.
 */
public final class StoreFill {
  private static final String[] RELEASES = {
    "6.1.0-56-amd64", "6.1.0-57-amd64", "6.6.0-rc3", "6.6.8", "6.9.0", "6.10.2"
  };
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final long SPAN_SECONDS = 300L * 86400;
  private static final long CHUNK = 50_000;

  private StoreFill() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    ServerConfig config = ServerConfig.defaults(data);
    if (!args[1].equals("-")) {
      config = config.withJdbc(args[1], null, null);
    }
    long count = Long.parseLong(args[2]);
    List<Path> files;
    try (var s = Files.list(Path.of(args[3]))) {
      files = s.sorted().toList();
    }
    Diagnoser diagnoser =
        new Diagnoser(data.resolve("tmp"), ServerConfig.DEFAULT_MAX_INFLATED_BYTES);
    List<byte[]> raws = new ArrayList<>();
    for (Path f : files) {
      byte[] raw = Files.readAllBytes(f);
      try {
        IngestApi.check(diagnoser.diagnose(raw, sha(raw)));
        raws.add(raw);
      } catch (ApiException | IOException e) {
        System.err.println("skipped " + f.getFileName() + ": " + e.getMessage());
      }
    }
    String version = RuleBookVersion.current();
    long t0 = System.nanoTime();
    try (Database db = Database.open(config)) {
      Store store = new Store(db.dataSource());
      long stored = reports(db.dataSource());
      boolean bulk = db.product().equals("PostgreSQL");
      long viaStore = bulk ? Math.min(count, raws.size()) : count;
      SplittableRandom rnd = new SplittableRandom(1);
      List<Store.NewReport> batch = new ArrayList<>();
      for (long n = stored; n < viaStore; n++) {
        int i = (int) (n % raws.size());
        String host = String.format("node-%05d", n % 50000);
        byte[] body = concat(line(n, host, rnd), raws.get(i));
        String sha = sha(body);
        Diagnosed d = diagnoser.diagnose(body, sha);
        IngestApi.check(d);
        Instant seen = START.plusSeconds(rnd.nextLong(SPAN_SECONDS));
        batch.add(
            new Store.NewReport(
                sha,
                seen,
                seen,
                "bench",
                host,
                RELEASES[rnd.nextInt(RELEASES.length)],
                n % 10 == 0 ? List.of("nightly") : List.of(),
                body,
                d,
                version));
        if (batch.size() == 1000 || n == viaStore - 1) {
          store.insertAll(batch);
          batch.clear();
          if ((n + 1) % 50_000 == 0 || n == viaStore - 1) {
            progress(n + 1, stored, t0, "through the store");
          }
        }
      }
      if (bulk && count > raws.size()) {
        bulkCopy(db.dataSource(), raws.size(), count, t0);
      }
    }
  }

  /** The console line in front of report {@code n}: what a fleet's log varies in. */
  private static byte[] line(long n, String host, SplittableRandom rnd) {
    return String.format(
            "[    0.000000] %s: eth0 10.%d.%d.%d link up, address %02x:%02x:%02x:%02x:%02x:%02x"
                + " (seq %d)%n",
            host,
            rnd.nextInt(256),
            rnd.nextInt(256),
            1 + rnd.nextInt(254),
            rnd.nextInt(256),
            rnd.nextInt(256),
            rnd.nextInt(256),
            rnd.nextInt(256),
            rnd.nextInt(256),
            rnd.nextInt(256),
            n)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * PostgreSQL: reports {@code bases..count-1} as copies of the first {@code bases} rows (corpus
   * file {@code n % bases} with its own first line, host, release, time), their diagnoses copied
   * from the base's in the current generation, in chunks of one transaction each; then every
   * counter of the current generation's buckets recomputed from the diagnoses.
   */
  private static void bulkCopy(DataSource ds, long bases, long count, long t0) throws SQLException {
    try (Connection c = ds.getConnection()) {
      long generation = scalar(c, "SELECT current_generation FROM triage_state WHERE id = 1");
      long stored = scalar(c, "SELECT COUNT(*) FROM report");
      long firstId = scalar(c, "SELECT MIN(id) FROM report");
      exec(
          c,
          "CREATE TEMP TABLE bench_base AS SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id,"
              + " sha256, content_kind, SUBSTRING(raw FROM POSITION('\\x0a'::bytea IN raw) + 1) AS text"
              + " FROM report WHERE id < "
              + (firstId + bases));
      String releases = "(ARRAY['" + String.join("', '", RELEASES) + "'])";
      c.setAutoCommit(false);
      for (long from = stored; from < count; from += CHUNK) {
        long to = Math.min(count, from + CHUNK) - 1;
        // report n gets id firstId + n; h: 16 pseudo-random bytes of n
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO report (id, sha256, received_at, seen_at, submitter, host,"
                    + " kernel_release, content_kind, raw_size, raw)"
                    + " SELECT ? + n, ENCODE(SHA256(raw), 'hex'), seen, seen, 'bench', host, rel,"
                    + " content_kind, LENGTH(raw), raw FROM (SELECT n, host, rel, seen, content_kind,"
                    + " CONVERT_TO(FORMAT('[    0.000000] %s: eth0 10.%s.%s.%s link up, address"
                    + " %s (seq %s)', host, GET_BYTE(h, 0), GET_BYTE(h, 1), 1 + GET_BYTE(h, 2) % 254,"
                    + " REGEXP_REPLACE(ENCODE(SUBSTRING(h FROM 4 FOR 6), 'hex'), '(..)(?!$)',"
                    + " '\\1:', 'g'), n) || E'\\n', 'UTF8') || text AS raw"
                    + " FROM (SELECT n, b.content_kind, b.text, 'node-' || LPAD((n % 50000)::text,"
                    + " 5, '0') AS host, h, "
                    + releases
                    + "[1 + GET_BYTE(h, 10) % "
                    + RELEASES.length
                    + "] AS rel, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'"
                    + " + (((GET_BYTE(h, 11)::bigint << 24) | (GET_BYTE(h, 12) << 16)"
                    + " | (GET_BYTE(h, 13) << 8) | GET_BYTE(h, 14)) % "
                    + SPAN_SECONDS
                    + ") * INTERVAL '1 second' AS seen"
                    + " FROM (SELECT n, DECODE(MD5(n::text), 'hex') AS h"
                    + " FROM GENERATE_SERIES(?::bigint, ?::bigint) AS n) s"
                    + " JOIN bench_base b ON b.k = s.n % ?) v) w")) {
          ps.setLong(1, firstId);
          ps.setLong(2, from);
          ps.setLong(3, to);
          ps.setLong(4, bases);
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO report_label (report_id, label) SELECT ? + n, 'nightly'"
                    + " FROM GENERATE_SERIES(?::bigint, ?::bigint) AS n WHERE n % 10 = 0")) {
          ps.setLong(1, firstId);
          ps.setLong(2, from);
          ps.setLong(3, to);
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO diagnosis (generation, report_id, rulebook_version, crash_found,"
                    + " signature, title, failure_class, primary_function, primary_module,"
                    + " bucket_id, diagnosis_json) SELECT d.generation, ? + n, d.rulebook_version,"
                    + " d.crash_found, d.signature, d.title, d.failure_class, d.primary_function,"
                    + " d.primary_module, d.bucket_id,"
                    + " REPLACE(d.diagnosis_json, 'sha256:' || b.sha256, 'sha256:' || r.sha256)"
                    + " FROM GENERATE_SERIES(?::bigint, ?::bigint) AS n"
                    + " JOIN bench_base b ON b.k = n % ?"
                    + " JOIN diagnosis d ON d.report_id = b.id AND d.generation = ?"
                    + " JOIN report r ON r.id = ? + n")) {
          ps.setLong(1, firstId);
          ps.setLong(2, from);
          ps.setLong(3, to);
          ps.setLong(4, bases);
          ps.setLong(5, generation);
          ps.setLong(6, firstId);
          ps.executeUpdate();
        }
        c.commit();
        progress(to + 1, stored, t0, "copied in SQL");
      }
      exec(
          c, "SELECT SETVAL(PG_GET_SERIAL_SEQUENCE('report', 'id'), (SELECT MAX(id) FROM report))");
      recount(c, generation);
      c.commit();
      c.setAutoCommit(true);
      exec(c, "ANALYZE");
      System.out.printf("counters recomputed, analyzed: %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * Every counter of a generation's buckets from its diagnoses and reports, as {@link Store} counts
   * one report at a time: totals, first and last seen, example, and per facet.
   */
  private static void recount(Connection c, long generation) throws SQLException {
    String of = " FROM diagnosis d JOIN report r ON r.id = d.report_id";
    String where = " WHERE d.generation = " + generation + " AND d.bucket_id IS NOT NULL";
    exec(
        c,
        "UPDATE bucket SET report_count = s.n, first_seen = s.f, last_seen = s.l,"
            + " example_report = s.e FROM (SELECT d.bucket_id, COUNT(*) AS n, MIN(r.seen_at) AS f,"
            + " MAX(r.seen_at) AS l, MIN(r.id) AS e"
            + of
            + where
            + " GROUP BY d.bucket_id) s WHERE bucket.id = s.bucket_id");
    exec(
        c,
        "DELETE FROM bucket_facet WHERE bucket_id IN (SELECT id FROM bucket WHERE generation = "
            + generation
            + ")");
    String[][] facets = {
      {"title", "d.title", ""},
      {"class", "d.failure_class", ""},
      {"release", "r.kernel_release", ""},
      {"host", "r.host", ""},
      {"label", "l.label", " JOIN report_label l ON l.report_id = r.id"},
      {"function", "d.primary_function", ""},
      {"module", "d.primary_module", ""},
      {"day", "TO_CHAR(r.seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')", ""}
    };
    for (String[] f : facets) {
      exec(
          c,
          "INSERT INTO bucket_facet (bucket_id, facet, facet_value, report_count, first_seen,"
              + " last_seen) SELECT d.bucket_id, '"
              + f[0]
              + "', "
              + f[1]
              + ", COUNT(*), MIN(r.seen_at), MAX(r.seen_at)"
              + of
              + f[2]
              + where
              + " AND "
              + f[1]
              + " IS NOT NULL GROUP BY d.bucket_id, "
              + f[1]);
    }
  }

  private static long reports(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return scalar(c, "SELECT COUNT(*) FROM report");
    }
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void progress(long n, long skipped, long t0, String how) {
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%d reports stored (%s), %.0f s, %.0f/s%n", n, how, s, (n - skipped) / s);
  }

  private static String sha(byte[] b) {
    return HexFormat.of().formatHex(RuleBookVersion.sha256().digest(b));
  }

  private static byte[] concat(byte[] head, byte[] body) {
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }
}
