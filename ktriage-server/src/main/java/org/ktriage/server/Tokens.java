package org.ktriage.server;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * API tokens per submitter, kept as SHA-256 digests. While no token exists the API is open (a fresh
 * {@code ktriage serve} on loopback just works); once one exists, every {@code /api/v1} request
 * needs {@code Authorization: Bearer TOKEN} with the {@code read} scope for reading and {@code
 * write} for posting.
 */
public final class Tokens {
  /** Scopes a token can hold. */
  public static final List<String> SCOPES = List.of("read", "write");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource ds;

  Tokens(DataSource ds) {
    this.ds = ds;
  }

  /** Who a token belongs to and what it may do. */
  record Holder(String name, Set<String> scopes) {}

  /**
   * Creates a token for a submitter and returns it; only its digest is stored, so this is the only
   * time it is seen.
   */
  public static String create(Database db, String name, Set<String> scopes) throws SQLException {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("token name must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    }
    if (scopes.isEmpty() || !SCOPES.containsAll(scopes)) {
      throw new IllegalArgumentException("scopes are read, write or read,write");
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = "kt_" + HexFormat.of().formatHex(secret);
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO api_token (name, token_sha256, scopes, created_at)"
                    + " VALUES (?, ?, ?, ?)")) {
      ps.setString(1, name);
      ps.setString(2, digest(token));
      ps.setString(3, String.join(",", new TreeSet<>(scopes)));
      ps.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
      ps.executeUpdate();
    }
    return token;
  }

  static String digest(String token) {
    return HexFormat.of()
        .formatHex(RuleBookVersion.sha256().digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** True when at least one token exists (the API is then closed to anonymous requests). */
  boolean any() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_token LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  /** The holder of a presented token, if it is known. */
  Optional<Holder> holder(String token) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT name, scopes FROM api_token WHERE token_sha256 = ?")) {
      ps.setString(1, digest(token));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Holder(rs.getString(1), Set.of(rs.getString(2).split(","))));
      }
    }
  }
}
