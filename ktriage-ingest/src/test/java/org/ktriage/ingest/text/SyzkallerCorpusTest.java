package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.testkit.Shared;

/**
 * The syzkaller report corpus: a report must be found exactly when the file's {@code TITLE:} header
 * is non-empty (syzkaller's own expectation), for at least 99 % of the files.
 */
class SyzkallerCorpusTest {

  /** Header block (up to the first empty line) and raw log of one corpus file. */
  record Case(Path path, String title, byte[] log) {}

  static Case load(Path p) throws IOException {
    byte[] all = Files.readAllBytes(p);
    int split = -1;
    for (int i = 0; i + 1 < all.length; i++) {
      if (all[i] == '\n' && all[i + 1] == '\n') {
        split = i;
        break;
      }
    }
    String header = new String(all, 0, split < 0 ? all.length : split, StandardCharsets.ISO_8859_1);
    String title = "";
    for (String line : header.split("\n")) {
      if (line.startsWith("TITLE:")) {
        title = line.substring(6).strip();
      }
    }
    int start = split < 0 ? all.length : split + 2;
    int end = all.length;
    String body = new String(all, start, all.length - start, StandardCharsets.ISO_8859_1);
    int rep = body.indexOf("\nREPORT:\n");
    if (body.startsWith("REPORT:\n")) {
      end = start;
    } else if (rep >= 0) {
      end = start + rep + 1;
    }
    byte[] log = new byte[end - start];
    System.arraycopy(all, start, log, 0, log.length);
    return new Case(p, title, log);
  }

  static List<Oops> parse(Case c) throws IOException {
    List<LogRecord> records = new ArrayList<>();
    try (LogReader r = new LogReader(new ByteArrayInputStream(c.log()), c.path().toString())) {
      r.forEachRemaining(records::add);
    }
    return OopsParser.parse(records);
  }

  @Test
  void reportFoundExactlyWhenTitled() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Shared.path("corpus/syzkaller/report"))) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(700);
    int agree = 0;
    List<String> misses = new ArrayList<>();
    for (Path p : files) {
      Case c = load(p);
      List<Oops> oopses = parse(c);
      boolean expected = !c.title().isEmpty();
      boolean found = !oopses.isEmpty();
      if (expected == found) {
        agree++;
      } else {
        misses.add(
            p.getFileName()
                + (expected
                    ? " MISSED  title=" + c.title()
                    : " EXTRA   got=" + oopses.get(0).headline()));
      }
    }
    System.out.printf(
        "syzkaller corpus: %d/%d agree (%.2f %%)%n",
        agree, files.size(), 100.0 * agree / files.size());
    misses.forEach(m -> System.out.println("  " + m));
    assertThat(agree * 100.0 / files.size())
        .as("agreement, misses: %s", misses)
        .isGreaterThanOrEqualTo(99.0);
  }
}
