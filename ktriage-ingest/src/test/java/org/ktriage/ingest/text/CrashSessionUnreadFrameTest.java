package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ktriage.testkit.Shared;

/**
 * A {@code crash} {@code bt} frame whose address is wider than 64 bits (crash prints 16 hex digits
 * at most) is not read, and that is said: the report is PARTIAL and names the line, and the task
 * block goes on after it. Input: the fuzzer's crasher kept in {@code ../shared/crashers}.
 */
class CrashSessionUnreadFrameTest {
  @Test
  void aFrameWithASeventeenDigitAddressIsSkippedAndSaid() throws Exception {
    Path f = Shared.path("crashers/crash-session-fuzz-8638665.txt");
    TextReader.TextResult r;
    try (InputStream in = Files.newInputStream(f)) {
      r = TextReader.read(in, f.toString());
    }
    assertThat(r.completeness().partial()).isTrue();
    // "#13 [ffffffff9f403ea8] do_idle at fffffffffff9e600c02" is line 34 of the file
    assertThat(r.completeness().problems())
        .anyMatch(p -> p.contains("bt frame line(s) not read") && p.endsWith("at line 34"));
    // the frames before and after it are still CPU 0's
    assertThat(r.cpus()).isNotEmpty();
    assertThat(r.cpus().get(0).segments().stream().flatMap(s -> s.frames().stream()))
        .anyMatch(fr -> fr.function().equals("default_idle_call"))
        .anyMatch(fr -> fr.function().equals("run_timer_softirq"));
  }
}
