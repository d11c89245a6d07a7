package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The marks {@link LineReader} notes in its one pass over a line are exactly where the marked chars
 * are in the line it hands over: for lines split over its buffer's refills, cut at {@link
 * LineReader#MAX_LINE_BYTES}, and with more marked chars than it keeps.
 */
class LineReaderTest {
  private static final String MARKED = LogReader.MARKED;

  @Test
  void marksAreWhereTheMarkedCharsAreInEveryLine() throws IOException {
    Random random = new Random(16);
    List<byte[]> lines = new ArrayList<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    String alphabet = "abc xyz0123456789.<>#?" + MARKED;
    for (int i = 0; i < 400; i++) {
      int len =
          switch (i % 7) {
            case 0 -> LineReader.MAX_LINE_BYTES + random.nextInt(300); // cut
            case 1 -> 20_000 + random.nextInt(30_000); // across the 64 KiB buffer's refills
            case 2 -> random.nextInt(3);
            default -> random.nextInt(200);
          };
      byte[] line = new byte[len];
      for (int k = 0; k < len; k++) {
        line[k] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
      }
      if (i % 11 == 0 && len > 0) {
        line[random.nextInt(len)] = (byte) 0x1b; // a dirty line: its marks are not asked for
      }
      lines.add(line);
      all.writeBytes(line);
      all.write('\n');
    }
    byte[] data = all.toByteArray();
    check(new LineReader(new ByteArrayInputStream(data), MARKED), lines);
    check(new LineReader(oneByteAtATime(data), MARKED), lines);
  }

  private static void check(LineReader r, List<byte[]> lines) throws IOException {
    int complete = 0;
    for (byte[] line : lines) {
      assertThat(r.advance()).isTrue();
      int kept = Math.min(line.length, LineReader.MAX_LINE_BYTES);
      assertThat(r.lineLength()).isEqualTo(kept);
      if (!r.lineClean()) {
        continue;
      }
      List<Integer> expected = new ArrayList<>();
      for (int k = 0; k < kept; k++) {
        if (MARKED.indexOf(line[k]) >= 0) {
          expected.add(k);
        }
      }
      if (r.markCount() <= LineReader.MAX_MARKS) {
        complete++;
        List<Integer> got = new ArrayList<>();
        for (int j = 0; j < r.markCount(); j++) {
          got.add(r.marks()[j]);
        }
        assertThat(got).isEqualTo(expected);
      } else {
        // an incomplete list only where the line really has more marked chars than are kept
        assertThat(expected.size() > LineReader.MAX_MARKS || line.length > kept).isTrue();
      }
    }
    assertThat(r.advance()).isFalse();
    assertThat(complete).isGreaterThan(100);
  }

  @Test
  void aCursorFindsTheSameBracketsByMarksAsByScanning() throws IOException {
    String text = "[   12.345678] syzkaller login: [   16.300000] INFO: task x:1 blocked [<ff>]\n";
    LineReader r =
        new LineReader(
            new ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            MARKED);
    assertThat(r.advance()).isTrue();
    LineCursor c = new LineCursor();
    c.reset(r);
    assertThat(c.marksKnown()).isTrue();
    for (int from = 0; from <= c.n; from++) {
      assertThat(c.nextMark('[', from)).as("from %d", from).isEqualTo(c.indexOf('[', from));
      // a char the reader does not mark is found by scanning
      assertThat(c.nextMark('x', from)).isEqualTo(c.indexOf('x', from));
    }
  }

  private static InputStream oneByteAtATime(byte[] data) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }
}
