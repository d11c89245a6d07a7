package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The bucket search ({@code q}: a substring of a title, function, module or host, see {@code
 * StoreQueries.buckets}) is a {@code LIKE '%…%'}, which no B-tree serves. On PostgreSQL a trigram
 * GIN index (extension {@code pg_trgm}, shipped with Debian's postgresql package and trusted, so a
 * database owner may create it) serves it on the host, function and module counters, which grow
 * with the reports (the bucket titles are few). Without the extension the search stays a scan. H2
 * has no such index: its search is a scan of those counters.
 */
public class V22__search_trigram_index extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    if (!c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
      return;
    }
    Savepoint sp = c.setSavepoint();
    try (Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
    } catch (SQLException e) {
      c.rollback(sp); // not installed or not allowed: the search works, as a scan
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE INDEX bucket_facet_search ON bucket_facet USING gin"
              + " (LOWER(facet_value) gin_trgm_ops) WHERE facet IN ('function', 'module', 'host')");
    }
  }
}
