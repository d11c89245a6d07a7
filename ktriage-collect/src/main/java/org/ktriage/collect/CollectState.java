package org.ktriage.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the collector remembers, in its own directory (default {@code /var/lib/ktriage/collect}):
 * {@code state.json} maps each material's key to what became of it ({@code sent} with the report
 * id, {@code no-crash}, {@code refused}), and {@code outbox/} holds diagnosed reports not yet
 * accepted, so that a service that is away costs a retry, never a second diagnosis of a vmcore. A
 * lock on {@code lock} keeps two collectors (the boot unit and a kdump hook) from sending the same
 * report. Files are replaced atomically (written beside, then renamed).
 */
public final class CollectState implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What became of one material. */
  public record Entry(
      String status,
      Instant at,
      String where,
      @Nullable Long reportId,
      @Nullable String url,
      @Nullable String title,
      @Nullable String note) {}

  /** Statuses that end a material's story: it is not read again. */
  static final List<String> DONE = List.of("sent", "no-crash", "refused");

  private final Path dir;
  private final Path stateFile;
  private final Path outbox;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private CollectState(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.stateFile = dir.resolve("state.json");
    this.outbox = dir.resolve("outbox");
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (creating) the state directory and takes its lock, waiting for another collector to end.
   *
   * @throws IOException when the directory cannot be used or its state file is not ours
   */
  public static CollectState open(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("outbox"));
    FileChannel ch =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.lock();
    } catch (IOException | OverlappingFileLockException e) {
      ch.close();
      throw new IOException(dir.resolve("lock") + ": cannot lock: " + e.getMessage(), e);
    }
    CollectState s = new CollectState(dir, ch, l);
    try {
      s.load();
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void load() throws IOException {
    if (!Files.exists(stateFile)) {
      return;
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(stateFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException(stateFile + ": not a collector state file: " + e.getMessage(), e);
    }
    JsonNode materials = root == null ? null : root.get("materials");
    if (materials == null || !materials.isObject()) {
      throw new IOException(stateFile + ": not a collector state file (no \"materials\" object)");
    }
    for (var e : materials.properties()) {
      JsonNode v = e.getValue();
      entries.put(
          e.getKey(),
          new Entry(
              text(v, "status", "sent"),
              Instant.parse(text(v, "at", Instant.EPOCH.toString())),
              text(v, "where", ""),
              v.hasNonNull("reportId") ? v.get("reportId").asLong() : null,
              v.hasNonNull("url") ? v.get("url").asText() : null,
              v.hasNonNull("title") ? v.get("title").asText() : null,
              v.hasNonNull("note") ? v.get("note").asText() : null));
    }
  }

  private static String text(JsonNode n, String f, String dflt) {
    JsonNode v = n.get(f);
    return v == null || v.isNull() ? dflt : v.asText();
  }

  /** What became of a material, when known. */
  public Optional<Entry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** Whether a material's story is over (sent, no crash, refused). */
  public boolean done(String key) {
    Entry e = entries.get(key);
    return e != null && DONE.contains(e.status());
  }

  /** Records what became of a material and saves the state. */
  public void record(String key, Entry e) throws IOException {
    entries.put(key, e);
    save();
  }

  private void save() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    ObjectNode materials = root.putObject("materials");
    entries.forEach(
        (k, e) -> {
          ObjectNode o = materials.putObject(k);
          o.put("status", e.status());
          o.put("at", e.at().toString());
          o.put("where", e.where());
          o.put("reportId", e.reportId());
          o.put("url", e.url());
          o.put("title", e.title());
          o.put("note", e.note());
        });
    writeAtomically(stateFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  /** Puts a diagnosed report in the outbox (replacing one of the same material). */
  public void queue(Outgoing o) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("key", o.key());
    n.put("where", o.where());
    n.put("host", o.host());
    ArrayNode labels = n.putArray("labels");
    o.labels().forEach(labels::add);
    n.put("seen", o.seen().toString());
    n.put("title", o.title());
    n.put("document", o.document());
    writeAtomically(outboxFile(o.key()), JSON.writeValueAsString(n));
  }

  /** The reports waiting in the outbox, oldest first. */
  public List<Outgoing> outbox() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(outbox, "*.json")) {
      ds.forEach(files::add);
    }
    files.sort(Comparator.comparing(Path::toString));
    List<Outgoing> out = new ArrayList<>();
    for (Path f : files) {
      JsonNode n;
      try {
        n = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
      } catch (IOException e) {
        continue; // a torn file cannot come from writeAtomically; not ours
      }
      if (n == null || !n.hasNonNull("key") || !n.hasNonNull("document")) {
        continue;
      }
      List<String> labels = new ArrayList<>();
      n.path("labels").forEach(l -> labels.add(l.asText()));
      out.add(
          new Outgoing(
              n.get("key").asText(),
              text(n, "where", ""),
              text(n, "host", "localhost"),
              labels,
              Instant.parse(text(n, "seen", Instant.EPOCH.toString())),
              n.hasNonNull("title") ? n.get("title").asText() : null,
              n.get("document").asText()));
    }
    return out;
  }

  /** Removes a report from the outbox (the collector's own file). */
  public void unqueue(String key) throws IOException {
    Files.deleteIfExists(outboxFile(key));
  }

  /** Whether a material waits in the outbox. */
  public boolean queued(String key) {
    return Files.exists(outboxFile(key));
  }

  private Path outboxFile(String key) {
    return outbox.resolve(MaterialFinder.sha256(key) + ".json");
  }

  /** Where temporary files of this collector go. */
  public Path tmpDir() {
    return dir.resolve("tmp");
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".new");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
