package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard's pages over HTTP, on H2 and on PostgreSQL: each page shows what its JSON API twin
 * answers, values are escaped, and the pages are closed without a token (or a trusted proxy's user
 * header), read-only tokens cannot change a bucket, and forms from other sites are refused with the
 * data left unchanged.
 */
class DashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void pagesShowWhatTheApiAnswers(String backend) throws Exception {
    try (Backend b = Backend.start(backend, tmp)) {
      JsonNode kasan =
          CrashServerTest.json(
              b.post(
                  "/api/v1/reports?host=builder-1&release=6.1.0-56-amd64&label=ci",
                  CrashServerTest.corpus("5")));
      JsonNode ubsan =
          CrashServerTest.json(
              b.post("/api/v1/reports?host=web-3&release=6.2.0", CrashServerTest.corpus("40")));
      long kasanBucket = kasan.get("bucketId").longValue();

      HttpResponse<String> root = b.get("/");
      assertThat(root.statusCode()).isEqualTo(303);
      assertThat(root.headers().firstValue("Location")).hasValue("/buckets");

      HttpResponse<String> list = b.get("/buckets");
      assertPage(list, 200);
      for (JsonNode bucket : CrashServerTest.json(b.get("/api/v1/buckets")).get("buckets")) {
        assertThat(list.body())
            .contains("href=\"/buckets/" + bucket.get("id").longValue() + "\"")
            .contains(escaped(bucket.get("title").textValue()));
      }

      // search: by host, by function, by module or title text; the page and its twin agree
      JsonNode detail = CrashServerTest.json(b.get("/api/v1/buckets/" + kasanBucket));
      String function = detail.get("functions").get(0).get("value").textValue();
      for (String q : List.of("builder-1", function, function.toUpperCase(java.util.Locale.ROOT))) {
        String query = "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
        JsonNode twin = CrashServerTest.json(b.get("/api/v1/buckets" + query)).get("buckets");
        assertThat(twin).as(q).hasSize(1);
        assertThat(twin.get(0).get("id").longValue()).isEqualTo(kasanBucket);
        HttpResponse<String> page = b.get("/buckets" + query);
        assertPage(page, 200);
        assertThat(page.body())
            .contains("href=\"/buckets/" + kasanBucket + "\"")
            .doesNotContain("href=\"/buckets/" + ubsan.get("bucketId").longValue() + "\"");
      }
      JsonNode byFunction =
          CrashServerTest.json(b.get("/api/v1/buckets?function=" + function)).get("buckets");
      assertThat(byFunction).hasSize(1);

      HttpResponse<String> bucket = b.get("/buckets/" + kasanBucket);
      assertPage(bucket, 200);
      assertThat(bucket.body())
          .contains(escaped(detail.get("title").textValue()))
          .contains("builder-1")
          .contains("6.1.0-56-amd64")
          .contains("<rect ")
          .contains("href=\"/reports/" + kasan.get("id").longValue() + "\"");

      HttpResponse<String> report = b.get("/reports/" + kasan.get("id").longValue());
      assertThat(report.statusCode()).isEqualTo(200);
      assertThat(report.headers().firstValue("Content-Security-Policy"))
          .hasValue(CrashServer.REPORT_CSP);
      assertThat(report.body())
          .isEqualTo(b.get("/api/v1/reports/" + kasan.get("id").longValue() + "/html").body());

      // releases: 6.2.0 is the newest; the UBSAN crash is new on it, the KASAN one is not
      HttpResponse<String> releases = b.get("/releases");
      assertPage(releases, 200);
      assertThat(releases.body().indexOf("6.2.0")).isLessThan(releases.body().indexOf("6.1.0"));
      JsonNode newOn = CrashServerTest.json(b.get("/api/v1/releases/6.2.0"));
      assertThat(newOn.get("new")).hasSize(1);
      assertThat(newOn.get("new").get(0).get("id").longValue())
          .isEqualTo(ubsan.get("bucketId").longValue());
      assertThat(newOn.get("regressed")).isEmpty();
      HttpResponse<String> release = b.get("/releases/6.2.0");
      assertPage(release, 200);
      assertThat(release.body())
          .contains("id=\"new-in-bucket-" + ubsan.get("bucketId").longValue() + "\"")
          .contains("id=\"regressed-in-empty\"");

      // refusals are pages too, and echo nothing unescaped
      HttpResponse<String> missing = b.get("/buckets/424242");
      assertPage(missing, 404);
      HttpResponse<String> bad = b.get("/buckets?class=%3Cscript%3Ex");
      assertPage(bad, 400);
      assertThat(bad.body()).doesNotContain("<script");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void tokensGuardThePagesAndTheirForms(String backend) throws Exception {
    try (Backend b = Backend.start(backend, tmp)) {
      long bucket =
          CrashServerTest.json(b.post("/api/v1/reports?host=h1", CrashServerTest.corpus("5")))
              .get("bucketId")
              .longValue();
      String reader = b.server.createToken("reader", Set.of("read"));
      String writer = b.server.createToken("writer", Set.of("read", "write"));

      HttpResponse<String> anonymous = b.get("/buckets?host=h1");
      assertThat(anonymous.statusCode()).isEqualTo(303);
      assertThat(anonymous.headers().firstValue("Location"))
          .hasValue("/login?next=%2Fbuckets%3Fhost%3Dh1");
      assertThat(send(b, "GET", "/buckets", Map.of("Cookie", "ktriage_token=kt_0"), null))
          .extracting(HttpResponse::statusCode)
          .isEqualTo(303);
      assertPage(send(b, "GET", "/login?next=/buckets", Map.of(), null), 200);

      HttpResponse<String> wrong = form(b, "/login", Map.of(), "token=kt_0&next=%2Fbuckets");
      assertPage(wrong, 401);
      assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
      // a sign-in never sends the browser to another site
      HttpResponse<String> in =
          form(b, "/login", Map.of(), "token=" + reader + "&next=//evil.example/");
      assertThat(in.statusCode()).isEqualTo(303);
      assertThat(in.headers().firstValue("Location")).hasValue("/buckets");
      assertThat(in.headers().firstValue("Set-Cookie").orElseThrow())
          .startsWith("ktriage_token=" + reader + ";")
          .contains("HttpOnly")
          .contains("SameSite=Strict");

      Map<String, String> readerCookie = Map.of("Cookie", "ktriage_token=" + reader);
      HttpResponse<String> page = send(b, "GET", "/buckets/" + bucket, readerCookie, null);
      assertPage(page, 200);
      assertThat(page.body()).contains(">reader<");
      assertPage(
          send(b, "GET", "/buckets", Map.of("Authorization", "Bearer " + writer), null), 200);

      String change = "status=fixed&fixedIn=6.9&note=n&link=";
      String path = "/buckets/" + bucket + "/lifecycle";
      assertPage(form(b, path, readerCookie, change), 403);
      assertPage(form(b, path, Map.of(), change), 401);
      Map<String, String> writerCookie = Map.of("Cookie", "ktriage_token=" + writer);
      Map<String, String> crossSite = new java.util.HashMap<>(writerCookie);
      crossSite.put("Origin", "https://evil.example");
      assertPage(form(b, path, crossSite, change), 403);
      assertThat(status(b, writer, bucket)).isEqualTo("new");

      Map<String, String> sameSite = new java.util.HashMap<>(writerCookie);
      sameSite.put("Origin", b.server.url());
      String markup = "status=fixed&fixedIn=6.9&note=%3Cscript%3Ealert(1)%3C%2Fscript%3E";
      HttpResponse<String> done = form(b, path, sameSite, markup);
      assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
      assertThat(status(b, writer, bucket)).isEqualTo("fixed");
      JsonNode events = api(b, writer, "/api/v1/buckets/" + bucket).get("lifecycle");
      assertThat(events.get(events.size() - 1).get("actor").textValue()).isEqualTo("writer");
      HttpResponse<String> shown = send(b, "GET", "/buckets/" + bucket, writerCookie, null);
      assertThat(shown.body())
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
          .doesNotContain("<script");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aTrustedProxysUserHeaderLetsIn(String backend) throws Exception {
    ServerConfig config =
        ServerConfig.defaults(tmp.resolve("data")).withUserHeader("X-Forwarded-User");
    try (Backend b = Backend.start(backend, tmp, config)) {
      long bucket =
          CrashServerTest.json(b.post("/api/v1/reports", CrashServerTest.corpus("5")))
              .get("bucketId")
              .longValue();
      // no token exists, yet the pages are closed: only the proxy lets people in
      assertThat(b.get("/buckets").statusCode()).isEqualTo(303);
      Map<String, String> bob = Map.of("X-Forwarded-User", "bob@example.org");
      HttpResponse<String> page = send(b, "GET", "/buckets/" + bucket, bob, null);
      assertPage(page, 200);
      assertThat(page.body()).contains(">bob@example.org<");
      HttpResponse<String> changed =
          form(b, "/buckets/" + bucket + "/lifecycle", bob, "note=seen+by+bob");
      assertThat(changed.statusCode()).as(changed.body()).isEqualTo(303);
      JsonNode events = CrashServerTest.json(b.get("/api/v1/buckets/" + bucket)).get("lifecycle");
      assertThat(events.get(0).get("actor").textValue()).isEqualTo("bob@example.org");
      assertThat(events.get(0).get("note").textValue()).isEqualTo("seen by bob");
    }
  }

  private static void assertPage(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""))
        .isEqualTo("text/html;charset=utf-8");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(DashboardHtml.CSP);
    assertThat(r.body()).startsWith("<!DOCTYPE html>").contains("</html>");
  }

  /** A value as jte writes it into HTML text. */
  private static String escaped(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&#34;")
        .replace("'", "&#39;");
  }

  private static String status(Backend b, String token, long bucket) throws Exception {
    return api(b, token, "/api/v1/buckets/" + bucket).get("status").textValue();
  }

  private static JsonNode api(Backend b, String token, String path) throws Exception {
    HttpResponse<String> r = send(b, "GET", path, Map.of("Authorization", "Bearer " + token), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> form(
      Backend b, String path, Map<String, String> headers, String body) throws Exception {
    Map<String, String> h = new java.util.HashMap<>(headers);
    h.put("Content-Type", "application/x-www-form-urlencoded");
    return send(b, "POST", path, h, body);
  }

  private static HttpResponse<String> send(
      Backend b, String method, String path, Map<String, String> headers, @Nullable String body)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(b.server.url() + path));
    List<String> flat = new ArrayList<>();
    headers.forEach(
        (k, v) -> {
          flat.add(k);
          flat.add(v);
        });
    if (!flat.isEmpty()) {
      r.headers(flat.toArray(String[]::new));
    }
    r.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return Backend.HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
