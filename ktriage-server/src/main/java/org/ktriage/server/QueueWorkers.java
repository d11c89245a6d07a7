package org.ktriage.server;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The diagnosis workers of one server node: threads that take rows of the shared {@link
 * IngestQueue} that no node holds and whose accepting node has had its {@linkplain
 * IngestQueue#OWNER_GRACE grace} (in practice: uploads of a node that died mid-work), diagnose them
 * and store them. Every node runs them, so any surviving node finishes the work.
 */
final class QueueWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueWorkers.class);

  /** Pause between looks at an empty queue. */
  static final long IDLE_MILLIS = 500;

  private final IngestQueue queue;
  private final IngestApi ingest;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  QueueWorkers(IngestQueue queue, IngestApi ingest, int count) {
    this.queue = queue;
    this.ingest = ingest;
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(this::run, "ktriage-queue-worker-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  private void run() {
    while (!stopping) {
      boolean worked = false;
      try {
        worked = takeOne();
      } catch (SQLException | RuntimeException e) {
        if (!stopping) {
          LOG.warn("queue worker: {}", ServerMessages.oneLine(String.valueOf(e.getMessage())));
        }
      }
      if (!worked) {
        try {
          TimeUnit.MILLISECONDS.sleep(IDLE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Diagnoses and stores one claimable upload; false when there was none. */
  boolean takeOne() throws SQLException {
    Optional<IngestQueue.Claim> claim = queue.claimNext(Instant.now());
    if (claim.isEmpty()) {
      return false;
    }
    try (IngestQueue.Claim held = claim.get()) {
      String sha = held.pending().sha256();
      try {
        Store.Stored s = ingest.diagnoseAndStore(held);
        LOG.info("queue worker: stored upload {} as report {}", sha, s.id());
      } catch (IOException | ApiException e) {
        LOG.warn(
            "queue worker: {} upload {}: {}",
            IngestApi.refuses(e) ? "refused" : "gave back",
            sha,
            ServerMessages.oneLine(String.valueOf(e.getMessage())));
        if (!IngestApi.refuses(e)) {
          return false; // the row is back in the queue: pause before the next look
        }
      }
    }
    return true;
  }

  @Override
  public void close() {
    stopping = true;
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
