package org.ktriage.ingest.input;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.ReadLimits;

/**
 * Opens one input for the readers: a regular file, or standard input named {@code -}. Anything else
 * that is not a regular file (a FIFO, a device, a socket) is refused, so that no command ever
 * blocks on it. Compressed containers are unwrapped (inflating at most {@link
 * ReadLimits#INFLATED_BYTES} or the caller's smaller cap; cut or corrupt compressed data ends the
 * content where it stops, and {@link Opened#problems()} says so); what remains is recognised
 * through {@link InputFormats}.
 */
public final class Inputs {
  /** The name that stands for standard input. */
  public static final String STDIN = "-";

  private Inputs() {}

  /** True when {@code p} names standard input. */
  public static boolean isStdin(Path p) {
    return p.toString().equals(STDIN);
  }

  /** The name shown for an input. */
  public static String shown(Path p) {
    return isStdin(p) ? "standard input" : p.toString();
  }

  /**
   * Refuses what cannot be read as one input file: a missing path, a non-regular file (a FIFO or
   * device could block forever), an unreadable one. Standard input ({@code -}) passes.
   */
  public static void checkFile(Path p) throws UnreadableInputException {
    if (isStdin(p)) {
      return;
    }
    if (!Files.exists(p)) {
      throw new UnreadableInputException(p + ": no such file");
    }
    if (!Files.isRegularFile(p)) {
      throw new UnreadableInputException(
          p
              + ": not a regular file (a FIFO, device or socket is not read; pipe it in as '-'"
              + " instead)");
    }
    if (!Files.isReadable(p)) {
      throw new UnreadableInputException(p + ": permission denied");
    }
  }

  /** Opens {@code p} ({@code -}: {@code stdin}), unwraps its containers and recognises it. */
  public static Opened open(Path p, InputStream stdin) throws UnreadableInputException {
    return open(p, stdin, ReadLimits.INFLATED_BYTES);
  }

  /**
   * Opens {@code p} ({@code -}: {@code stdin}), unwraps its containers, each inflating at most
   * {@code inflatedCap} bytes ({@link ReadLimits#INFLATED_BYTES} for every command; a caller that
   * bounds its own work, such as a fuzz target, passes a smaller one, never a larger one), and
   * recognises it.
   */
  public static Opened open(Path p, InputStream stdin, long inflatedCap)
      throws UnreadableInputException {
    if (inflatedCap > ReadLimits.INFLATED_BYTES) {
      throw new IllegalArgumentException(
          "inflated cap " + inflatedCap + " is above ReadLimits.INFLATED_BYTES");
    }
    return open(p, stdin, inflatedCap, true);
  }

  /**
   * Opens the file {@code p} and unwraps its containers, each inflating at most {@code inflatedCap}
   * bytes (a service that takes uploads sets its own, smaller cap), without recognising what they
   * hold: binary content is the caller's to refuse, after it has seen whether the cap was reached.
   */
  public static Opened unwrap(Path p, long inflatedCap) throws UnreadableInputException {
    return open(p, InputStream.nullInputStream(), inflatedCap, false);
  }

  private static Opened open(Path p, InputStream stdin, long inflatedCap, boolean recognise)
      throws UnreadableInputException {
    if (inflatedCap <= 0) {
      throw new IllegalArgumentException("inflated cap " + inflatedCap + " is not positive");
    }
    checkFile(p);
    String name = shown(p);
    InputStream raw = null;
    try {
      raw = isStdin(p) ? stdin : Files.newInputStream(p);
      Opened o = new Opened(name, isStdin(p) ? null : p, raw, inflatedCap);
      o.recognise(recognise);
      return o;
    } catch (UnreadableInputException e) {
      closeQuietly(raw);
      throw e;
    } catch (IOException e) {
      closeQuietly(raw);
      throw new UnreadableInputException(name + ": " + oneLine(e), e);
    }
  }

