package org.ktriage.ingest.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.dump.VmcoreReader;

/**
 * What every fuzz target shares: a dump held in memory, and the one accepted failure, the project's
 * own {@link UnreadableInputException} with a one-line message. Anything else thrown escapes to
 * Jazzer and is a finding.
 */
public final class FuzzInputs {
  private FuzzInputs() {}

  /** A body that may throw anything; only {@link UnreadableInputException} is swallowed. */
  public interface Body {
    void run() throws Exception;
  }

  public static void expectOnlyUnreadable(Body body) throws Exception {
    try {
      body.run();
    } catch (UnreadableInputException e) {
      String m = e.getMessage();
      if (m == null || m.isBlank() || m.indexOf('\n') >= 0) {
        throw new AssertionError("unreadable-input message is not one line: " + m, e);
      }
    }
  }

  /** Opens the sources as one dump and reads everything a report uses, leniently. */
  static void readDump(List<DumpSource> sources) throws Exception {
    expectOnlyUnreadable(
        () -> {
          try (Vmcore v = Vmcore.openSources(sources)) {
            VmcoreReader.lenient().read(v);
          }
        });
  }

  /** The shared material directory ({@code ../shared} of the repository). */
  static Path shared(String relative) {
    String base = System.getProperty("ktriage.shared", "../../shared");
    return Path.of(base).resolve(relative);
  }

  static boolean exists(Path p) {
    return Files.isRegularFile(p);
  }

  /** A read-only dump part held in a byte array. */
  static final class Bytes implements DumpSource {
    private final String name;
    private final byte[] data;
    private final int from;
    private final int to;

    Bytes(String name, byte[] data) {
      this(name, data, 0, data.length);
    }

    Bytes(String name, byte[] data, int from, int to) {
      this.name = name;
      this.data = data;
      this.from = from;
      this.to = to;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long size() {
      return to - from;
    }

    @Override
    public int read(long offset, byte[] dst, int dstOff, int len) throws IOException {
      if (offset < 0 || offset >= size() || len <= 0) {
        return 0;
      }
      int n = (int) Math.min(len, size() - offset);
      System.arraycopy(data, from + (int) offset, dst, dstOff, n);
      return n;
    }

    @Override
    public void close() {}
  }
}
