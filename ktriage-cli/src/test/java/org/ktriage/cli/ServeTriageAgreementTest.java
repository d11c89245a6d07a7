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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.server.CrashServer;
import org.ktriage.server.ServerConfig;
import org.ktriage.testkit.PostgresCluster;

/**
 * Posting the shared syzkaller corpus to {@code ktriage serve} gives the buckets {@code ktriage
 * triage} gives on the same files (run in-process): same signatures, titles, classes, counts and
 * kernel releases, on H2 and on PostgreSQL. Files with identical bytes are one report to the server
 * (idempotent ingest), so both sides see one copy of each distinct content.
 */
class ServeTriageAgreementTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path tmp;
  private static Path corpus = Path.of("");
  private static TreeMap<String, String> triage = new TreeMap<>();

  @BeforeAll
  static void triageTheCorpus() throws Exception {
    corpus = Files.createDirectories(tmp.resolve("corpus"));
    SyzkallerBuckets.distinctCopy(corpus);
    triage = SyzkallerBuckets.ofTriage(corpus);
    assertThat(triage).hasSizeGreaterThan(100);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void postingTheCorpusGivesTheBucketsOfTriage(String backend) throws Exception {
    ServerConfig config = ServerConfig.defaults(tmp.resolve("data-" + backend)).withPort(0);
    if (backend.equals("postgresql")) {
      if (!PostgresCluster.installed()) {
        if (PostgresCluster.underCi()) {
          fail("PostgreSQL is not installed; ./run-tests installs Debian's postgresql package");
        }
        Assumptions.abort("PostgreSQL not installed (./run-tests installs it)");
      }
      config = config.withJdbc(PostgresCluster.shared().newDatabase(), null, null);
    }
    try (CrashServer server = CrashServer.start(config, "test")) {
      List<Path> files;
      try (Stream<Path> s = Files.list(corpus)) {
        files = s.sorted().toList();
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> statuses = new ArrayList<>();
        for (Path f : files) {
          statuses.add(pool.submit(() -> post(server, f)));
        }
        for (Future<Integer> s : statuses) {
          assertThat(s.get()).isIn(201, 422);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(SyzkallerBuckets.ofService(path -> get(server, path))).isEqualTo(triage);
    }
  }

  private static int post(CrashServer server, Path f) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/reports"))
                .POST(HttpRequest.BodyPublishers.ofFile(f))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static JsonNode get(CrashServer server, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
