package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.Diagnosis;
import org.ktriage.render.json.JsonRenderer;
import org.ktriage.testkit.Shared;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Ingest, idempotence, buckets and lifecycle through the HTTP API, on H2 and on PostgreSQL. */
class CrashServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static byte[] corpus(String name) throws IOException {
    return Files.readAllBytes(Shared.path("corpus/syzkaller/report/" + name));
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return JSON.readTree(r.body());
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(b);
    }
    return out.toByteArray();
  }

  static byte[] xz(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (XZOutputStream x = new XZOutputStream(out, new LZMA2Options())) {
      x.write(b);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void sameBytesTwiceIsOneReportAndCompressedCopiesShareTheBucket(String backend) throws Exception {
    try (Backend b = Backend.start(backend, tmp)) {
      byte[] raw = corpus("100");
      HttpResponse<String> first =
          b.post("/api/v1/reports?host=builder-1&release=6.1.0-56-amd64&label=ci,nightly", raw);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
      JsonNode created = json(first);
      assertThat(created.get("created").booleanValue()).isTrue();
      long id = created.get("id").longValue();
      long bucket = created.get("bucketId").longValue();

      HttpResponse<String> again = b.post("/api/v1/reports?host=other", raw);
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(json(again).get("id").longValue()).isEqualTo(id);
      assertThat(json(again).get("created").booleanValue()).isFalse();

      // gzip and xz copies are other uploads (other bytes) of the same crash: same bucket
      for (byte[] packed : List.of(gzip(raw), xz(raw))) {
        HttpResponse<String> r =
            b.post("/api/v1/reports?host=builder-2&release=6.1.0-57-amd64", packed);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).get("bucketId").longValue()).isEqualTo(bucket);
      }

      String metrics = b.get("/metrics").body();
      assertThat(metrics)
          .contains("ktriage_reports_ingested_total{outcome=\"created\"} 3.0")
          .contains("ktriage_reports_ingested_total{outcome=\"duplicate\"} 1.0")
          .contains("ktriage_diagnosis_seconds_count 3")
          .contains("ktriage_ingest_in_flight 0.0");
      JsonNode detail = json(b.get("/api/v1/buckets/" + bucket));
      assertThat(detail.get("count").longValue()).isEqualTo(3);
      assertThat(detail.get("status").textValue()).isEqualTo("new");
      assertThat(detail.get("hosts").findValuesAsText("value"))
          .containsExactly("builder-2", "builder-1");
      assertThat(detail.get("releases").findValuesAsText("value"))
          .containsExactly("6.1.0-57-amd64", "6.1.0-56-amd64");
      assertThat(detail.get("labels").findValuesAsText("value")).containsExactly("ci", "nightly");
      assertThat(detail.get("days").size()).isEqualTo(1);
      assertThat(detail.get("days").get(0).get("count").longValue()).isEqualTo(3);

      // the report's diagnosis is what analyze --format json says of the same bytes
      Path file = tmp.resolve("100.log");
      Files.write(file, raw);
      Diagnosis d = new Analyzer().analyze(Ingest.read(List.of(file), Strictness.LENIENT));
      StringWriter w = new StringWriter();
      new JsonRenderer().render(d, w);
      JsonNode expected =
          JSON.readTree(
              w.toString().replace(file.toString(), "sha256:" + created.get("sha256").textValue()));
      JsonNode diagnosis = json(b.get("/api/v1/reports/" + id + "/diagnosis"));
      assertThat(diagnosis).isEqualTo(expected);
      assertThat(detail.get("title").textValue()).isEqualTo(d.title());
      assertThat(detail.get("signature").textValue()).isEqualTo(d.signature());

      JsonNode report = json(b.get("/api/v1/reports/" + id));
      assertThat(report.get("rulebookVersion").textValue())
          .isEqualTo(RuleBookVersion.current())
          .startsWith("rules-");
      assertThat(report.get("labels").findValuesAsText("labels")).isEmpty();
      assertThat(report.get("labels").toString()).isEqualTo("[\"ci\",\"nightly\"]");

      HttpResponse<String> html = b.get("/api/v1/reports/" + id + "/html");
      assertThat(html.statusCode()).isEqualTo(200);
      assertThat(html.headers().firstValue("Content-Security-Policy"))
          .hasValue("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      assertThat(html.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(html.body()).startsWith("<!DOCTYPE html>").doesNotContain(tmp.toString());
      assertThat(
              b.get("/api/v1/reports/" + id + "/raw")
                  .body()
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)
                  .length)
          .isEqualTo(raw.length);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aFixedBucketSeenAgainOnTheFixedReleaseIsRegressed(String backend) throws Exception {
    try (Backend b = Backend.start(backend, tmp)) {
      byte[] raw = corpus("200");
      long bucket =
          json(b.post("/api/v1/reports?release=6.8.0-rc2", raw)).get("bucketId").longValue();
      HttpResponse<String> fixed =
          b.post(
              "/api/v1/buckets/" + bucket + "/lifecycle",
              "{\"status\":\"fixed\",\"fixedIn\":\"6.8.0\",\"note\":\"fixed by commit abc\",\"link\":\"https://example.org/fix\"}"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8),
              "application/json");
      assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(200);
      assertThat(json(fixed).get("status").textValue()).isEqualTo("fixed");
      // an older release than the fix does not reopen it
      b.post("/api/v1/reports?release=6.8.0-rc3", gzip(raw));
      assertThat(json(b.get("/api/v1/buckets/" + bucket)).get("status").textValue())
          .isEqualTo("fixed");
      // the fixed release does
      b.post("/api/v1/reports?release=6.8.1", xz(raw));
      JsonNode after = json(b.get("/api/v1/buckets/" + bucket));
      assertThat(after.get("status").textValue()).isEqualTo("regressed");
      assertThat(after.get("lifecycle").findValuesAsText("status"))
          .containsExactly("fixed", "regressed");
      assertThat(after.get("lifecycle").get(1).get("note").textValue()).contains("6.8.1");
      // the list filters by status and release
      JsonNode regressed = json(b.get("/api/v1/buckets?status=regressed&release=6.8.1"));
      assertThat(regressed.get("buckets").findValuesAsText("id"))
          .containsExactly(String.valueOf(bucket));
      assertThat(json(b.get("/api/v1/buckets?status=new")).get("buckets").size()).isZero();
    }
  }
}
