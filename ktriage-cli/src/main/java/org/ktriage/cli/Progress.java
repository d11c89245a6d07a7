package org.ktriage.cli;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A one-line progress note on stderr for work that takes longer than a second, shown only when
 * stderr is a terminal, and erased when the work ends.
 */
final class Progress implements AutoCloseable {
  private static final long DELAY_MILLIS = 1000;

  private final PrintWriter err;
  private final boolean enabled;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService ticker;
  private volatile String stage = "";
  private boolean shown;
  private boolean closed;

  Progress(Terminal terminal) {
    this.err = terminal.err();
    this.enabled = terminal.stderrTty();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ktriage-progress");
              t.setDaemon(true);
              return t;
            });
    if (enabled) {
      // ended by shutdownNow() in close(); a tick that throws only stops the ticking
      var unused = ticker.scheduleAtFixedRate(this::tick, DELAY_MILLIS, 250, TimeUnit.MILLISECONDS);
    }
  }

  /** Names what is being done now ("reading vmcore"). */
  void stage(String what) {
    stage = what;
  }

  private synchronized void tick() {
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    err.print("\r\u001b[2Kktriage: " + stage + " … " + seconds + "s");
    err.flush();
    shown = true;
  }

  /** Stops and erases the progress line; later calls do nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (shown) {
        err.print("\r\u001b[2K");
        err.flush();
      }
    }
  }
}
