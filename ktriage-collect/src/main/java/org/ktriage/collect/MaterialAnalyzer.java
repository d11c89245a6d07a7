package org.ktriage.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.LogRecord;
import org.ktriage.render.json.JsonRenderer;

/**
 * Diagnoses material on the host exactly as {@code ktriage analyze --format json} does (same
 * ingest, same {@link Analyzer}, same JSON) and adds what the service keeps beside it: {@code
 * collected} (host identity, where the material was, the collector's version) and {@code kernelLog}
 * (the kernel log ktriage read, one {@code [seconds.micros] text} line per record, its tail when
 * longer than {@link #MAX_LOG_CHARS}). Both are added fields; the contract's fields are untouched.
 * A vmcore is read where it lies and never sent.
 */
public final class MaterialAnalyzer {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The longest kernel log sent (characters); longer logs keep their end, where crashes are. */
  public static final int MAX_LOG_CHARS = 8 << 20;

  private final Path tmpDir;
  private final HostIdentity identity;
  private final List<String> labels;
  private final String version;

  /**
   * An analyzer writing assembled pstore text under {@code tmpDir} (its own files, removed after).
   */
  public MaterialAnalyzer(Path tmpDir, HostIdentity identity, List<String> labels, String version) {
    this.tmpDir = tmpDir;
    this.identity = identity;
    this.labels = List.copyOf(labels);
    this.version = version;
  }

  /** What the diagnosis found: something to send, or no crash. */
  public sealed interface Result {}

  /** A crash, ready to send. */
  public record Crash(Outgoing outgoing) implements Result {}

  /** The material holds no crash. */
  public record NoCrash() implements Result {}

  /**
   * Reads and diagnoses one material.
   *
   * @throws IOException when it cannot be read at all
   */
  public Result analyze(Material m) throws IOException {
    Path tmp = null;
    List<Path> inputs = m.files();
    try {
      if (m.assembledText() != null) {
        Files.createDirectories(tmpDir);
        tmp = Files.createTempFile(tmpDir, "pstore-", ".txt");
        Files.writeString(tmp, m.assembledText(), StandardCharsets.ISO_8859_1);
        inputs = List.of(tmp);
      }
      CrashReport report = Ingest.read(inputs, Strictness.LENIENT);
      Diagnosis d = new Analyzer().analyze(report);
      boolean crash = d.title() != null || report.hasCrash();
      if (!crash) {
        return new NoCrash();
      }
      StringWriter w = new StringWriter();
      new JsonRenderer().render(d, w);
      String json = w.toString();
      if (tmp != null) {
        // the sources and evidence name the records, not the collector's temporary file
        String quoted = JSON.writeValueAsString(m.where());
        json = json.replace(tmp.toString(), quoted.substring(1, quoted.length() - 1));
      }
      ObjectNode doc = (ObjectNode) JSON.readTree(json);
      doc.set("collected", collected(m));
      String log = kernelLog(report.log());
      boolean truncated = log.length() > MAX_LOG_CHARS;
      if (truncated) {
        int from = log.indexOf('\n', log.length() - MAX_LOG_CHARS);
        log = log.substring(from < 0 ? log.length() - MAX_LOG_CHARS : from + 1);
      }
      doc.put("kernelLog", log);
      doc.put("kernelLogTruncated", truncated);
      List<String> sent = new ArrayList<>(labels);
      sent.add("source=" + m.kind().id());
      return new Crash(
          new Outgoing(
              m.key(),
              m.where(),
              identity.hostname(),
              sent,
              m.seen(),
              d.title(),
              JSON.writeValueAsString(doc)));
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private JsonNode collected(Material m) {
    ObjectNode c = JSON.createObjectNode();
    c.put("host", identity.hostname());
    c.put("machineId", identity.machineId());
    c.put("collectorRelease", identity.runningRelease());
    c.put("source", m.kind().id());
    c.put("where", m.where());
    ArrayNode files = c.putArray("files");
    for (Path f : m.files()) {
      files.add(f.toAbsolutePath().normalize().toString());
    }
    c.put("savedAt", m.seen().toString());
    c.put("collector", "ktriage " + version);
    return c;
  }

  /** The log as {@code dmesg} prints it: {@code [%5d.%06d] text}, or the bare text without time. */
  static String kernelLog(List<LogRecord> records) {
    StringBuilder sb = new StringBuilder();
    for (LogRecord r : records) {
      @Nullable Long ts = r.timestampNanos();
      if (ts != null) {
        sb.append(String.format("[%5d.%06d] ", ts / 1_000_000_000L, (ts % 1_000_000_000L) / 1000));
      }
      sb.append(r.text()).append('\n');
    }
    return sb.toString();
  }
}
