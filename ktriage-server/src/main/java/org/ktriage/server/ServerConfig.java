package org.ktriage.server;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How a crash service runs.
 *
 * @param host the address to listen on (loopback unless told otherwise)
 * @param port the TCP port; 0 picks a free one
 * @param dataDir where the embedded database lives (ignored with a JDBC URL)
 * @param jdbcUrl a database to use instead of the embedded one ({@code jdbc:postgresql://…}), or
 *     null
 * @param jdbcUser the database user for {@code jdbcUrl}, or null (also read from the URL)
 * @param jdbcPassword the database password, or null
 * @param maxBodyBytes the largest request body accepted (bytes as sent)
 * @param maxInflatedBytes the largest report accepted once decompressed (decompression-bomb cap)
 * @param userHeader the request header in which a reverse proxy in front of the server names the
 *     user it authenticated (e.g. {@code X-Forwarded-User}); a dashboard request carrying it is let
 *     in as that user without a token. Null: only tokens let in. Set it only when the proxy is the
 *     sole way in (it must strip the header from what clients send).
 * @param scrub whether to remove host names, IPv4/IPv6 and MAC addresses from the text stored of
 *     each new report and from its diagnosis (see {@code Scrubber}); the diagnosis, and so the
 *     bucket, is made before scrubbing
 * @param keepRetired how many retired triage generations (groupings a re-triage replaced) are kept
 *     after an apply, newest first; older ones are dropped, so the database does not grow with each
 *     re-triage
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    @Nullable String jdbcUrl,
    @Nullable String jdbcUser,
    @Nullable String jdbcPassword,
    long maxBodyBytes,
    long maxInflatedBytes,
    @Nullable String userHeader,
    boolean scrub,
    int keepRetired) {

  /** Default cap on a request body: a console log of a long-running machine, compressed or not. */
  public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;

  /** Default number of retired triage generations kept: the one before the current. */
  public static final int DEFAULT_KEEP_RETIRED = 1;

  /** Default cap on a decompressed report. */
  public static final long DEFAULT_MAX_INFLATED_BYTES = 256L << 20;

  /** The defaults: loopback, port 8080, embedded database under {@code dataDir}. */
  public static ServerConfig defaults(Path dataDir) {
    return new Builder(dataDir).build();
  }

  /** A builder holding this configuration, to change some of its settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** This configuration on another port. */
  public ServerConfig withPort(int p) {
    return toBuilder().port(p).build();
  }

  /** This configuration on another database. */
  public ServerConfig withJdbc(@Nullable String url, @Nullable String user, @Nullable String pw) {
    return toBuilder().jdbc(url, user, pw).build();
  }

  /** This configuration with other size limits. */
  public ServerConfig withLimits(long body, long inflated) {
    return toBuilder().limits(body, inflated).build();
  }

  /** This configuration trusting a reverse proxy's user header (null: trusting none). */
  public ServerConfig withUserHeader(@Nullable String header) {
    return toBuilder().userHeader(header).build();
  }

  /** This configuration with scrubbing of stored text on or off. */
  public ServerConfig withScrub(boolean on) {
    return toBuilder().scrub(on).build();
  }

  /** This configuration keeping this many retired triage generations. */
  public ServerConfig withKeepRetired(int keep) {
    return toBuilder().keepRetired(keep).build();
  }

  /** The settings of a {@link ServerConfig}, each changed on its own, then built at once. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private Path dataDir;
    private @Nullable String jdbcUrl;
    private @Nullable String jdbcUser;
    private @Nullable String jdbcPassword;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private long maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES;
    private @Nullable String userHeader;
    private boolean scrub;
    private int keepRetired = DEFAULT_KEEP_RETIRED;

    /** The defaults (see {@link ServerConfig#defaults}) for a data directory. */
    public Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    private Builder(ServerConfig c) {
      host = c.host;
      port = c.port;
      dataDir = c.dataDir;
      jdbcUrl = c.jdbcUrl;
      jdbcUser = c.jdbcUser;
      jdbcPassword = c.jdbcPassword;
      maxBodyBytes = c.maxBodyBytes;
      maxInflatedBytes = c.maxInflatedBytes;
      userHeader = c.userHeader;
      scrub = c.scrub;
      keepRetired = c.keepRetired;
    }

    /** The address to listen on. */
    public Builder host(String h) {
      host = h;
      return this;
    }

    /** The TCP port; 0 picks a free one. */
    public Builder port(int p) {
      port = p;
      return this;
    }

    /** The database (null URL: the embedded one), its user and password. */
    public Builder jdbc(@Nullable String url, @Nullable String user, @Nullable String pw) {
      jdbcUrl = url;
      jdbcUser = user;
      jdbcPassword = pw;
      return this;
    }

    /** The largest request body and the largest decompressed report. */
    public Builder limits(long body, long inflated) {
      maxBodyBytes = body;
      maxInflatedBytes = inflated;
      return this;
    }

    /** The reverse proxy's user header trusted (null: none). */
    public Builder userHeader(@Nullable String header) {
      userHeader = header;
      return this;
    }

    /** Scrubbing of stored text on or off. */
    public Builder scrub(boolean on) {
      scrub = on;
      return this;
    }

    /** How many retired triage generations are kept. */
    public Builder keepRetired(int keep) {
      keepRetired = keep;
      return this;
    }

    /** The configuration. */
    public ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          dataDir,
          jdbcUrl,
          jdbcUser,
          jdbcPassword,
          maxBodyBytes,
          maxInflatedBytes,
          userHeader,
          scrub,
          keepRetired);
    }
  }

  /**
   * The JDBC URL in use: the given one, or the embedded H2 file under the data directory. H2 writes
   * a commit to its file at once ({@code WRITE_DELAY=0}; its default, 500 ms, let a service killed
   * right after answering 201 lose the reports it had accepted, see {@code RetriageTest}).
   */
  public String effectiveJdbcUrl() {
    if (jdbcUrl != null) {
      return jdbcUrl;
    }
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("ktriage").toString()
        + ";WRITE_DELAY=0";
  }
}
