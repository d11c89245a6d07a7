package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client is answered about an upload that is already in the shared ingest queue (a node died
 * holding it, the client sends it again): it is answered stored exactly when it is stored, refused
 * exactly when it is not, and an upload whose diagnosis fails for a reason that is not the upload's
 * stays queued. On H2 and on PostgreSQL.
 */
class IngestOutcomeTest {
  /** Uploads waiting at once in one round. */
  private static final int UPLOADS = 48;

  /** Uploads the worker refuses, in one round. */
  private static final int REFUSED = 4;

  /** How long the rounds of the race below go on (a round always runs). */
  private static final Duration ROUNDS = Duration.ofSeconds(25);

  @TempDir Path tmp;

  private static String sha(byte[] b) {
    return HexFormat.of().formatHex(RuleBookVersion.sha256().digest(b));
  }

  private static byte[] variant(byte[] base, String line) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(base);
    out.write(('\n' + line + '\n').getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** An upload as a node that died after accepting it leaves it: queued, claimable now. */
  private static IngestQueue.Pending orphan(byte[] body) {
    return new IngestQueue.Pending(
        sha(body),
        Instant.now().minus(IngestQueue.OWNER_GRACE).minusSeconds(1),
        null,
        null,
        "builder-1",
        null,
        List.of(),
        body);
  }

  /** Posts an upload until it is answered other than 202 (still queued after the wait). */
  private static HttpResponse<String> repost(Backend b, byte[] body) throws Exception {
    HttpResponse<String> r;
    do {
      r = b.post("/api/v1/reports", body);
    } while (r.statusCode() == 202);
    return r;
  }

  /**
   * A client sends again uploads a dead node left queued while this node's queue worker stores
   * them: each request waits for its upload's outcome, and the worker's commit (report in, queue
   * row out) may land between the request's two looks (is it stored? is it still queued?). It must
   * be answered stored, never refused (the race is run for a bounded time, in rounds).
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aRepostWaitingWhileAQueueWorkerStoresItIsAnsweredStored(String backend) throws Exception {
    try (Backend b = Backend.start(backend, tmp)) {
      IngestQueue queue = new IngestQueue(b.server.dataSource());
      byte[] base = CrashServerTest.corpus("100");
      ExecutorService client = Executors.newFixedThreadPool(UPLOADS);
      int posted = 0;
      try {
        long end = System.nanoTime() + ROUNDS.toNanos();
        int round = 0;
        do {
          List<Future<HttpResponse<String>>> answers = new ArrayList<>();
          for (int i = 0; i < UPLOADS; i++) {
            byte[] body = variant(base, "round " + round + " upload " + i);
            assertThat(queue.enqueue(orphan(body))).isPresent();
            answers.add(client.submit(() -> repost(b, body)));
          }
          // and uploads the worker refuses (no kernel text): answered with the refusal's reason
          for (int i = 0; i < REFUSED; i++) {
            byte[] body =
                ("a shopping list, round " + round + " item " + i + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            assertThat(queue.enqueue(orphan(body))).isPresent();
            answers.add(client.submit(() -> repost(b, body)));
          }
          for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> r = answers.get(i).get(5, TimeUnit.MINUTES);
            if (i < UPLOADS) {
              assertThat(r.statusCode()).as("round %d: %s", round, r.body()).isEqualTo(200);
            } else {
              assertThat(r.statusCode()).as("round %d: %s", round, r.body()).isEqualTo(422);
              assertThat(r.body()).contains("not a readable kernel report");
            }
          }
          posted += UPLOADS; // the refused ones are not stored
          round++;
        } while (System.nanoTime() < end);
      } finally {
        client.shutdownNow();
      }
      assertThat(queue.depth()).isZero();
      try (var c = b.server.dataSource().getConnection();
          var st = c.createStatement();
          var rs = st.executeQuery("SELECT COUNT(*) FROM report")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(posted);
      }
    }
  }

  /**
   * A queue worker interrupted (its node stopping) as it diagnoses an upload it claimed gives the
   * row back: the accepted upload is not dropped as if its diagnosis had refused it, and a worker
   * stores it later.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aWorkerInterruptedMidDiagnosisGivesTheUploadBack(String backend) throws Exception {
    try (Backend b = Backend.start(backend, tmp)) {
      IngestQueue queue = new IngestQueue(b.server.dataSource());
      byte[] body = variant(CrashServerTest.corpus("100"), "interrupted");
      String sha = sha(body);
      // accepted just now: the node's own workers leave it alone for the owner's grace
      IngestQueue.Pending p =
          new IngestQueue.Pending(
              sha, Instant.now(), null, null, "builder-1", null, List.of(), body);
      long id = queue.enqueue(p).orElseThrow();
      try (IngestQueue.Claim held = queue.claim(id).orElseThrow()) {
        Thread.currentThread().interrupt();
        try {
          assertThatThrownBy(() -> b.server.ingest().diagnoseAndStore(held))
              .isInstanceOfSatisfying(
                  ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        } finally {
          Thread.interrupted();
        }
      }
      assertThat(queue.queued(sha)).as("the accepted upload is still queued").isTrue();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (new Store(b.server.dataSource()).findBySha(sha).isEmpty()) {
        assertThat(System.nanoTime()).as("not stored by a worker").isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(queue.depth()).isZero();
    }
  }
}
