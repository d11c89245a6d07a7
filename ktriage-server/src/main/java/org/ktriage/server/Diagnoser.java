package org.ktriage.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.Analyzer;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.render.RenderOptions;
import org.ktriage.render.html.HtmlRenderer;
import org.ktriage.render.json.JsonRenderer;

/**
 * Diagnoses an upload the way {@code ktriage analyze} and {@code ktriage triage} do (same reader,
 * same {@link Analyzer}, same signature), or takes the diagnosis a host already made with {@code
 * ktriage analyze --format json}.
 */
final class Diagnoser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonRenderer RENDERER = new JsonRenderer();

  private final ReportReader reader;

  Diagnoser(Path tmpDir, long maxInflatedBytes) {
    this.reader = new ReportReader(tmpDir, maxInflatedBytes);
  }

  /** Diagnoses the bytes of one upload; {@code sha256} names it in sources and evidence. */
  Diagnosed diagnose(byte[] body, String sha256) throws IOException {
    if (looksLikeJson(body)) {
      return fromContractJson(body);
    }
    return reader.read(body, sha256, (report, readPath) -> diagnosed(report, readPath, sha256));
  }

  /**
   * A diagnosis made on the upload as sent, and the text to store in its place with machine and
   * network identities removed (see {@link Scrubber}).
   *
   * @param text the plain (inflated) text of the upload, scrubbed: Latin-1 bytes of the original
   *     except where something was replaced
   */
  @SuppressWarnings("ArrayRecordComponent") // stored once, never compared
  record Scrubbed(Diagnosed diagnosed, byte[] text) {}

  /**
   * Diagnoses an upload, then scrubs what is stored of it: its text and its diagnosis JSON (the
   * signature and title come from the unscrubbed text, so buckets do not change).
   *
   * @param host the host name the submitter gave, removed too
   */
  Scrubbed diagnoseScrubbed(byte[] body, String sha256, @Nullable String host) throws IOException {
    if (looksLikeJson(body)) {
      Diagnosed d = fromContractJson(body);
      Scrubber s = new Scrubber(java.util.Arrays.asList(d.hostname(), host));
      String json = s.scrub(d.diagnosisJson());
      return new Scrubbed(scrubbed(d, json), json.getBytes(StandardCharsets.UTF_8));
    }
    return reader.read(
        body,
        sha256,
        (report, readPath) -> {
          Diagnosed d = diagnosed(report, readPath, sha256);
          Scrubber s = new Scrubber(java.util.Arrays.asList(d.hostname(), host));
          // Latin-1 maps each byte to one char and back: only the replaced spans change
          String text =
              new String(
                  java.nio.file.Files.readAllBytes(Path.of(readPath)), StandardCharsets.ISO_8859_1);
          return new Scrubbed(
              scrubbed(d, s.scrub(d.diagnosisJson())),
              s.scrub(text).getBytes(StandardCharsets.ISO_8859_1));
        });
  }

  private static Diagnosed scrubbed(Diagnosed d, String json) {
    return new Diagnosed(
        d.contentKind(),
        d.crashFound(),
        d.signature(),
        d.title(),
        d.failureClass(),
        d.kernelRelease(),
        null,
        d.function(),
        d.module(),
        json);
  }

  /** The full HTML report of a stored text upload, rendered by the report renderer. */
  String html(byte[] body, String sha256, String version) throws IOException {
    return reader.read(
        body,
        sha256,
        (CrashReport report, String readPath) -> {
          Diagnosis d = new Analyzer().analyze(report);
          StringWriter w = new StringWriter();
          new HtmlRenderer(new RenderOptions(false, version)).render(d, w);
          return w.toString().replace(readPath, uploadName(sha256));
        });
  }

  private static Diagnosed diagnosed(CrashReport report, String readPath, String sha256)
      throws IOException {
    Diagnosis d = new Analyzer().analyze(report);
    boolean crash = d.title() != null || report.hasCrash();
    // stored and served as data: the renderer's tree written compact (the same document as
    // analyze --format json, without its indenting, which costs CPU and bytes on every report)
    String json = JSON.writeValueAsString(RENDERER.toTree(d));
    return new Diagnosed(
        "text",
        crash,
        crash ? d.signature() : null,
        d.title(),
        d.failureClass().id(),
        report.kernel().release(),
        report.kernel().hostname(),
        d.primary() == null ? null : d.primary().function(),
        d.primary() == null ? null : d.primary().module(),
        json.replace(readPath, uploadName(sha256)));
  }

  /** How an upload is named in its diagnosis (its sources and evidence). */
  static String uploadName(String sha256) {
    return "sha256:" + sha256;
  }

  static boolean looksLikeJson(byte[] body) {
    for (byte b : body) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{';
    }
    return false;
  }

  private static Diagnosed fromContractJson(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new ApiException(
          400, "malformed JSON: " + ServerMessages.oneLine(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(400, "malformed JSON: not an object");
    }
    JsonNode schema = root.get("schemaVersion");
    if (schema == null || !schema.isInt()) {
      throw new ApiException(
          422, "JSON without schemaVersion: not the output of ktriage analyze --format json");
    }
    if (schema.intValue() != JsonRenderer.SCHEMA_VERSION) {
      throw new ApiException(
          422,
          "JSON schemaVersion "
              + schema.intValue()
              + " is not supported (this server reads "
              + JsonRenderer.SCHEMA_VERSION
              + ")");
    }
    String title = text(root, "title");
    String signature = text(root, "signature");
    String failureClass = text(root, "class");
    JsonNode crashFound = root.get("crashFound");
    boolean crash =
        (crashFound != null && crashFound.isBoolean()) ? crashFound.booleanValue() : title != null;
    if (crash && signature == null) {
      throw new ApiException(422, "JSON shows a crash but has no signature");
    }
    JsonNode kernel = root.get("kernel");
    String release = kernel == null ? null : text(kernel, "release");
    String host = kernel == null ? null : text(kernel, "hostname");
    JsonNode primary = root.get("primary");
    String function = primary == null ? null : text(primary, "function");
    String module = primary == null ? null : text(primary, "module");
    return new Diagnosed(
        "json",
        crash,
        crash ? signature : null,
        title,
        failureClass == null ? "unknown" : failureClass,
        release,
        host,
        function,
        module,
        root.toString());
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isTextual() ? null : v.textValue();
  }
}
