package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.model.kind.ReportKinds;
import org.ktriage.testkit.Shared;

/**
 * A plain line stays bytes unless a reader wants it ({@link TextReader}): the byte-level tests
 * ({@link ReportShapes}, {@code wants} of each reader) must never change a result. Checked on every
 * real log at hand (lab console logs, the syzkaller, satyr, abrt and linux-docs corpora, the wild
 * corpus' tuning half, the samples): each test is one-sided on every line, and the whole reading
 * equals the reading that makes every line a record.
 */
class LineGateTest {

  private static List<Path> realLogs() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(Shared.path("lab/out"))) {
      s.map(d -> d.resolve("console.log")).filter(Files::exists).forEach(out::add);
    }
    for (String dir :
        List.of(
            "corpus/syzkaller/report",
            "corpus/syzkaller/symbolize",
            "corpus/syzkaller/guilty",
            "corpus/satyr",
            "corpus/abrt",
            "corpus/linux-docs")) {
      files(Shared.path(dir), out);
    }
    files(Path.of("../corpus/wild/tune"), out);
    files(Path.of("../samples"), out);
    return out.stream().sorted().toList();
  }

  private static void files(Path dir, List<Path> out) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".xz")).forEach(out::add);
    }
  }

  @Test
  void everyByteTestIsOneSidedOnEveryRealLine() throws IOException {
    List<Path> logs = realLogs();
    assertThat(logs).hasSizeGreaterThan(1000);
    var matcher = ReportShapes.faultInfoMatcher();
    long plain = 0;
    long declined = 0;
    long marked = 0;
    for (Path log : logs) {
      try (InputStream in = Files.newInputStream(log);
          LogReader r = new LogReader(in, log.toString())) {
        while (r.advanceLine()) {
          LineCursor c = r.cursor();
          if (c == null) {
            continue;
          }
          plain++;
          int from = ReportShapes.firstNonBlank(c.b, c.i, c.n);
          boolean header = ReportKinds.mayMatch(c.b, from, c.n);
          boolean fault = ReportShapes.mayBeFaultInfo(c.b, from, c.n, c, matcher);
          boolean opens = ReportShapes.mayOpenTrace(c.b, from, c.n);
          if (!header && !fault && !opens) {
            declined++;
          }
          // the same tests on the marks the reader noted in its one pass over the line
          String line = log + ":" + r.lineNumber();
          if (c.marksKnown()) {
            marked++;
          }
          assertThat(ReportShapes.mayBeHeader(c, from)).as(line).isEqualTo(header);
          assertThat(ReportShapes.mayOpenTrace(c, from)).as(line).isEqualTo(opens);
          assertThat(CrashShapes.mayStart(c, from))
              .as(line)
              .isEqualTo(CrashShapes.mayStart(c.b, c.i, from, c.n));
          var rec = r.record();
          String text = rec.text();
          int f = ReportBuilder.firstNonSpace(text);
          String where = log + ":" + rec.source().line() + ": " + text;
          assertThat(header || ReportKinds.match(text, f) == null).as(where).isTrue();
          assertThat(
                  fault
                      || !ReportLine.FAULT_INFO.matcher(text).region(f, text.length()).lookingAt())
              .as(where)
              .isTrue();
          assertThat(opens || ReportBuilder.traceOnly(rec) == null).as(where).isTrue();
        }
      }
    }
    // the tests do work: most plain lines of these logs are ruled out by all three
    assertThat(plain).isGreaterThan(100_000);
    assertThat(declined).isGreaterThan(plain / 4);
    // and most lines are read by their marks
    assertThat(marked).isGreaterThan(plain * 9 / 10);
  }

  @Test
  void readingWithBytesEqualsReadingEveryLineAsRecord() throws IOException {
    for (Path log : realLogs()) {
      byte[] data = Files.readAllBytes(log);
      TextReader.TextResult fast = TextReader.read(new ByteArrayInputStream(data), log.toString());
      TextReader.TextResult slow =
          TextReader.read(new ByteArrayInputStream(data), log.toString(), false);
      assertThat(fast).as(log.toString()).isEqualTo(slow);
    }
  }

  @Test
  void theWindowKeepsTheLastLinesOfALogLongerThanIt() throws IOException {
    StringBuilder sb = new StringBuilder();
    int lines = TextReader.LOG_WINDOW + 2_345;
    for (int i = 0; i < lines; i++) {
      // plain lines of varied length (the ring of bytes wraps and grows), a few records among them
      sb.append(String.format("[%5d.%06d] ", i / 1000, i % 1000));
      sb.append(
          i % 997 == 0
              ? "Linux version 6.1.0 (x) #1 SMP"
              : "line " + i + " " + "x".repeat(i % 300));
      sb.append('\n');
    }
    byte[] data = sb.toString().getBytes(StandardCharsets.US_ASCII);
    TextReader.TextResult fast = TextReader.read(new ByteArrayInputStream(data), "w.log");
    TextReader.TextResult slow = TextReader.read(new ByteArrayInputStream(data), "w.log", false);
    assertThat(fast).isEqualTo(slow);
    assertThat(fast.log()).hasSize(TextReader.LOG_WINDOW);
    assertThat(fast.log().get(0).source().line()).isEqualTo(2_346);
    assertThat(fast.logLines()).isEqualTo(lines);
    assertThat(fast.kernel().release()).isEqualTo("6.1.0");
  }
}
