package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bucket page reads its reports and its facets through the indexes made for them, in their
 * order, and stops at its limit — checked on the plans the databases report for the page's own
 * statements, not on a time. H2 chose other indexes when left to itself (the foreign key's or the
 * primary key's, then read every diagnosis or host of the bucket, or all reports, and sorted): 358
 * ms a page at 20 000 reports against PostgreSQL's 4.7 ms. On PostgreSQL, whose planner rightly
 * reads a table of a few rows whole, sequential and bitmap scans are switched off for the check:
 * what is checked is that the index serves the statement's order.
 */
class BucketPagePlanTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void theBucketPageReadsItsIndexesInOrderAndStopsAtItsLimit(String backend) throws Exception {
    try (Backend b = Backend.start(backend, tmp)) {
      byte[] report = CrashServerTest.corpus("5");
      List<Long> ids = new ArrayList<>();
      long bucket = -1;
      for (int i = 0; i < 12; i++) {
        // the same report with i more blank lines: a new report (content hash), the same bucket
        byte[] copy =
            (new String(report, StandardCharsets.ISO_8859_1) + "\n".repeat(i))
                .getBytes(StandardCharsets.ISO_8859_1);
        JsonNode stored =
            CrashServerTest.json(
                b.post("/api/v1/reports?host=h" + (i % 3) + "&label=k=" + i, copy));
        ids.add(stored.get("id").longValue());
        assertThat(bucket == -1 || bucket == stored.get("bucketId").longValue()).isTrue();
        bucket = stored.get("bucketId").longValue();
      }
      // one report of another bucket in between: its id falls inside the bucket's ids
      CrashServerTest.json(b.post("/api/v1/reports", CrashServerTest.corpus("40")));

      // the page: the ten oldest reports of the bucket in id order, with their labels
      JsonNode page = CrashServerTest.json(b.get("/api/v1/buckets/" + bucket));
      List<Long> examples = new ArrayList<>();
      page.get("examples").forEach(e -> examples.add(e.get("id").longValue()));
      assertThat(examples).isEqualTo(ids.subList(0, 10));
      assertThat(page.get("examples").get(3).get("labels").toString()).contains("k=3");
      assertThat(page.get("hosts")).hasSize(3);

      try (Connection c = b.server.dataSource().getConnection()) {
        boolean h2 = backend.equals("h2");
        if (!h2) {
          try (Statement s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
            s.execute("SET enable_bitmapscan = off");
          }
        }
        String reports = plan(c, StoreQueries.bucketReportIdsSql(c), bucket, 10);
        String facets =
            plan(c, StoreQueries.facetsSql(c, 2), bucket, "host", 200, bucket, "day", 1000);
        if (h2) {
          // the index that holds the bucket's reports in id order, read in that order
          assertThat(reports).contains("PUBLIC.DIAGNOSIS_BUCKET:").contains("/* index sorted */");
          assertThat(facets)
              .contains("PUBLIC.BUCKET_FACET_LARGEST_VALUES:")
              .doesNotContain("PRIMARY_KEY")
              .doesNotContain("CONSTRAINT_INDEX")
              .contains("/* index sorted */");
          assertThat(facets.split("/\\* index sorted \\*/", -1)).hasSize(3);
        } else {
          assertThat(reports).contains("using diagnosis_bucket").doesNotContain("Sort");
          // each branch in the index's order; only the outer ORDER BY sorts (their few rows)
          assertThat(facets.split("Index Scan using bucket_facet_largest_values", -1)).hasSize(3);
          assertThat(facets.split("Sort Key", -1)).hasSize(2);
        }
      }
    }
  }

  /** The plan of a statement with its parameters, as the database prints it. */
  private static String plan(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      StringBuilder out = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.append(rs.getString(1)).append('\n');
        }
      }
      return out.toString();
    }
  }
}
