package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at {@code /api/v1/openapi.json} describes the real responses: each
 * JSON response of every documented operation and status is checked against its schema (types,
 * nullability, required fields, enums, and no undocumented field), and every documented path is
 * exercised.
 */
class OpenApiContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private JsonNode doc = JSON.createObjectNode();
  private final TreeSet<String> exercised = new TreeSet<>();

  @Test
  void everyResponseMatchesTheDocument() throws Exception {
    try (Backend b = Backend.start("h2", tmp)) {
      HttpResponse<String> served = b.get("/api/v1/openapi.json");
      assertThat(served.statusCode()).isEqualTo(200);
      doc = JSON.readTree(served.body());
      assertThat(doc.get("openapi").textValue()).startsWith("3.");

      check("/health", "get", b.get("/health"));
      byte[] raw = CrashServerTest.corpus("100");
      HttpResponse<String> created = b.post("/api/v1/reports?host=h1&label=x", raw);
      check("/api/v1/reports", "post", created);
      check("/api/v1/reports", "post", b.post("/api/v1/reports", raw));
      check("/api/v1/reports", "post", b.post("/api/v1/reports?host=%27", raw));
      check(
          "/api/v1/reports",
          "post",
          b.post("/api/v1/reports", "plain words".getBytes(StandardCharsets.UTF_8)));
      JsonNode c = JSON.readTree(created.body());
      long id = c.get("id").longValue();
      long bucket = c.get("bucketId").longValue();
      check("/api/v1/reports/{id}", "get", b.get("/api/v1/reports/" + id));
      check("/api/v1/reports/{id}", "get", b.get("/api/v1/reports/99999"));
      check("/api/v1/reports/{id}/diagnosis", "get", b.get("/api/v1/reports/" + id + "/diagnosis"));
      check("/api/v1/reports/{id}/html", "get", b.get("/api/v1/reports/" + id + "/html"));
      check("/api/v1/reports/{id}/raw", "get", b.get("/api/v1/reports/" + id + "/raw"));
      check("/api/v1/buckets", "get", b.get("/api/v1/buckets?sort=lastSeen&order=asc"));
      check("/api/v1/buckets", "get", b.get("/api/v1/buckets?sort=nope"));
      check(
          "/api/v1/buckets/{id}/lifecycle",
          "post",
          b.post(
              "/api/v1/buckets/" + bucket + "/lifecycle",
              "{\"status\":\"fixed\",\"fixedIn\":\"6.9\",\"note\":\"n\",\"link\":\"https://example.org/x\"}"
                  .getBytes(StandardCharsets.UTF_8),
              "application/json"));
      check("/api/v1/buckets/{id}", "get", b.get("/api/v1/buckets/" + bucket));
      check("/api/v1/buckets/{id}", "get", b.get("/api/v1/buckets/424242"));
      check(
          "/api/v1/buckets",
          "get",
          b.get("/api/v1/buckets?q=h1&function=skb_release_data.cold&module=&release="));
      // another upload of the fixed crash on a later release: new there, and regressed
      b.post("/api/v1/reports?host=h2&release=6.10.1", CrashServerTest.gzip(raw));
      check("/api/v1/releases", "get", b.get("/api/v1/releases"));
      check("/api/v1/releases/{release}", "get", b.get("/api/v1/releases/6.10.1"));
      check("/api/v1/releases/{release}", "get", b.get("/api/v1/releases/%3Cx%3E"));
      // re-triage: none staged, start, preview, a wrong generation, discard, again and apply
      check("/api/v1/retriage/preview", "get", b.get("/api/v1/retriage/preview"));
      check("/api/v1/retriage", "get", b.get("/api/v1/retriage"));
      check("/api/v1/retriage", "post", b.post("/api/v1/retriage", new byte[0]));
      long g = RetriageTest.waitStaged(b.server.url()).get("staged").get("generation").longValue();
      check("/api/v1/retriage", "get", b.get("/api/v1/retriage"));
      check("/api/v1/retriage/preview", "get", b.get("/api/v1/retriage/preview"));
      check(
          "/api/v1/retriage/{generation}/apply",
          "post",
          b.post("/api/v1/retriage/" + (g + 7) + "/apply", new byte[0]));
      check(
          "/api/v1/retriage/{generation}/apply",
          "post",
          b.post("/api/v1/retriage/x/apply", new byte[0]));
      check(
          "/api/v1/retriage/{generation}/discard",
          "post",
          b.post("/api/v1/retriage/" + g + "/discard", new byte[0]));
      check("/api/v1/retriage", "post", b.post("/api/v1/retriage", new byte[0]));
      g = RetriageTest.waitStaged(b.server.url()).get("staged").get("generation").longValue();
      check(
          "/api/v1/retriage/{generation}/apply",
          "post",
          b.post("/api/v1/retriage/" + g + "/apply", new byte[0]));
    }
    List<String> documented = new ArrayList<>();
    doc.get("paths").fieldNames().forEachRemaining(documented::add);
    assertThat(exercised).containsAll(documented);
  }

  private void check(String path, String method, HttpResponse<String> r) throws Exception {
    exercised.add(path);
    JsonNode op = doc.get("paths").get(path).get(method);
    assertThat(op).as(method + " " + path + " documented").isNotNull();
    JsonNode response = resolve(op.get("responses").get(String.valueOf(r.statusCode())));
    assertThat(response)
        .as(method + " " + path + " status " + r.statusCode() + " documented: " + r.body())
        .isNotNull();
    String type = r.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "");
    JsonNode content = response.get("content").get(type);
    assertThat(content)
        .as(method + " " + path + " " + r.statusCode() + " content type " + type)
        .isNotNull();
    if (type.equals("application/json")) {
      List<String> problems = new ArrayList<>();
      validate(JSON.readTree(r.body()), content.get("schema"), "$", problems);
      assertThat(problems).as(method + " " + path + " " + r.statusCode()).isEmpty();
    }
  }

  private JsonNode resolve(JsonNode n) {
    while (n != null && n.has("$ref")) {
      JsonNode target = doc;
      for (String part : n.get("$ref").textValue().substring(2).split("/")) {
        target = target.get(part);
      }
      n = target;
    }
    return n;
  }

  private void validate(JsonNode v, JsonNode schemaRef, String at, List<String> problems) {
    JsonNode schema = resolve(schemaRef);
    if (v.isNull() && schema.path("nullable").asBoolean(false)) {
      return;
    }
    if (schema.has("allOf")) {
      // the parts together document the object: check each part's fields, then undocumented ones
      TreeSet<String> known = new TreeSet<>();
      for (JsonNode part : schema.get("allOf")) {
        JsonNode p = resolve(part);
        validateFields(v, p, at, problems);
        p.get("properties").fieldNames().forEachRemaining(known::add);
      }
      v.fieldNames()
          .forEachRemaining(
              f -> {
                if (!known.contains(f)) {
                  problems.add(at + "." + f + " is not documented");
                }
              });
      return;
    }
    if (v.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        problems.add(at + " is null but not nullable");
      }
      return;
    }
    String type = schema.path("type").asText("");
    boolean ok =
        switch (type) {
          case "object" -> v.isObject();
          case "array" -> v.isArray();
          case "string" -> v.isTextual();
          case "integer" -> v.isIntegralNumber();
          case "boolean" -> v.isBoolean();
          default -> true;
        };
    if (!ok) {
      problems.add(at + " is " + v.getNodeType() + ", documented " + type);
      return;
    }
    if (schema.has("enum")) {
      List<String> values = new ArrayList<>();
      schema.get("enum").forEach(e -> values.add(e.asText()));
      if (!values.contains(v.asText())) {
        problems.add(at + " = " + v + " not in " + values);
      }
    }
    if (v.isArray() && schema.has("items")) {
      for (int i = 0; i < v.size(); i++) {
        validate(v.get(i), schema.get("items"), at + "[" + i + "]", problems);
      }
    }
    if (v.isObject() && schema.has("properties")) {
      validateFields(v, schema, at, problems);
      if (!schema.path("additionalProperties").asBoolean(false)) {
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
          String f = it.next();
          if (!schema.get("properties").has(f)) {
            problems.add(at + "." + f + " is not documented");
          }
        }
      }
    }
  }

  private void validateFields(JsonNode v, JsonNode schema, String at, List<String> problems) {
    for (JsonNode req : schema.path("required")) {
      if (!v.has(req.textValue())) {
        problems.add(at + "." + req.textValue() + " is required but missing");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      if (v.has(p.getKey())) {
        validate(v.get(p.getKey()), p.getValue(), at + "." + p.getKey(), problems);
      }
    }
  }
}
