package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.testkit.PostgresCluster;
import org.ktriage.testkit.Shared;

/**
 * A batch written in one transaction ({@link Store#insertAll}, what ingest's group commit and the
 * re-triage write) leaves the store exactly as the same reports stored one at a time: buckets and
 * their totals, first and last seen, example, title and class, every counter, diagnoses, and the
 * regression a fixed bucket gets from the first report of its fixed release or later (once, with
 * its event), on H2 and PostgreSQL. Reports are real syzkaller reports diagnosed by the server.
 */
class StoreBatchTest {
  @TempDir Path tmp;

  private static final String[] RELEASES = {"6.1.0-56-amd64", "6.6.8", "6.1.0-57-amd64", "6.9.0"};

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aBatchStoresWhatTheSameReportsStoredOneAtATimeStore(String backend) throws Exception {
    List<Path> files;
    try (var s = Files.list(Shared.path("corpus/syzkaller/report"))) {
      files = s.sorted().limit(12).toList();
    }
    Diagnoser diagnoser = new Diagnoser(tmp.resolve("dx"), ServerConfig.DEFAULT_MAX_INFLATED_BYTES);
    List<byte[]> raws = new ArrayList<>();
    List<Diagnosed> diagnoses = new ArrayList<>();
    for (Path f : files) {
      byte[] raw = Files.readAllBytes(f);
      raws.add(raw);
      diagnoses.add(diagnoser.diagnose(raw, sha(raw)));
    }
    // before: the first report of each file; then the batch: three copies of each (a console line
    // of their own in front), in varied order, hosts, releases, labels and times, one twice
    List<Store.NewReport> before = new ArrayList<>();
    List<Store.NewReport> batch = new ArrayList<>();
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    for (int i = 0; i < raws.size(); i++) {
      before.add(report(raws.get(i), diagnoses.get(i), "n0", t0, RELEASES[0], List.of()));
    }
    for (int n = 0; n < 3 * raws.size(); n++) {
      int i = (n * 7) % raws.size();
      batch.add(
          report(
              copy(raws.get(i), n),
              diagnoses.get(i),
              "node-" + (n % 5),
              t0.plusSeconds(86_400L * ((n * 13) % 9) - 3600L * n),
              RELEASES[(n + n / raws.size()) % RELEASES.length],
              n % 4 == 0 ? List.of("nightly") : List.of()));
    }
    batch.add(batch.get(3)); // the same bytes twice in one batch: one report

    List<String> dumps = new ArrayList<>();
    for (boolean oneByOne : new boolean[] {true, false}) {
      try (Database db = open(backend, tmp.resolve(oneByOne ? "single" : "batch"))) {
        Store store = new Store(db.dataSource());
        store.insertAll(before);
        // two buckets fixed in 6.6.8: seen again on 6.6.8 or 6.9.0 they regress, on 6.1 they do not
        // (the copies of the first come on 6.1.0-56, 6.6.8, 6.1.0-57: one regression, at the
        // second;
        // those of the other on 6.6.8, 6.1.0-57, 6.9.0: one regression, at the first)
        List<Store.Stored> firsts = new ArrayList<>();
        for (Store.NewReport r : before) {
          firsts.add(store.insert(r));
        }
        assertThat(firsts.get(1).bucketId()).as("syzkaller report 1 shows no crash").isNull();
        for (int i : new int[] {0, 3}) {
          long bucket = java.util.Objects.requireNonNull(firsts.get(i).bucketId());
          assertThat(store.changeLifecycle(bucket, "fixed", "6.6.8", null, null, "test"))
              .as("bucket %d of file %d (%s)", bucket, i, firsts)
              .get()
              .extracting(Store.BucketRow::status)
              .isEqualTo("fixed");
        }
        List<Store.Stored> stored = new ArrayList<>();
        if (oneByOne) {
          for (Store.NewReport r : batch) {
            stored.add(store.insert(r));
          }
        } else {
          stored.addAll(store.insertAll(batch));
        }
        assertThat(stored.get(stored.size() - 1).created()).isFalse();
        assertThat(stored.get(3).created()).isTrue();
        assertThat(stored.get(stored.size() - 1).id()).isEqualTo(stored.get(3).id());
        dumps.add(dump(db));
      }
    }
    assertThat(dumps.get(1)).isEqualTo(dumps.get(0));
    assertThat(dumps.get(0).split("\\|regressed\\|6\\.6\\.8\\|seen again on", -1)).hasSize(3);
  }

  private static Database open(String backend, Path dir) throws Exception {
    ServerConfig config = ServerConfig.defaults(dir);
    if (backend.equals("postgresql")) {
      if (!PostgresCluster.installed()) {
        Assumptions.assumeFalse(PostgresCluster.underCi(), "PostgreSQL must be installed in CI");
        Assumptions.abort("PostgreSQL not installed");
      }
      config = config.withJdbc(PostgresCluster.shared().newDatabase(), null, null);
    }
    return Database.open(config);
  }

  private static Store.NewReport report(
      byte[] raw, Diagnosed d, String host, Instant seen, String release, List<String> labels) {
    return new Store.NewReport(
        sha(raw), seen, seen, "test", host, release, labels, raw, d, "rules-test");
  }

  private static byte[] copy(byte[] raw, int n) {
    byte[] line =
        ("[    0.000000] node-" + n + ": eth0 link up (seq " + n + ")\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[line.length + raw.length];
    System.arraycopy(line, 0, out, 0, line.length);
    System.arraycopy(raw, 0, out, line.length, raw.length);
    return out;
  }

  private static String sha(byte[] b) {
    return HexFormat.of().formatHex(RuleBookVersion.sha256().digest(b));
  }

  /** The store's buckets, counters, events and diagnoses, by signature and hash (not row ids). */
  private static String dump(Database db) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = db.dataSource().getConnection()) {
      rows(
          c,
          "SELECT b.signature, b.title, b.failure_class, b.first_seen, b.last_seen,"
              + " b.report_count, r.sha256, b.status, b.fixed_in FROM bucket b"
              + " LEFT JOIN report r ON r.id = b.example_report ORDER BY b.signature",
          out);
      rows(
          c,
          "SELECT b.signature, f.facet, f.facet_value, f.report_count, f.first_seen, f.last_seen"
              + " FROM bucket_facet f JOIN bucket b ON b.id = f.bucket_id"
              + " ORDER BY b.signature, f.facet, f.facet_value",
          out);
      rows(
          c,
          "SELECT b.signature, e.status, e.fixed_in, e.note, e.actor, r.sha256 FROM bucket_event e"
              + " JOIN bucket b ON b.id = e.bucket_id LEFT JOIN report r ON r.id = e.report_id"
              + " ORDER BY b.signature, e.id",
          out);
      rows(
          c,
          "SELECT r.sha256, r.host, r.kernel_release, d.signature, d.title, d.failure_class,"
              + " d.primary_function, b.signature FROM diagnosis d JOIN report r ON r.id ="
              + " d.report_id LEFT JOIN bucket b ON b.id = d.bucket_id ORDER BY r.sha256",
          out);
      rows(
          c,
          "SELECT r.sha256, l.label FROM report_label l JOIN report r ON r.id = l.report_id"
              + " ORDER BY r.sha256, l.label",
          out);
    }
    return out.toString();
  }

  private static void rows(Connection c, String sql, StringBuilder out) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData m = rs.getMetaData();
      while (rs.next()) {
        for (int i = 1; i <= m.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          if (v instanceof java.time.OffsetDateTime t) {
            v = t.toInstant();
          }
          out.append('|').append(v);
        }
        out.append("|\n");
      }
    }
  }
}
