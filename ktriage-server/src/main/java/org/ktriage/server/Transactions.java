package org.ktriage.server;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One transaction around a piece of work: auto-commit off, the work, commit; on any failure a
 * rollback and the failure thrown; auto-commit back on in every case. Every multi-statement write
 * of the store (ingest, queue, re-triage, apply, discard, lifecycle) goes through here.
 */
final class Transactions {
  private Transactions() {}

  /** Work on an open transaction; what it returns is returned once committed. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in one transaction on a connection of {@code ds}, then frees it. */
  static <T> T inTransaction(DataSource ds, Work<T> work) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return inTransaction(c, work);
    }
  }

  /** Runs {@code step} in one transaction on a connection of {@code ds}, then frees it. */
  static void run(DataSource ds, Store.TransactionStep step) throws SQLException {
    try (Connection c = ds.getConnection()) {
      inTransaction(
          c,
          conn -> {
            step.run(conn);
            return Boolean.TRUE;
          });
    }
  }

  /** Runs {@code work} in one transaction on {@code c} (auto-commit on before and after). */
  static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T out = work.run(c);
      c.commit();
      return out;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
