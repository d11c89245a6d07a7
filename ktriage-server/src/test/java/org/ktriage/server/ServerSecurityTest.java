package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile requests get the right 4xx with a one-line JSON error and leave the stored data as it
 * was: no token, wrong scope, unknown token, oversized bodies, decompression bombs, corrupt
 * compression, and SQL or HTML injection in every parameter, header and field.
 */
class ServerSecurityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> HOSTILE =
      List.of(
          "x' OR '1'='1",
          "1; DROP TABLE report; --",
          "<script>alert(1)</script>",
          "\"><img src=x onerror=alert(1)>",
          "a\nb",
          "x".repeat(300));

  @TempDir Path tmp;

  private static HttpResponse<String> send(
      Backend b, String method, String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(b.server.url() + path))
            .method(
                method,
                body.length == 0 && method.equals("GET")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return Backend.HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRefused(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.uri() + " -> " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(r.body().strip()).doesNotContain("\n");
    JsonNode e = JSON.readTree(r.body());
    assertThat(e.get("error").textValue()).isNotBlank();
  }

  /** Everything the API shows, to compare before and after an attack. */
  private static String snapshot(Backend b, String... auth) throws Exception {
    StringBuilder s = new StringBuilder();
    s.append(send(b, "GET", "/api/v1/buckets?limit=1000", new byte[0], auth).body());
    JsonNode buckets = JSON.readTree(s.toString()).get("buckets");
    for (JsonNode bucket : buckets) {
      s.append(
          send(b, "GET", "/api/v1/buckets/" + bucket.get("id").longValue(), new byte[0], auth)
              .body());
    }
    JsonNode health = JSON.readTree(send(b, "GET", "/health", new byte[0]).body());
    s.append(health.get("reports")).append(' ').append(health.get("buckets"));
    return s.toString();
  }

  private static String enc(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void tokensAndScopesGuardEveryApiRequest(String backend) throws Exception {
    try (Backend b = Backend.start(backend, tmp)) {
      byte[] raw = CrashServerTest.corpus("300");
      String writer = b.server.createToken("lab-writer", Set.of("write"));
      String reader = b.server.createToken("dashboard", Set.of("read"));
      assertThat(writer).startsWith("kt_").hasSize(67);

      assertRefused(b.post("/api/v1/reports", raw), 401);
      assertRefused(b.get("/api/v1/buckets"), 401);
      assertRefused(
          send(b, "GET", "/api/v1/buckets", new byte[0], "Authorization", "Bearer kt_nope"), 401);
      assertRefused(
          send(b, "POST", "/api/v1/reports", raw, "Authorization", "Bearer " + reader), 403);
      assertRefused(
          send(b, "GET", "/api/v1/buckets", new byte[0], "Authorization", "Bearer " + writer), 403);
      assertThat(snapshot(b, "Authorization", "Bearer " + reader)).contains("{\"buckets\":[]");

      HttpResponse<String> ok =
          send(b, "POST", "/api/v1/reports", raw, "Authorization", "Bearer " + writer);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
      long id = JSON.readTree(ok.body()).get("id").longValue();
      HttpResponse<String> report =
          send(b, "GET", "/api/v1/reports/" + id, new byte[0], "Authorization", "Bearer " + reader);
      assertThat(report.statusCode()).isEqualTo(200);
      // the health endpoint stays open for load balancers; it shows counts only
      assertThat(b.get("/health").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void oversizedBombsCorruptAndInjectedInputsAreRefusedAndChangeNothing(String backend)
      throws Exception {
    ServerConfig config = ServerConfig.defaults(tmp.resolve("data")).withLimits(256 << 10, 1 << 20);
    try (Backend b = Backend.start(backend, tmp, config)) {
      byte[] raw = CrashServerTest.corpus("400");
      HttpResponse<String> first = b.post("/api/v1/reports?host=h1&label=a", raw);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
      long bucket = JSON.readTree(first.body()).get("bucketId").longValue();
      String before = snapshot(b);

      // size: over the body limit, declared or streamed
      assertRefused(b.post("/api/v1/reports", new byte[(256 << 10) + 1]), 413);
      // a gzip bomb: 60 MB of zeros in about 60 KB, over the 1 MiB inflated cap
      ByteArrayOutputStream bomb = new ByteArrayOutputStream();
      try (GZIPOutputStream g = new GZIPOutputStream(bomb)) {
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < 60; i++) {
          g.write(zeros);
        }
      }
      assertThat(bomb.size()).isLessThan(256 << 10);
      assertRefused(b.post("/api/v1/reports", bomb.toByteArray()), 413);
      // corrupt compression, empty body, binary junk, JSON that is not the contract, bad JSON
      byte[] gz = CrashServerTest.gzip(raw);
      byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
      assertRefused(b.post("/api/v1/reports", cut), 400);
      assertRefused(b.post("/api/v1/reports", new byte[0]), 400);
      assertRefused(
          b.post("/api/v1/reports", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 9}), 422);
      assertRefused(
          b.post("/api/v1/reports", "{\"hello\": 1}".getBytes(StandardCharsets.UTF_8)), 422);
      assertRefused(
          b.post("/api/v1/reports", "{\"schemaVersion\": 1, ".getBytes(StandardCharsets.UTF_8)),
          400);
      assertRefused(send(b, "POST", "/api/v1/reports", raw, "Content-Encoding", "gzip"), 415);

      // injection in every parameter and header of ingest: refused before anything is stored
      byte[] other = CrashServerTest.corpus("403");
      List<HttpResponse<String>> refused = new ArrayList<>();
      for (String h : HOSTILE) {
        for (String p : List.of("host", "release", "label", "seen")) {
          refused.add(b.post("/api/v1/reports?" + p + "=" + enc(h), other));
        }
        for (String header :
            List.of("X-Ktriage-Host", "X-Ktriage-Release", "X-Ktriage-Labels", "X-Ktriage-Seen")) {
          if (!h.contains("\n")) {
            refused.add(send(b, "POST", "/api/v1/reports", other, header, h));
          }
        }
        // every query parameter of the bucket list
        for (String p :
            List.of(
                "class", "release", "host", "label", "status", "since", "until", "sort", "order",
                "limit", "offset")) {
          refused.add(b.get("/api/v1/buckets?" + p + "=" + enc(h)));
        }
        refused.add(b.get("/api/v1/buckets/" + enc(h)));
        refused.add(b.get("/api/v1/reports/" + enc(h)));
        // every field of a lifecycle change but the free-text note
        for (String f : List.of("status", "fixedIn", "link")) {
          refused.add(
              b.post(
                  "/api/v1/buckets/" + bucket + "/lifecycle",
                  JSON.createObjectNode().put(f, h).toString().getBytes(StandardCharsets.UTF_8),
                  "application/json"));
        }
      }
      for (HttpResponse<String> r : refused) {
        assertRefused(r, 400);
      }
      assertRefused(
          b.post(
              "/api/v1/buckets/" + bucket + "/lifecycle",
              "{\"bogus\":1}".getBytes(StandardCharsets.UTF_8),
              "application/json"),
          400);
      assertRefused(b.get("/api/v1/buckets/999999"), 404);
      assertRefused(b.get("/api/v1/no-such-thing"), 404);
      // a free-text title search with SQL in it finds nothing rather than everything
      JsonNode found = JSON.readTree(b.get("/api/v1/buckets?q=" + enc("' OR '1'='1")).body());
      assertThat(found.get("buckets").size()).isZero();

      assertThat(snapshot(b)).isEqualTo(before);

      // a note is free text: kept verbatim, returned as a JSON string, never interpreted
      String note = "<script>alert(1)</script> '; DROP TABLE bucket; --";
      HttpResponse<String> noted =
          b.post(
              "/api/v1/buckets/" + bucket + "/lifecycle",
              JSON.createObjectNode().put("note", note).toString().getBytes(StandardCharsets.UTF_8),
              "application/json");
      assertThat(noted.statusCode()).as(noted.body()).isEqualTo(200);
      assertThat(JSON.readTree(noted.body()).get("lifecycle").get(0).get("note").textValue())
          .isEqualTo(note);
      assertThat(JSON.readTree(b.get("/health").body()).get("buckets").longValue()).isEqualTo(1);
    }
  }
}
