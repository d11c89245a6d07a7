package org.ktriage.server;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: the writes of many request threads go through one writer thread, which takes
 * whatever is waiting (up to a batch) and writes it in one transaction, so one commit (one WAL
 * flush on PostgreSQL, one chunk on H2) serves every request of the batch. A caller's {@link
 * #submit} returns only once its batch is committed, so nothing is answered before it is durable. A
 * batch that fails is retried one item at a time, so one bad item fails only its own caller.
 *
 * @param <T> what a caller writes
 * @param <R> what the caller gets back once it is committed
 */
final class GroupCommit<T, R> implements AutoCloseable {
  /** Writes a batch in one transaction and commits it; one result per item, in order. */
  interface Writer<T, R> {
    List<R> write(List<T> batch) throws SQLException;
  }

  private record Entry<T, R>(T item, CompletableFuture<R> done) {}

  private final BlockingQueue<Entry<T, R>> waiting = new LinkedBlockingQueue<>();
  private final Writer<T, R> writer;
  private final int maxBatch;
  private final Thread thread;
  private volatile boolean closed;

  GroupCommit(String name, int maxBatch, Writer<T, R> writer) {
    this.writer = writer;
    this.maxBatch = maxBatch;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Writes one item with whatever else is waiting; returns once its transaction is committed. */
  R submit(T item) throws SQLException {
    if (closed) {
      throw new SQLException("the service is stopping");
    }
    CompletableFuture<R> done = new CompletableFuture<>();
    waiting.add(new Entry<>(item, done));
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a commit", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException s) {
        throw s;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new SQLException(cause);
    }
  }

  private void run() {
    List<Entry<T, R>> batch = new ArrayList<>();
    while (!closed) {
      try {
        Entry<T, R> first = waiting.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        waiting.drainTo(batch, maxBatch - 1);
        write(batch);
      } catch (InterruptedException e) {
        break;
      } catch (Error e) {
        // out of memory or worse: the batch's callers get it, the writer goes on for the others
        for (Entry<T, R> failed : batch) {
          failed.done().completeExceptionally(e);
        }
      } finally {
        batch.clear();
      }
    }
    Entry<T, R> left;
    while ((left = waiting.poll()) != null) {
      left.done().completeExceptionally(new SQLException("the service is stopping"));
    }
  }

  private void write(List<Entry<T, R>> batch) {
    List<T> items = new ArrayList<>(batch.size());
    for (Entry<T, R> e : batch) {
      items.add(e.item());
    }
    try {
      List<R> results = writer.write(items);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).done().complete(results.get(i));
      }
    } catch (SQLException | RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).done().completeExceptionally(e);
        return;
      }
      for (Entry<T, R> one : batch) {
        write(List.of(one));
      }
    }
  }

  @Override
  public void close() {
    closed = true; // the writer finishes its batch and stops within its poll timeout
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
