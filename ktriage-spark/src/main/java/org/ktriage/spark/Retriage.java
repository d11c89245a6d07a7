package org.ktriage.spark;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.Analyzer;
import org.ktriage.analysis.bucket.TriageResult;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.render.json.JsonRenderer;

/**
 * Re-triages raw reports one at a time, the way {@code ktriage triage} does a file (the same {@link
 * Ingest} reader, lenient, and the same {@link Analyzer}): the raw bytes go to a private temporary
 * file, are read and analysed, and the file is deleted. One instance per Spark partition (an {@link
 * Analyzer} is not shared between threads).
 */
public final class Retriage {
  private final Analyzer analyzer = new Analyzer();
  private final JsonRenderer json = new JsonRenderer();
  private final Path dir;

  /** A re-triage whose temporary files go to a new directory under {@code tmp}. */
  public Retriage(Path tmp) throws IOException {
    Files.createDirectories(tmp);
    this.dir = Files.createTempDirectory(tmp, "ktriage-retriage");
  }

  /** The re-triage of one report; never throws for a report it cannot read. */
  public Triaged triage(RawReport r) {
    Path file = dir.resolve("report-" + r.id());
    try {
      Files.write(file, r.raw());
      CrashReport report = Ingest.read(List.of(file), Strictness.LENIENT);
      Diagnosis d = analyzer.analyze(report);
      StringWriter w = new StringWriter();
      json.render(d, w);
      return Triaged.of(
          r.id(),
          TriageResult.of(r.name(), d, null),
          w.toString().replace(file.toString(), r.name()));
    } catch (UnreadableInputException e) {
      String reason = oneLine(e.getMessage());
      String prefix = file + ": ";
      return unreadable(r, reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason);
    } catch (IOException e) {
      return unreadable(r, oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
    } catch (RuntimeException | StackOverflowError e) {
      return unreadable(
          r, "internal error: " + oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // the directory goes with the executor's temporary space
      }
    }
  }

  /** Deletes the temporary directory (empty once every report is done). */
  public void close() {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // left to the executor's temporary space
    }
  }

  private static Triaged unreadable(RawReport r, String reason) {
    return Triaged.of(r.id(), TriageResult.unreadable(r.name(), reason), null);
  }

  private static String oneLine(@Nullable String s) {
    if (s == null) {
      return "unknown error";
    }
    String line = s.strip().replaceAll("\\s*\\R\\s*", "; ");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
