package org.ktriage.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.ktriage.server.Store.ReportRow;

/** A report row as {@link StoreQueries} reads it: its columns, and its labels. */
final class ReportRows {
  private ReportRows() {}

  /** The row at {@code rs}'s cursor (the report columns of {@code StoreQueries}), with labels. */
  static ReportRow of(ResultSet rs, List<String> labels) throws SQLException {
    long id = rs.getLong(1);
    long bucket = rs.getLong(14);
    Long bucketId = rs.wasNull() ? null : bucket;
    return new ReportRow(
        id,
        rs.getString(2),
        StoreQueries.instant(rs, 3),
        StoreQueries.instant(rs, 4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        labels,
        rs.getString(8),
        rs.getLong(9),
        rs.getBoolean(10),
        rs.getString(11),
        rs.getString(12),
        rs.getString(13),
        bucketId,
        rs.getString(15));
  }

  static ReportRow withLabels(ReportRow r, List<String> labels) {
    return new ReportRow(
        r.id(),
        r.sha256(),
        r.receivedAt(),
        r.seenAt(),
        r.submitter(),
        r.host(),
        r.release(),
        labels,
        r.contentKind(),
        r.rawSize(),
        r.crashFound(),
        r.signature(),
        r.title(),
        r.failureClass(),
        r.bucketId(),
        r.rulebookVersion());
  }

  static List<String> labels(Connection c, long reportId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT label FROM report_label WHERE report_id = ? ORDER BY label")) {
      ps.setLong(1, reportId);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }
}
