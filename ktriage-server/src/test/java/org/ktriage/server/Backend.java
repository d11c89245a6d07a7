package org.ktriage.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.ktriage.testkit.PostgresCluster;

/**
 * A crash service on a fresh database of one backend, for tests: {@code h2} (embedded file in a
 * temp dir) or {@code postgresql} (a real server, see {@link PostgresCluster}). Without PostgreSQL
 * installed the PostgreSQL cases fail under CI and are skipped elsewhere.
 */
final class Backend implements AutoCloseable {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  final CrashServer server;

  private Backend(CrashServer server) {
    this.server = server;
  }

  static Backend start(String kind, Path tmp)
      throws IOException, SQLException, InterruptedException {
    return start(kind, tmp, ServerConfig.defaults(tmp.resolve("data")).withPort(0));
  }

  static Backend start(String kind, Path tmp, ServerConfig base)
      throws IOException, SQLException, InterruptedException {
    ServerConfig config = base.withPort(0);
    if (kind.equals("postgresql")) {
      if (!PostgresCluster.installed()) {
        if (PostgresCluster.underCi()) {
          fail("PostgreSQL is not installed; ./run-tests installs Debian's postgresql package");
        }
        Assumptions.abort("PostgreSQL not installed (./run-tests installs it)");
      }
      config = config.withJdbc(PostgresCluster.shared().newDatabase(), null, null);
    } else if (!kind.equals("h2")) {
      throw new IllegalArgumentException(kind);
    }
    return new Backend(CrashServer.start(config, "test"));
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
    return post(path, body, "application/octet-stream");
  }

  HttpResponse<String> post(String path, byte[] body, String type)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.close();
  }
}