  private static void closeQuietly(@Nullable InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the first failure is what matters
      }
    }
  }

  static String oneLine(Exception e) {
    String m = e.getMessage();
    return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
  }

  /** An opened input: its containers, its recognised format, and its content. */
  public static final class Opened implements Closeable {
    private final String name;
    private final @Nullable Path file;
    private InputStream stream;
    private final List<InputFormats> containers = new ArrayList<>();
    private final List<CappedInputStream> inflated = new ArrayList<>();
    private @Nullable InputFormats format;
    private @Nullable Path spooled;
    private final long inflatedCap;

    Opened(String name, @Nullable Path file, InputStream raw, long inflatedCap) {
      this.name = name;
      this.file = file;
      this.inflatedCap = inflatedCap;
      this.stream = new BufferedInputStream(raw, InputFormats.SNIFF_BYTES);
    }

    /** Unwraps the containers; {@code content}: the content must be of a known format too. */
    private void recognise(boolean content) throws IOException {
      while (true) {
        stream.mark(InputFormats.SNIFF_BYTES);
        byte[] head = new byte[InputFormats.SNIFF_BYTES];
        int n = stream.readNBytes(head, 0, head.length);
        stream.reset();
        if (n == 0) {
          throw new UnreadableInputException(
              name
                  + (!containers.isEmpty()
                      ? ": the compressed data is empty"
                      : file == null ? ": nothing on standard input" : ": empty file"));
        }
        InputFormats f = InputFormats.sniff(head, n);
        if (f == null && content) {
          throw new UnreadableInputException(
              name
                  + ": binary data, neither a kernel log nor a known dump format (ELF, kdump,"
                  + " flattened) nor a known compression (gzip, xz, zstd, bzip2, lz4)");
        }
        if (f == null || !(f.reader() instanceof InputFormats.Container c)) {
          format = f;
          return;
        }
        if (containers.size() >= 2) {
          throw new UnreadableInputException(name + ": compression nested more than twice");
        }
        containers.add(f);
        InputStream inner;
        try {
          inner = c.unwrap().open(stream);
        } catch (IOException | RuntimeException e) {
          throw new CorruptContainerException(
              name + ": corrupt " + f.id() + " data: " + oneLine(e), e);
        }
        CappedInputStream capped = new CappedInputStream(inner, inflatedCap, name, f.id());
        inflated.add(capped);
        stream = new BufferedInputStream(capped, InputFormats.SNIFF_BYTES);
      }
    }

    /** The name shown in messages. */
    public String name() {
      return name;
    }

    /**
     * The recognised format of the content (never a container); only {@link #unwrap} leaves it
     * unknown, and then this throws.
     */
    public InputFormats format() {
      InputFormats f = format;
      if (f == null) {
        throw new IllegalStateException("not recognised");
      }
      return f;
    }

    /** The containers unwrapped, outermost first. */
    public List<InputFormats> containers() {
      return List.copyOf(containers);
    }

    /**
     * Why the content read so far ended before its containers' end (cut or corrupt compressed data,
     * the inflated cap), outermost first: each is a problem of a PARTIAL report. Complete once the
     * content has been read to its end.
     */
    public List<String> problems() {
      List<String> out = new ArrayList<>();
      for (CappedInputStream c : inflated) {
        String e = c.ending();
        if (e != null) {
          out.add(e);
        }
      }
      return out;
    }

    /** True when a container inflated beyond the cap (the content read is its first part). */
    public boolean inflatedBeyondCap() {
      return inflated.stream().anyMatch(CappedInputStream::capReached);
    }

    /** The content, streamed (for text). */
    public InputStream stream() {
      return stream;
    }

    /**
     * A file holding the content for random access (dumps): the input itself when it is a plain
     * file, else the content spooled to a temporary file (deleted on close), refused beyond {@link
     * ReadLimits#SPOOLED_BYTES}.
     */
    public Path file() throws UnreadableInputException {
      if (file != null && containers.isEmpty()) {
        return file;
      }
      if (spooled != null) {
        return spooled;
      }
      try {
        Path tmp = Files.createTempFile("ktriage-", ".vmcore");
        spooled = tmp;
        long total = 0;
        try (OutputStream out = Files.newOutputStream(tmp)) {
          byte[] buf = new byte[1 << 16];
          for (int r = stream.read(buf); r >= 0; r = stream.read(buf)) {
            total += r;
            if (total > ReadLimits.SPOOLED_BYTES) {
              throw new UnreadableInputException(
                  name
                      + ": a dump of more than "
                      + (ReadLimits.SPOOLED_BYTES >> 20)
                      + " MiB from a stream is not copied (ReadLimits.SPOOLED_BYTES); give it as"
                      + " a plain file");
            }
            out.write(buf, 0, r);
          }
        }
        return tmp;
      } catch (UnreadableInputException e) {
        throw e;
      } catch (IOException e) {
        throw new UnreadableInputException(
            name + ": cannot copy the dump to a temporary file: " + oneLine(e), e);
      }
    }

    /** Replaces the temporary file's name by the input's in a reader's message. */
    public String named(String message) {
      Path s = spooled;
      return s == null ? message : message.replace(s.toString(), name);
    }

    @Override
    public void close() throws IOException {
      try {
        stream.close();
      } finally {
        if (spooled != null) {
          Files.deleteIfExists(spooled);
        }
      }
    }
  }
}
