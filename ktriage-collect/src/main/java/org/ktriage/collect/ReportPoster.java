package org.ktriage.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Posts one report to a crash service ({@code POST /api/v1/reports}, the API of {@code ktriage
 * serve}) and says what came of it: accepted, worth retrying (no answer, 5xx, 429, 408, or 401/403
 * — a token can be fixed between runs), or refused for good (another 4xx: the report itself is
 * wrong for the service).
 */
public final class ReportPoster {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final URI reports;
  private final @Nullable String token;
  private final HttpClient http;

  /** A poster to the service at {@code base} (e.g. {@code http://crash.example:8080}). */
  public ReportPoster(URI base, @Nullable String token) {
    String b = base.toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.reports = URI.create(this.base + "/api/v1/reports");
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** What came of a post. */
  public sealed interface Outcome {}

  /** The service keeps the report (new or the same bytes as before). */
  public record Accepted(
      long id, @Nullable Long bucketId, boolean created, @Nullable String title, String url)
      implements Outcome {}

  /** Try again later; {@code retryAfter} when the service said when. */
  public record Retry(String reason, OptionalLong retryAfterSeconds) implements Outcome {}

  /** The service will never take this report. */
  public record Refused(int status, String message) implements Outcome {}

  /** Posts {@code o}; never throws for network trouble (that is a {@link Retry}). */
  public Outcome post(Outgoing o) throws InterruptedException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(reports)
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "application/json")
            .header("X-Ktriage-Host", o.host())
            .header("X-Ktriage-Seen", o.seen().toString())
            .POST(HttpRequest.BodyPublishers.ofString(o.document(), StandardCharsets.UTF_8));
    if (!o.labels().isEmpty()) {
      req.header("X-Ktriage-Labels", String.join(",", o.labels()));
    }
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r;
    try {
      r = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      String m = e.getMessage();
      return new Retry(
          reports.getAuthority()
              + ": "
              + (m == null || m.isBlank() ? e.getClass().getSimpleName() : m),
          OptionalLong.empty());
    }
    int s = r.statusCode();
    String error = errorOf(r.body());
    if (s == 200 || s == 201) {
      JsonNode n;
      try {
        n = JSON.readTree(r.body());
      } catch (IOException e) {
        return new Retry("answer is not JSON: " + e.getMessage(), OptionalLong.empty());
      }
      if (n == null || !n.hasNonNull("id")) {
        return new Retry("answer has no report id", OptionalLong.empty());
      }
      return new Accepted(
          n.get("id").asLong(),
          n.hasNonNull("bucketId") ? n.get("bucketId").asLong() : null,
          n.path("created").asBoolean(false),
          n.hasNonNull("title") ? n.get("title").asText() : null,
          base + n.path("url").asText("/api/v1/reports/" + n.get("id").asLong()));
    }
    if (s >= 500 || s == 429 || s == 408 || s == 401 || s == 403 || s == 404) {
      OptionalLong after = OptionalLong.empty();
      String ra = r.headers().firstValue("Retry-After").orElse(null);
      if (ra != null && ra.strip().matches("\\d{1,6}")) {
        after = OptionalLong.of(Long.parseLong(ra.strip()));
      }
      return new Retry("HTTP " + s + (error.isEmpty() ? "" : ": " + error), after);
    }
    return new Refused(s, error.isEmpty() ? "HTTP " + s : error);
  }

  private static String errorOf(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        return n.get("error").asText();
      }
    } catch (IOException e) {
      // not the service's JSON error: show the start of the body
    }
    String b = body.strip().replaceAll("\\s+", " ");
    return b.length() > 200 ? b.substring(0, 200) + "…" : b;
  }
}
