package org.ktriage.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The service's database: a connection pool on the embedded H2 file (default) or the given JDBC URL
 * (PostgreSQL in production), migrated to the current schema by Flyway on open. The same migrations
 * ({@code db/migration}) run on both.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final String product;

  private Database(HikariDataSource pool, String product) {
    this.pool = pool;
    this.product = product;
  }

  /**
   * Opens (creating when needed) and migrates the database of a configuration.
   *
   * @throws IOException when the data directory cannot be made
   * @throws SQLException when the database cannot be reached or migrated
   */
  public static Database open(ServerConfig config) throws IOException, SQLException {
    if (config.jdbcUrl() == null) {
      Files.createDirectories(config.dataDir());
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(config.effectiveJdbcUrl());
    if (config.jdbcUser() != null) {
      hc.setUsername(config.jdbcUser());
    }
    if (config.jdbcPassword() != null) {
      hc.setPassword(config.jdbcPassword());
    }
    // ingest slots and queue workers each hold a connection while a report is diagnosed (the
    // claimed
    // queue row stays locked in its transaction), and reads go on beside them
    hc.setMaximumPoolSize(16);
    hc.setPoolName("ktriage-db");
    hc.setAutoCommit(true);
    hc.setInitializationFailTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new SQLException("cannot open database " + redact(config.effectiveJdbcUrl()), e);
    }
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
      String product;
      try (Connection c = pool.getConnection()) {
        product = c.getMetaData().getDatabaseProductName();
      }
      return new Database(pool, product);
    } catch (RuntimeException | SQLException e) {
      pool.close();
      throw e instanceof SQLException s
          ? s
          : new SQLException("cannot migrate database: " + e.getMessage(), e);
    }
  }

  /** A JDBC URL without its password parameter, for messages. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /** The pooled data source. */
  public DataSource dataSource() {
    return pool;
  }

  /** The database product ({@code H2}, {@code PostgreSQL}). */
  public String product() {
    return product;
  }

  @Override
  public void close() {
    pool.close();
  }
}
