package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.testkit.PostgresCluster;

/**
 * Two real {@code ktriage serve} processes on one real PostgreSQL: a client posts the shared
 * syzkaller corpus to both, one node is killed ({@code destroyForcibly}, SIGKILL) while it
 * diagnoses, the client sends what that node never answered to the survivor. Nothing is lost (every
 * accepted upload is a report), nothing is doubled (one report per content, bucket counts equal
 * their reports), the uploads the dead node held are finished by the survivor's queue workers, and
 * the buckets equal {@code ktriage triage} on the same files.
 */
class ServeNodesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  @TempDir Path tmp;

  @Test
  void killingOneOfTwoNodesMidIngestLosesAndDoublesNothing() throws Exception {
    if (!PostgresCluster.installed()) {
      if (PostgresCluster.underCi()) {
        fail("PostgreSQL is not installed; ./run-tests installs Debian's postgresql package");
      }
      Assumptions.abort("PostgreSQL not installed (./run-tests installs it)");
    }
    // one copy of each distinct content (the server stores one report per content hash)
    Path corpus = Files.createDirectories(tmp.resolve("corpus"));
    Map<String, String> shaOfFile = SyzkallerBuckets.distinctCopy(corpus);
    TreeMap<String, String> triage = SyzkallerBuckets.ofTriage(corpus);

    String db = PostgresCluster.shared().newDatabase();
    Node a = Node.start(db, tmp.resolve("node-a"));
    Node b = Node.start(db, tmp.resolve("node-b"));
    try (Connection sql = DriverManager.getConnection(db)) {
      List<String> names = new ArrayList<>(shaOfFile.keySet());
      Map<String, Integer> answer = new ConcurrentHashMap<>();
      Set<String> unansweredByA = ConcurrentHashMap.newKeySet();
      AtomicInteger done = new AtomicInteger();
      ExecutorService client = Executors.newFixedThreadPool(6);
      List<Future<?>> posts = new ArrayList<>();
      try {
        for (int i = 0; i < names.size(); i++) {
          String name = names.get(i);
          Node first = i % 2 == 0 ? a : b;
          posts.add(
              client.submit(
                  () -> {
                    byte[] body = Files.readAllBytes(corpus.resolve(name));
                    int status = -1;
                    if (first == a && a.alive()) {
                      try {
                        status = post(a, body);
                      } catch (IOException e) {
                        unansweredByA.add(name); // the node died with this request
                      }
                    }
                    // a client sends what a dead node did not answer to another node; the same
                    // bytes again are the same report (202: queued, still in work: ask again)
                    while (status < 0 || status == 202) {
                      status = post(b, body);
                    }
                    answer.put(name, status);
                    done.incrementAndGet();
                    return null;
                  }));
        }
        // kill node A a third of the way in, at a moment a worker holds a queue row (A's own
        // requests diagnose their uploads inside the row's transaction)
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (done.get() < names.size() / 3 || lockedRows(sql) == 0) {
          assertThat(System.nanoTime()).as("no moment with a held queue row").isLessThan(deadline);
          Thread.sleep(1);
        }
        a.process.destroyForcibly().waitFor();
        for (Future<?> f : posts) {
          f.get(10, TimeUnit.MINUTES);
        }
      } finally {
        client.shutdownNow();
      }
      assertThat(unansweredByA).as("requests in flight on the killed node").isNotEmpty();
      // the survivor's workers finish what the dead node accepted (after the owner's grace)
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (count(sql, "SELECT COUNT(*) FROM ingest_queue") > 0) {
        assertThat(System.nanoTime()).as("queue not drained").isLessThan(deadline);
        Thread.sleep(100);
      }

      // nothing lost: every upload answered 2xx is a report, and only those are
      assertThat(answer).hasSize(names.size());
      assertThat(answer.values()).allMatch(s -> s == 200 || s == 201 || s == 422);
      Set<String> accepted = new HashSet<>();
      answer.forEach(
          (name, status) -> {
            if (status != 422) {
              accepted.add(shaOfFile.get(name));
            }
          });
      Set<String> stored = new HashSet<>();
      try (Statement st = sql.createStatement();
          ResultSet rs = st.executeQuery("SELECT sha256 FROM report")) {
        while (rs.next()) {
          stored.add(rs.getString(1));
        }
      }
      assertThat(stored).isEqualTo(accepted);
      // nothing doubled: one row per content, and each bucket counts exactly its reports
      assertThat(count(sql, "SELECT COUNT(*) FROM report")).isEqualTo(accepted.size());
      // (diagnoses live per triage generation: the current one's, one per report)
      String current = "(SELECT current_generation FROM triage_state WHERE id = 1)";
      assertThat(count(sql, "SELECT COUNT(*) FROM diagnosis WHERE generation = " + current))
          .isEqualTo(accepted.size());
      assertThat(
              count(
                  sql,
                  "SELECT COUNT(*) FROM bucket b WHERE b.generation = "
                      + current
                      + " AND b.report_count <>"
                      + " (SELECT COUNT(*) FROM diagnosis d WHERE d.bucket_id = b.id)"))
          .isZero();
      // the uploads the dead node held were finished by the survivor's queue workers
      long retaken = b.log().lines().filter(l -> l.contains("queue worker: stored upload")).count();
      System.out.printf(
          "ServeNodesTest: %d uploads, %d in flight on the killed node, %d retaken by the"
              + " survivor's queue workers, %d reports%n",
          names.size(), unansweredByA.size(), retaken, stored.size());
      assertThat(retaken).isPositive();

      assertThat(SyzkallerBuckets.ofService(path -> get(b, path))).isEqualTo(triage);
    } finally {
      a.stop();
      b.stop();
    }
  }

  /** Queue rows a worker holds now: all rows less those this connection can lock. */
  private static long lockedRows(Connection sql) throws SQLException {
    sql.setAutoCommit(false);
    try {
      long all = count(sql, "SELECT COUNT(*) FROM ingest_queue");
      long free = 0;
      try (Statement st = sql.createStatement();
          ResultSet rs = st.executeQuery("SELECT id FROM ingest_queue FOR UPDATE SKIP LOCKED")) {
        while (rs.next()) {
          free++;
        }
      }
      return all - free;
    } finally {
      sql.rollback();
      sql.setAutoCommit(true);
    }
  }

  private static long count(Connection sql, String query) throws SQLException {
    try (Statement st = sql.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int post(Node n, byte[] body) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(n.url + "/api/v1/reports"))
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static JsonNode get(Node n, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(n.url + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** One {@code ktriage serve} process (the test class path's launcher) on the shared database. */
  private record Node(Process process, Path err, String url) {
    static Node start(String db, Path dir) throws IOException, InterruptedException {
      Files.createDirectories(dir);
      Path err = dir.resolve("serve.err");
      List<String> cmd =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx384m",
              "-cp",
              System.getProperty("java.class.path"),
              Main.class.getName(),
              "serve",
              "--port",
              "0",
              "--data",
              dir.toString(),
              "--db",
              db);
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(dir.resolve("serve.out").toFile())
              .redirectError(err.toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        Matcher m = LISTENING.matcher(Files.readString(err, StandardCharsets.UTF_8));
        if (m.find()) {
          return new Node(p, err, m.group(1));
        }
        if (!p.isAlive()) {
          break;
        }
        Thread.sleep(100);
      }
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          "ktriage serve did not start: " + Files.readString(err, StandardCharsets.UTF_8));
    }

    boolean alive() {
      return process.isAlive();
    }

    String log() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
