package org.ktriage.server.netconsole;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Ingests cut reports through the service's own API ({@code POST /api/v1/reports}), exactly as a
 * host posting its log would: the sender's IP address as {@code host}, labels {@code
 * source=netconsole} and {@code partial} for a report cut off by silence, the release the sender
 * prepended. Going through the API keeps the receiver apart from storage; a service with tokens
 * needs a write token here.
 */
public final class HttpReportSink implements ReportSink {
  private final URI reports;
  private final @Nullable String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A sink posting to the service at {@code base}. */
  public HttpReportSink(URI base, @Nullable String token) {
    String b = base.toString();
    this.reports = URI.create((b.endsWith("/") ? b : b + "/") + "api/v1/reports");
    this.token = token;
  }

  @Override
  public void submit(CutReport r) throws IOException, InterruptedException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(reports)
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("X-Ktriage-Host", r.host())
            .header(
                "X-Ktriage-Labels", r.partial() ? "source=netconsole,partial" : "source=netconsole")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    r.log().getBytes(StandardCharsets.ISO_8859_1)));
    if (r.release() != null) {
      req.header("X-Ktriage-Release", r.release());
    }
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200 && res.statusCode() != 201) {
      throw new IOException("HTTP " + res.statusCode() + ": " + res.body().strip());
    }
  }
}
