package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.model.LogRecord;
import org.ktriage.testkit.Shared;

class LogReaderRealFilesTest {

  @Test
  void labConsoleLogsHaveTimestampsOnKernelLines() throws IOException {
    List<Path> logs;
    try (Stream<Path> s = Files.list(Shared.path("lab/out"))) {
      logs = s.map(d -> d.resolve("console.log")).filter(Files::exists).sorted().toList();
    }
    assertThat(logs).isNotEmpty();
    for (Path log : logs) {
      List<LogRecord> records = read(log);
      long stamped = records.stream().filter(r -> r.timestampNanos() != null).count();
      assertThat(stamped).as("%s stamped lines", log).isGreaterThan(records.size() / 2);
      assertThat(records)
          .filteredOn(r -> r.timestampNanos() != null)
          .allSatisfy(r -> assertThat(r.text()).doesNotMatch("^\\[\\s*\\d+\\.\\d+\\].*"));
    }
  }

  @Test
  void timerAfterUnloadTraceLines() throws IOException {
    List<LogRecord> records = read(Shared.path("lab/out/timer-after-unload/console.log"));
    assertThat(records).extracting(LogRecord::text).contains(" <IRQ>", "Call Trace:");
  }

  static List<LogRecord> read(Path p) throws IOException {
    List<LogRecord> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(p);
        LogReader r = new LogReader(in, p.toString())) {
      r.forEachRemaining(out::add);
    }
    return out;
  }
}
