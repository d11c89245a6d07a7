package org.ktriage.ingest.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;

/**
 * Reads one file of the syzkaller report corpus (its {@code TITLE:} and raw log) for the parser's
 * form tests. Whether a report is found exactly when the file is titled, over the whole corpus, is
 * the corpus runner's {@code found} measure ({@code CorporaTest} in ktriage-analysis).
 */
final class SyzkallerCorpusFile {

  private SyzkallerCorpusFile() {}

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
}
