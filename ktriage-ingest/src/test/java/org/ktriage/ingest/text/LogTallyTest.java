package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ktriage.testkit.Shared;

/** The log lines of a real console log (the lab's bug-on scenario, 430 lines), tallied. */
class LogTallyTest {
  private static LogTally tally(Path f, int window) throws Exception {
    LogTally t = new LogTally(window, "t.log");
    try (InputStream in = Files.newInputStream(f)) {
      LogReader r = new LogReader(in, f.toString());
      while (r.hasNext()) {
        t.accept(r.next());
      }
    }
    return t;
  }

  @Test
  void countsEveryLineReadsTheBannerAndKeepsTheMostRecentWindow() throws Exception {
    Path f = Shared.path("lab/out/bug-on/console.log");
    LogTally t = tally(f, 10);
    assertThat(t.lines()).isEqualTo(430);
    // every line carries printk's timestamp but the five the lab's init script wrote to the
    // console ("LAB: init started, …")
    assertThat(t.kernelLines()).isEqualTo(425);
    // init/version.c linux_banner, line 1
    assertThat(t.release()).isEqualTo("6.1.0-56-amd64");
    assertThat(t.version()).startsWith("#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2");
    assertThat(t.window()).hasSize(10);
    assertThat(t.window().get(9).text()).contains("---[ end Kernel panic - not syncing");
  }

  @Test
  void aCrashBacktraceIsNoKernelTextAndHasNoBanner() throws Exception {
    // crash's bt output: no printk prefix on any line, no banner
    LogTally t = tally(Shared.path("lab/out/bug-on/crash-bt.txt"), 100);
    assertThat(t.lines()).isPositive();
    assertThat(t.kernelLines()).isZero();
    assertThat(t.release()).isNull();
  }
}
