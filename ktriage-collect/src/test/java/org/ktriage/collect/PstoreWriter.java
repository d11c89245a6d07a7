package org.ktriage.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ktriage.model.LogRecord;

/**
 * Writes pstore dmesg records the way the kernel does on a kmsg dump, for tests: {@code
 * pstore_dump()} (fs/pstore/platform.c) asks {@code kmsg_dump_get_buffer(…, syslog=true, …)} for
 * the newest lines that fit one record (whole lines, each {@code <level>[%5lu.%06lu] text}), writes
 * the header {@code <reason>#<counter> Part<n>} before them, and repeats backwards through the log,
 * so {@code Part1} holds the end of the log; ramoops shows record {@code i} as {@code
 * dmesg-ramoops-<i>} (fs/pstore/inode.c).
 */
final class PstoreWriter {
  private PstoreWriter() {}

  /** The kmsg_dump syslog form of one record: {@code <level>[seconds.micros] text}. */
  static String syslogLine(LogRecord r) {
    long ts = r.timestampNanos() == null ? 0 : r.timestampNanos();
    int level = r.level() < 0 ? 4 : r.level(); // kernel facility 0: the prefix is the level
    return String.format(
        "<%d>[%5d.%06d] %s\n", level, ts / 1_000_000_000L, (ts % 1_000_000_000L) / 1000, r.text());
  }

  /**
   * Writes the end of {@code log} as at most {@code maxParts} ramoops records of {@code recordSize}
   * bytes each into {@code dir}, as a dump with {@code reason} and {@code counter}; returns the
   * files, Part1 first.
   */
  static List<Path> writeDump(
      Path dir, List<LogRecord> log, String reason, int counter, int recordSize, int maxParts)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    int end = log.size();
    for (int part = 1; part <= maxParts && end > 0; part++) {
      String header = reason + "#" + counter + " Part" + part + "\n";
      int room = recordSize - header.length();
      int start = end;
      int used = 0;
      while (start > 0) {
        int len = syslogLine(log.get(start - 1)).getBytes(StandardCharsets.ISO_8859_1).length;
        if (used + len > room) {
          break;
        }
        used += len;
        start--;
      }
      StringBuilder sb = new StringBuilder(header);
      for (int i = start; i < end; i++) {
        sb.append(syslogLine(log.get(i)));
      }
      Path f = dir.resolve("dmesg-ramoops-" + (part - 1));
      Files.writeString(f, sb, StandardCharsets.ISO_8859_1);
      files.add(f);
      end = start;
    }
    return files;
  }
}
