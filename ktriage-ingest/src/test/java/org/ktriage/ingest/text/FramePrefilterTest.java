package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.model.LogRecord;
import org.ktriage.testkit.Shared;

/**
 * The byte-level tests that keep most lines of a long log away from the regular expressions ({@link
 * ReportLine#mayBeFrame}, the bytes {@link LineReader} hands to {@link LogLineParser}) must never
 * change a result: checked on every line of the lab console logs and syzkaller's reports.
 */
class FramePrefilterTest {

  /** Every frame form {@link ReportLine#frame} reads. */
  private static final List<Pattern> FRAME_FORMS =
      List.of(
          ReportLine.NEW_FRAME,
          ReportLine.OLD_FRAME,
          ReportLine.ARM32_FRAME,
          ReportLine.ADDR_FRAME,
          ReportLine.PPC_FRAME,
          ReportLine.DECODED_FRAME);

  private static List<Path> realLogs() throws IOException {
    List<Path> lab;
    try (Stream<Path> s = Files.list(Shared.path("lab/out"))) {
      lab = s.map(d -> d.resolve("console.log")).filter(Files::exists).toList();
    }
    List<Path> syz;
    try (Stream<Path> s = Files.list(Shared.path("corpus/syzkaller/report"))) {
      syz = s.filter(Files::isRegularFile).toList();
    }
    return Stream.concat(lab.stream(), syz.stream()).sorted().toList();
  }

  @Test
  void noLineTheFrameCheckRulesOutIsAFrame() throws IOException {
    List<Path> logs = realLogs();
    assertThat(logs).hasSizeGreaterThan(100);
    long lines = 0;
    long ruledOut = 0;
    long frames = 0;
    for (Path log : logs) {
      for (LogRecord r : LogReaderRealFilesTest.read(log)) {
        String text = r.text();
        int from = ReportBuilder.firstNonSpace(text);
        lines++;
        if (ReportLine.frame(text, from, r.source()) != null) {
          frames++;
        }
        if (ReportShapes.mayBeFrame(text, from)) {
          continue;
        }
        ruledOut++;
        String t = text.substring(from).stripTrailing();
        for (Pattern form : FRAME_FORMS) {
          assertThat(form.matcher(t).lookingAt())
              .as("%s:%d ruled out but matches %s: %s", log, r.source().line(), form, t)
              .isFalse();
        }
        assertThat(t).as("%s:%d", log, r.source().line()).doesNotStartWith("#");
      }
    }
    // the check does work (syzkaller reports are half frames), and the frames are still read
    assertThat(ruledOut).isGreaterThan(lines / 3);
    assertThat(frames).isGreaterThan(1000);
  }

  @Test
  void boardLinesWithAddressesAreRuledOutAndFramesAreNot() {
    assertThat(ReportShapes.mayBeFrame("BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff]", 0))
        .isFalse();
    assertThat(ReportShapes.mayBeFrame("last_pfn = 0xffe0 max_arch_pfn = 0x400000000", 0))
        .isFalse();
    assertThat(ReportShapes.mayBeFrame(" ? __die+0x20/0x70", 1)).isTrue();
    assertThat(ReportShapes.mayBeFrame("[<ffffffff81234567>] do_exit+0x1/0x2", 0)).isTrue();
    assertThat(ReportShapes.mayBeFrame("? 0xffffffffc0a01000", 0)).isTrue();
    assertThat(ReportShapes.mayBeFrame("do_exit (kernel/exit.c:812)", 0)).isTrue();
    assertThat(ReportShapes.mayBeFrame("#0 0xffffffff81000000 in f ()", 0)).isTrue();
  }

  @Test
  void aLineParsesTheSameFromTheReadersBytesAsFromItsString() throws IOException {
    long checked = 0;
    for (Path log : realLogs()) {
      List<LogRecord> viaBytes = LogReaderRealFilesTest.read(log);
      // lines as the reader cuts them: at '\n' only
      String[] raw =
          new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).split("\n", -1);
      int n = Math.min(raw.length, viaBytes.size());
      for (int i = 0; i < n; i++) {
        LogRecord b = viaBytes.get(i);
        String line = raw[i];
        if (line.length() > LineReader.MAX_LINE_BYTES
            || !line.chars().allMatch(c -> (c >= 0x20 && c < 0x7f) || c == '\t')) {
          continue; // lines the reader cleans or cuts are never handed over as its bytes
        }
        LogRecord s = LogLineParser.record(line, b.seq(), log.toString(), i + 1);
        assertThat(s).as("%s:%d", log, i + 1).isEqualTo(b);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(10_000);
  }
}
