package org.ktriage.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unbase64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.bucket.Buckets;
import org.ktriage.analysis.bucket.TriageResult;

/**
 * The archive re-triage job: raw reports in, diagnoses and the bucket preview out. Each executor
 * reads and analyses its partition's reports with {@link Retriage} (the single-machine code path);
 * the reports of one signature meet in one task, which builds their bucket with {@link
 * Buckets#group} (the single-machine grouping), so a bucket's title, class and example are chosen
 * exactly as {@code ktriage triage} chooses them.
 *
 * <pre>
 * spark-submit --class org.ktriage.spark.RetriageJob ktriage-spark.jar \
 *     --jdbc jdbc:postgresql://db/ktriage --user ktriage --partitions 64 --out /archive/retriage-1
 * spark-submit --class org.ktriage.spark.RetriageJob ktriage-spark.jar --jsonl export.jsonl --out out
 * </pre>
 */
public final class RetriageJob {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The JSONL export's schema: one object per line, {@code raw} base64, {@code name} optional. */
  public static final StructType JSONL_SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType, false)
          .add("name", DataTypes.StringType, true)
          .add("raw", DataTypes.StringType, false);

  private RetriageJob() {}

  /**
   * What a run found.
   *
   * @param reports raw reports read
   * @param crashes of them, those showing a crash
   * @param unreadable of them, those the reader refused
   * @param buckets the bucket preview, largest first (ties: by title, then signature), as {@link
   *     Buckets#group} orders it
   */
  public record Result(long reports, long crashes, long unreadable, List<BucketPreview> buckets) {
    public Result {
      buckets = List.copyOf(buckets);
    }
  }

  /** Raw reports from a JSONL export ({@link #JSONL_SCHEMA}): columns id, name, raw (binary). */
  public static Dataset<Row> fromJsonl(SparkSession spark, String path) {
    return normalized(spark.read().schema(JSONL_SCHEMA).json(path), unbase64(col("raw")));
  }

  /**
   * The service's text reports straight from its PostgreSQL {@code report} table, read in {@code
   * partitions} ranges of id (Spark's JDBC source, one query per range). Reports a host diagnosed
   * itself ({@code content_kind} json: the vmcore stayed on the host) have no text to re-read and
   * are left out.
   */
  public static Dataset<Row> fromPostgres(
      SparkSession spark, String url, Properties props, int partitions) throws SQLException {
    long lo;
    long hi;
    try (Connection c = DriverManager.getConnection(url, props);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM report")) {
      rs.next();
      lo = rs.getLong(1);
      hi = rs.getLong(2);
    }
    Properties p = new Properties();
    p.putAll(props);
    p.setProperty("driver", "org.postgresql.Driver");
    Dataset<Row> rows =
        spark
            .read()
            .jdbc(
                url,
                "(SELECT id, raw FROM report WHERE content_kind = 'text') AS raw_report",
                "id",
                lo,
                hi + 1,
                Math.max(1, partitions),
                p)
            .withColumn("name", lit(null).cast(DataTypes.StringType));
    return normalized(rows, col("raw"));
  }

  private static Dataset<Row> normalized(Dataset<Row> rows, org.apache.spark.sql.Column raw) {
    return rows.select(
        col("id"),
        coalesce(col("name"), concat(lit("report:"), col("id").cast(DataTypes.StringType)))
            .as("name"),
        raw.as("raw"));
  }

  /**
   * Re-triages the reports (columns id, name, raw) and, when {@code out} is given, writes there
   * {@code diagnoses/} (Spark text part files, one JSON object a line: id, name, signature, title,
   * class, error, diagnosis) and {@code buckets.jsonl} (the preview, written by the driver).
   */
  public static Result run(Dataset<Row> reports, @Nullable String out) throws IOException {
    JavaRDD<Triaged> triaged =
        reports
            .toJavaRDD()
            .map(r -> new RawReport(r.getLong(0), r.getString(1), (byte[]) r.get(2)))
            .mapPartitions(RetriageJob::triagePartition)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<Integer, Long> kinds =
          triaged.map(t -> t.error() != null ? 2 : t.hasCrash() ? 1 : 0).countByValue();
      List<BucketPreview> buckets =
          new ArrayList<>(
              triaged
                  .filter(Triaged::hasCrash)
                  .keyBy(t -> String.valueOf(t.signature()))
                  .groupByKey()
                  .map(e -> bucketOf(e._2()))
                  .collect());
      buckets.sort(
          Comparator.comparingInt(BucketPreview::count)
              .reversed()
              .thenComparing(BucketPreview::title)
              .thenComparing(BucketPreview::signature));
      Result result =
          new Result(
              kinds.values().stream().mapToLong(Long::longValue).sum(),
              kinds.getOrDefault(1, 0L),
              kinds.getOrDefault(2, 0L),
              buckets);
      if (out != null) {
        triaged.map(RetriageJob::diagnosisLine).saveAsTextFile(out + "/diagnoses");
        try (Writer w =
            Files.newBufferedWriter(Path.of(out, "buckets.jsonl"), StandardCharsets.UTF_8)) {
          for (BucketPreview b : buckets) {
            w.write(JSON.writeValueAsString(b));
            w.write('\n');
          }
        }
      }
      return result;
    } finally {
      triaged.unpersist(false);
    }
  }

  private static BucketPreview bucketOf(Iterable<Triaged> members) {
    List<TriageResult> results = new ArrayList<>();
    for (Triaged t : members) {
      results.add(t.result());
    }
    return BucketPreview.of(Buckets.group(results).get(0));
  }

  private static Iterator<Triaged> triagePartition(Iterator<RawReport> in) throws IOException {
    Retriage retriage = new Retriage(Path.of(System.getProperty("java.io.tmpdir")));
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = in.hasNext();
        if (!more) {
          retriage.close();
        }
        return more;
      }

      @Override
      public Triaged next() {
        if (!in.hasNext()) {
          throw new NoSuchElementException();
        }
        return retriage.triage(in.next());
      }
    };
  }

  private static String diagnosisLine(Triaged t) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", t.id());
    o.put("name", t.name());
    o.put("signature", t.signature());
    o.put("title", t.title());
    o.put("class", t.failureClass());
    o.put("error", t.error());
    String d = t.diagnosisJson();
    o.set("diagnosis", d == null ? null : JSON.readTree(d));
    return JSON.writeValueAsString(o);
  }

  /**
   * {@code spark-submit} entry: {@code --jsonl PATH} or {@code --jdbc URL [--user U] [--partitions
   * N]} (the password from {@code KTRIAGE_DB_PASSWORD}), and {@code --out DIR}.
   */
  public static void main(String[] args) throws Exception {
    String jsonl = null;
    String jdbc = null;
    String user = null;
    String out = null;
    int partitions = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw usage("missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--jsonl" -> jsonl = v;
        case "--jdbc" -> jdbc = v;
        case "--user" -> user = v;
        case "--out" -> out = v;
        case "--partitions" -> partitions = parsePartitions(v);
        default -> throw usage("unknown option " + a);
      }
    }
    if ((jsonl == null) == (jdbc == null) || out == null) {
      throw usage("give --jsonl PATH or --jdbc URL, and --out DIR");
    }
    SparkSession spark = SparkSession.builder().appName("ktriage-retriage").getOrCreate();
    try {
      long start = System.nanoTime();
      Dataset<Row> reports;
      if (jdbc != null) {
        Properties props = new Properties();
        if (user != null) {
          props.setProperty("user", user);
        }
        String password = System.getenv("KTRIAGE_DB_PASSWORD");
        if (password != null) {
          props.setProperty("password", password);
        }
        int n = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        reports = fromPostgres(spark, jdbc, props, n);
      } else {
        reports = fromJsonl(spark, String.valueOf(jsonl));
      }
      Files.createDirectories(Path.of(String.valueOf(out)));
      Result r = run(reports, out);
      System.out.printf(
          java.util.Locale.ROOT,
          "retriage: %d reports in %.1f s: %d crashes in %d buckets, %d unreadable; %s%n",
          r.reports(),
          (System.nanoTime() - start) / 1e9,
          r.crashes(),
          r.buckets().size(),
          r.unreadable(),
          out);
    } finally {
      spark.stop();
    }
  }

  private static int parsePartitions(String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0 && n <= 100_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the usage message
    }
    throw usage("--partitions wants a number from 1 to 100000, not " + v);
  }

  private static IllegalArgumentException usage(String why) {
    System.err.println("ktriage-retriage: " + why);
    System.exit(2);
    return new IllegalArgumentException(why);
  }
}
