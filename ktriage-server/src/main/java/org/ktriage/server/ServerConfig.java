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
    return new ServerConfig(
        "127.0.0.1",
        8080,
        dataDir,
        null,
        null,
        null,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_INFLATED_BYTES,
        null,
        false,
        DEFAULT_KEEP_RETIRED);
  }

  /** This configuration on another port. */
  public ServerConfig withPort(int p) {
    return new ServerConfig(
        host,
        p,
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

  /** This configuration on another database. */
  public ServerConfig withJdbc(@Nullable String url, @Nullable String user, @Nullable String pw) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        url,
        user,
        pw,
        maxBodyBytes,
        maxInflatedBytes,
        userHeader,
        scrub,
        keepRetired);
  }

  /** This configuration with other size limits. */
  public ServerConfig withLimits(long body, long inflated) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        jdbcUrl,
        jdbcUser,
        jdbcPassword,
        body,
        inflated,
        userHeader,
        scrub,
        keepRetired);
  }

  /** This configuration trusting a reverse proxy's user header (null: trusting none). */
  public ServerConfig withUserHeader(@Nullable String header) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        jdbcUrl,
        jdbcUser,
        jdbcPassword,
        maxBodyBytes,
        maxInflatedBytes,
        header,
        scrub,
        keepRetired);
  }

  /** This configuration with scrubbing of stored text on or off. */
  public ServerConfig withScrub(boolean on) {
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
        on,
        keepRetired);
  }

  /** This configuration keeping this many retired triage generations. */
  public ServerConfig withKeepRetired(int keep) {
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
        keep);
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
