package org.ktriage.analysis.signature;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ktriage.model.LogRecord;
import org.ktriage.model.SourceSpan;

/**
 * TEST-ONLY stand-in for text ingestion until {@code Ingest.read} handles console logs: splits a
 * console log into records, stripping {@code [ sec.usec]} and {@code [T123]}/{@code [C1]} prefixes.
 */
final class ConsoleLines {
  private static final Pattern PREFIX =
      Pattern.compile(
          "^(?:\\*\\* [0-9]+ printk messages dropped \\*\\* )?(?:.* login: )?(?:<[0-9]+>)?"
              + "\\[ *([0-9]+)\\.([0-9]+)\\](\\[ *(?:C|T)[0-9]+\\])? ");

  private ConsoleLines() {}

  static List<LogRecord> records(String path, String log) {
    List<LogRecord> out = new ArrayList<>();
    String[] lines = log.split("\n", -1);
    int n = lines.length;
    if (n > 0 && lines[n - 1].isEmpty()) {
      n--;
    }
    for (int i = 0; i < n; i++) {
      String line = lines[i];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      Matcher m = PREFIX.matcher(line);
      Long ts = null;
      String caller = null;
      String text = line;
      if (m.find()) {
        ts = Long.parseLong(m.group(1)) * 1_000_000_000L;
        if (m.group(3) != null) {
          caller = m.group(3).replaceAll("[\\[\\] ]", "");
        }
        text = line.substring(line.indexOf("] ") + 2);
      }
      out.add(new LogRecord(i, ts, -1, caller, text, SourceSpan.line(path, i + 1)));
    }
    return out;
  }
}
