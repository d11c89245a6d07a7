package org.ktriage.ingest.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.input.InputFormats;
import org.ktriage.ingest.input.Inputs;
import org.ktriage.model.CrashReport;

/**
 * What {@link InputFormatsFuzzer} runs on each input: standard input read through {@code
 * Ingest.read} with a small inflation cap, and the check that a cap the content reaches is said.
 */
final class InflationCap {
  private InflationCap() {}

  /**
   * What each container may inflate to in the fuzz target: above every cap on content in {@code
   * ReadLimits} that a small input can reach (a line of {@code LINE_BYTES}, 64 KiB; {@code
   * REPORTS_PER_LOG} and {@code LINES_PER_REPORT} of short lines), far below the GiB a bomb costs
   * in production. At 1 MiB a bzip2 bomb still cost about 10 ms of the decoder's byte-at-a-time
   * loop, 78 % of the target's samples on its grown corpus.
   */
  static final long INFLATED_CAP = 128L << 10;

  /** How the problem names this cap ({@code CappedInputStream}). */
  private static final String CAP_SAID =
      "inflates beyond " + (INFLATED_CAP >> 10) + " KiB (the cap)";

  /**
   * Bytes past the cap that the independent inflation must reach before the cap counts as hit (a
   * decoder that fails on a cut or corrupt block may fail a request that ends before the block).
   */
  private static final int MARGIN = 128 << 10;

  /**
   * Reads {@code data} as standard input; when its innermost container holds more than the cap, the
   * report must be PARTIAL and say the cap was hit.
   *
   * @throws UnreadableInputException the one accepted failure
   * @throws AssertionError when the cap was hit but not said
   */
  static void readAndCheck(byte[] data) throws UnreadableInputException {
    CrashReport r = read(data);
    boolean said =
        r.completeness().partial()
            && r.completeness().problems().stream().anyMatch(p -> p.contains(CAP_SAID));
    // inflated again only when the cap is not said: a bomb, said, costs one inflation
    if (!said && innermostBeyondCap(data)) {
      throw new AssertionError(
          "the content inflates beyond the cap but the report does not say so: "
              + r.completeness());
    }
  }

  static CrashReport read(byte[] data) throws UnreadableInputException {
    return Ingest.read(
        List.of(Path.of(Inputs.STDIN)),
        Strictness.LENIENT,
        new ByteArrayInputStream(data),
        null,
        INFLATED_CAP);
  }

  /**
   * True when the containers around {@code data} inflate whole (each within the cap) down to the
   * innermost one, and that one inflates to more than the cap plus {@link #MARGIN} without a fault:
   * the readers read content to its end, so they must reach the cap. A cap hit in an outer
   * container is not asserted (the inner decoder may stop before it).
   */
  static boolean innermostBeyondCap(byte[] data) {
    byte[] content = data;
    for (int depth = 0; depth < 2; depth++) {
      if (!(reader(content) instanceof InputFormats.Container c)) {
        return false;
      }
      Inflated out = inflate(c, content, INFLATED_CAP + MARGIN + 1);
      if (out.bytes.length > INFLATED_CAP) {
        return out.bytes.length > INFLATED_CAP + MARGIN
            && !(reader(out.bytes) instanceof InputFormats.Container);
      }
      if (!out.whole) {
        return false;
      }
      content = out.bytes;
    }
    return false;
  }

  /** The reader of the format {@code content} starts with, or null. */
  private static InputFormats.@Nullable Reader reader(byte[] content) {
    InputFormats f =
        InputFormats.sniff(content, Math.min(content.length, InputFormats.SNIFF_BYTES));
    return f == null ? null : f.reader();
  }

  private record Inflated(byte[] bytes, boolean whole) {}

  /**
   * Up to {@code limit} bytes of what {@code c} inflates {@code packed} to, read as ingest reads.
   */
  private static Inflated inflate(InputFormats.Container c, byte[] packed, long limit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try (InputStream in = c.unwrap().open(new ByteArrayInputStream(packed))) {
      while (out.size() < limit) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, limit - out.size()));
        if (n < 0) {
          return new Inflated(out.toByteArray(), true);
        }
        out.write(buf, 0, n);
      }
      return new Inflated(out.toByteArray(), false);
    } catch (IOException | RuntimeException e) {
      return new Inflated(out.toByteArray(), false);
    }
  }
}
