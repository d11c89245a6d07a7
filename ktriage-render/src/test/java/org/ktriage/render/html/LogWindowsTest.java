package org.ktriage.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.CrashReport;
import org.ktriage.model.InputFormat;
import org.ktriage.model.InputSource;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.SourceSpan;
import org.ktriage.render.HandBuilt;
import org.ktriage.render.html.ReportView.LogLineView;

class LogWindowsTest {

  private static List<LogRecord> lines(int n, int oopsAt) {
    List<LogRecord> log = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String text =
          i == oopsAt
              ? "BUG: kernel NULL pointer dereference, address: 0000000000000008"
              : "usb 1-1: new high-speed USB device number " + i;
      log.add(new LogRecord(i, i * 1_000_000L, 6, null, text, SourceSpan.line("k.log", i + 1)));
    }
    return log;
  }

  @Test
  void aLongLogIsCutAroundItsFirstReport() {
    List<LogRecord> log = lines(3000, 2000);
    Oops oops = Oops.builder(0, log.get(2000).text(), SourceSpan.line("k.log", 2001)).build();
    CrashReport r =
        CrashReport.builder()
            .sources(List.of(new InputSource("k.log", InputFormat.KERNEL_LOG)))
            .log(log)
            .oopses(List.of(oops))
            .build();
    LineAnchors anchors = new LineAnchors(r.sources());
    List<LogLineView> out = new ArrayList<>();
    String note = LogWindows.logWindow(r, anchors, new HashSet<>(List.of("L0-2001")), out);
    // 1000 lines before the report, 500 from it on
    assertThat(out).hasSize(1500);
    assertThat(out.get(0).anchor()).isEqualTo("L0-1001");
    assertThat(out.get(1000).kind()).isEqualTo("oops");
    assertThat(out.get(1000).cited()).isTrue();
    assertThat(out.get(999).kind()).isEmpty();
    assertThat(out.get(1000).time()).isEqualTo("2.000000");
    assertThat(note).isEqualTo("1500 log lines farther from the crash are not shown");
  }

  @Test
  void aShortLogIsShownWhole() {
    CrashReport r = HandBuilt.seedLike("x").report();
    List<LogLineView> out = new ArrayList<>();
    assertThat(LogWindows.logWindow(r, new LineAnchors(r.sources()), new HashSet<>(), out))
        .isNull();
    // "lab_timer: unloading" is a module line, the panic line a panic
    assertThat(out).extracting(LogLineView::kind).containsExactly("module", "", "panic");
  }
}
