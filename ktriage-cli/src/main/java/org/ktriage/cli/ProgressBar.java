package org.ktriage.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A redrawn {@code [#####.....] done/total rate} line on stderr, erased when closed. */
final class ProgressBar implements AutoCloseable {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final boolean enabled;
  private final int total;
  private final AtomicInteger done;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService ticker;
  private boolean shown;

  ProgressBar(PrintWriter err, boolean enabled, int total, AtomicInteger done) {
    this.err = err;
    this.enabled = enabled;
    this.total = total;
    this.done = done;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ktriage-progress");
              t.setDaemon(true);
              return t;
            });
    if (enabled) {
      ScheduledFuture<?> unused =
          ticker.scheduleAtFixedRate(this::draw, 200, 200, TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void draw() {
    int n = done.get();
    int filled = total == 0 ? WIDTH : (int) ((long) n * WIDTH / total);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    err.print(
        String.format(
            Locale.ROOT,
            "\r\u001b[2K[%s] %d/%d  %.0f inputs/s",
            bar,
            n,
            total,
            seconds > 0 ? n / seconds : 0.0));
    err.flush();
    shown = true;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (enabled && shown) {
        err.print("\r\u001b[2K");
        err.flush();
      }
    }
  }
}
