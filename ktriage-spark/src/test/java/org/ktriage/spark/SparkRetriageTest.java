package org.ktriage.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.analysis.bucket.Buckets;
import org.ktriage.analysis.bucket.TriageResult;
import org.ktriage.testkit.PostgresCluster;
import org.ktriage.testkit.corpus.Corpus;

/**
 * The Spark job against single-machine re-triage on the whole corpus (every corpus of the runner
 * except the wild corpus's held-out part, which no tuning work reads): the same buckets, and every
 * report's signature the one in the corpus's golden file.
 */
class SparkRetriageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static double startSeconds;
  private static List<RawReport> corpus;
  private static Map<String, String> goldenSignatures;

  @BeforeAll
  static void start() throws IOException {
    Path root = Path.of(String.valueOf(System.getProperty("ktriage.root")));
    List<Corpus> all = RetriageCorpus.corpora(root);
    goldenSignatures = new HashMap<>();
    for (Corpus c : all) {
      for (String row : Files.readAllLines(root.resolve("corpus/golden/" + c.name() + ".tsv"))) {
        String[] f = row.split("\t", -1);
        if (!row.startsWith("#") && f.length >= 5 && !f[1].equals("no-crash")) {
          goldenSignatures.put(c.name() + "/" + f[0], f[4]);
        }
      }
    }
    corpus = RetriageCorpus.reports(all);
    long t0 = System.nanoTime();
    spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("ktriage-retriage-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    spark.range(1).count(); // the first job pays the executors' start
    startSeconds = (System.nanoTime() - t0) / 1e9;
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void sparkAndSingleMachineGiveTheSameBucketsOnTheWholeCorpus(@TempDir Path tmp)
      throws IOException {
    assertThat(corpus).hasSizeGreaterThan(1000);
    Path export = tmp.resolve("export.jsonl");
    RetriageCorpus.writeExport(export, corpus);

    long t0 = System.nanoTime();
    List<TriageResult> single = RetriageCorpus.singleMachine(corpus, tmp);
    double singleSeconds = (System.nanoTime() - t0) / 1e9;
    List<BucketPreview> expected = RetriageCorpus.buckets(single);

    t0 = System.nanoTime();
    String out = tmp.resolve("out").toString();
    Files.createDirectories(Path.of(out));
    RetriageJob.Result r = RetriageJob.run(RetriageJob.fromJsonl(spark, export.toString()), out);
    double sparkSeconds = (System.nanoTime() - t0) / 1e9;
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        java.util.Locale.ROOT,
        "retriage of %d reports: single machine (1 thread) %.1f s = %.0f reports/s;"
            + " Spark local[%d] %.1f s = %.0f reports/s per core; Spark start-up %.1f s%n",
        corpus.size(),
        singleSeconds,
        corpus.size() / singleSeconds,
        cores,
        sparkSeconds,
        corpus.size() / sparkSeconds / cores,
        startSeconds);

    assertThat(r.reports()).isEqualTo(corpus.size());
    assertThat(r.crashes()).isEqualTo(single.stream().filter(TriageResult::hasCrash).count());
    assertThat(r.unreadable()).isEqualTo(single.stream().filter(t -> t.error() != null).count());
    assertThat(r.buckets()).hasSizeGreaterThan(300).isEqualTo(expected);

    // the files the job wrote: one diagnosis a report, the preview as returned
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(Path.of(out, "diagnoses"))) {
      for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        lines.addAll(Files.readAllLines(p));
      }
    }
    assertThat(lines).hasSize(corpus.size());
    int compared = 0;
    for (String line : lines) {
      JsonNode d = JSON.readTree(line);
      String name = d.get("name").asText();
      JsonNode sig = d.get("signature");
      if (!sig.isNull()) {
        assertThat(d.get("diagnosis").get("signature").asText()).isEqualTo(sig.asText());
        String golden = goldenSignatures.get(name);
        if (golden != null) {
          assertThat(sig.asText()).as(name + " against its golden row").isEqualTo(golden);
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(900);
    List<BucketPreview> written = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(out, "buckets.jsonl"))) {
      written.add(JSON.readValue(line, BucketPreview.class));
    }
    assertThat(written).isEqualTo(expected);
  }

  @Test
  void readsTheServiceTablePartitionedById() throws Exception {
    if (!PostgresCluster.installed() && !PostgresCluster.underCi()) {
      assumeThat(false).as("PostgreSQL is not installed").isTrue();
    }
    String url = PostgresCluster.shared().newDatabase();
    Path root = Path.of(String.valueOf(System.getProperty("ktriage.root")));
    List<RawReport> some =
        corpus.stream()
            .filter(r -> r.name().startsWith("satyr/") || r.name().startsWith("abrt/"))
            .toList();
    assertThat(some).hasSizeGreaterThan(90);
    try (Connection c = DriverManager.getConnection(url)) {
      // the service's own schema: its first migration, as Flyway runs it
      try (Statement st = c.createStatement()) {
        st.execute(
            Files.readString(
                root.resolve(
                    "ktriage-server/src/main/resources/db/migration/V1__reports_buckets.sql")));
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO report (id, sha256, received_at, seen_at, content_kind, raw_size, raw,"
                  + " crash_found, rulebook_version, diagnosis_json)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, false, 'rules-test', '{}')")) {
        long id = 1;
        for (RawReport r : some) {
          // ids with gaps, as deletes and failed inserts leave them
          id += 1 + (r.id() % 3);
          insert(ps, id, "text", r.raw());
        }
        // a diagnosis a host made itself (collect): no text to re-read
        insert(ps, id + 10, "json", "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8));
      }
    }
    Retriage one = new Retriage(Files.createTempDirectory("ktriage-retriage-test"));
    List<TriageResult> single = new ArrayList<>();
    for (RawReport r : some) {
      single.add(one.triage(r).result());
    }
    one.close();
    Properties props = new Properties();
    props.setProperty("user", "ktriage");
    RetriageJob.Result r = RetriageJob.run(RetriageJob.fromPostgres(spark, url, props, 3), null);
    assertThat(r.reports()).isEqualTo(some.size());
    assertThat(r.buckets())
        .hasSizeGreaterThan(20)
        .extracting(BucketPreview::signature, BucketPreview::count, BucketPreview::title)
        .isEqualTo(
            Buckets.group(single).stream()
                .map(BucketPreview::of)
                .map(b -> org.assertj.core.groups.Tuple.tuple(b.signature(), b.count(), b.title()))
                .toList());
  }

  private static void insert(PreparedStatement ps, long id, String kind, byte[] raw)
      throws java.sql.SQLException {
    OffsetDateTime now = OffsetDateTime.now();
    ps.setLong(1, id);
    ps.setString(2, String.format("%064x", id));
    ps.setObject(3, now);
    ps.setObject(4, now);
    ps.setString(5, kind);
    ps.setLong(6, raw.length);
    ps.setBytes(7, raw);
    ps.executeUpdate();
  }
}
