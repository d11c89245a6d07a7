package org.ktriage.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.input.CorruptContainerException;
import org.ktriage.ingest.input.InputFormats;
import org.ktriage.ingest.input.Inputs;
import org.ktriage.model.CrashReport;

/**
 * The one seam between the service and the ingest layer: turns the bytes of an uploaded report (any
 * input {@code ktriage analyze} reads as text, raw or in any container of ingest's {@link
 * InputFormats} registry) into a {@link CrashReport}. Containers are recognised and inflated by
 * ingest ({@link Inputs#unwrap(Path, long)}) under the service's own cap, into a temporary file, so
 * a decompression bomb costs at most the cap in temporary disk and never memory; the plain text
 * then goes through {@link Ingest#read} as a file, exactly as {@code analyze} reads it. Unlike
 * {@code analyze}, which reads what a cut or capped container gave as a PARTIAL report, the service
 * refuses such an upload: the sender still has it whole.
 */
final class ReportReader {
  private final Path tmpDir;
  private final long maxInflatedBytes;

  ReportReader(Path tmpDir, long maxInflatedBytes) {
    this.tmpDir = tmpDir;
    this.maxInflatedBytes = maxInflatedBytes;
  }

  /** What a reader makes of an upload: the report, and the path its sources and evidence name. */
  interface Consumer<T> {
    T accept(CrashReport report, String readPath) throws IOException;
  }

  /**
   * Reads an uploaded report and hands it, with the temporary path its sources and evidence name,
   * to {@code then} before the temporary files go away.
   *
   * @throws ApiException 413 when it inflates beyond the cap, 400 when its compressed data is cut
   *     or corrupt, 422 when it is not a kernel report
   */
  <T> T read(byte[] body, String name, Consumer<T> then) throws IOException {
    Files.createDirectories(tmpDir);
    Path dir = Files.createTempDirectory(tmpDir, "upload-");
    Path file = dir.resolve(name);
    Path packed = dir.resolve(name + ".packed");
    try {
      InputFormats f = InputFormats.sniff(body, Math.min(body.length, InputFormats.SNIFF_BYTES));
      if (f != null && f.reader() instanceof InputFormats.Container) {
        Files.write(packed, body);
        inflate(packed, file);
      } else {
        Files.write(file, body);
      }
      CrashReport report;
      try {
        report = Ingest.read(List.of(file), Strictness.LENIENT);
      } catch (UnreadableInputException e) {
        throw new ApiException(422, "not a readable kernel report: " + unnamed(e, file));
      }
      return then.accept(report, file.toString());
    } finally {
      Files.deleteIfExists(packed);
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  /** Inflates the containers of {@code packed} into {@code out}, or refuses the upload. */
  private void inflate(Path packed, Path out) throws IOException {
    try (Inputs.Opened in = Inputs.unwrap(packed, maxInflatedBytes)) {
      String container = in.containers().get(0).id();
      try (OutputStream o = Files.newOutputStream(out)) {
        in.stream().transferTo(o);
      }
      if (in.inflatedBeyondCap()) {
        throw new ApiException(
            413,
            container
                + " body inflates beyond the limit of "
                + (maxInflatedBytes >> 20)
                + " MiB (decompression bomb?)");
      }
      List<String> problems = in.problems();
      if (!problems.isEmpty()) {
        throw new ApiException(
            400, "corrupt " + container + " body: " + unnamed(problems.get(0), packed));
      }
    } catch (CorruptContainerException e) {
      throw new ApiException(400, unnamed(e, packed));
    } catch (UnreadableInputException e) {
      throw new ApiException(422, "not a readable kernel report: " + unnamed(e, packed));
    }
  }

  /** An ingest message without the temporary file's name it starts with. */
  private static String unnamed(Exception e, Path file) {
    return unnamed(String.valueOf(e.getMessage()), file);
  }

  private static String unnamed(String m, Path file) {
    String prefix = file + ": ";
    return ServerMessages.oneLine(m.startsWith(prefix) ? m.substring(prefix.length()) : m);
  }
}
