package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A signature is unique per triage generation now (V20 added {@code bucket_generation_signature}),
 * no longer in the whole bucket table: drops V1's {@code UNIQUE (signature)}. The constraint has no
 * name in V1, so each database named it its own way; it is looked up in the standard {@code
 * information_schema}, which H2 and PostgreSQL both have.
 */
public class V21__bucket_signature_per_generation extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT tc.constraint_name FROM information_schema.table_constraints tc"
                + " JOIN information_schema.key_column_usage k"
                + " ON k.constraint_name = tc.constraint_name"
                + " AND k.constraint_schema = tc.constraint_schema"
                + " WHERE LOWER(tc.table_name) = 'bucket' AND tc.constraint_type = 'UNIQUE'"
                + " AND LOWER(k.column_name) = 'signature' AND tc.table_schema = CURRENT_SCHEMA")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    for (String name : names) {
      // names come from the catalogue, quoted as identifiers
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE bucket DROP CONSTRAINT \"" + name.replace("\"", "\"\"") + "\"");
      }
    }
  }
}
