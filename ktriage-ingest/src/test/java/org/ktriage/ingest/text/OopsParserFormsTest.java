package org.ktriage.ingest.text;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ContextKind;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;
import org.ktriage.testkit.Shared;

/** Report forms of other kernel eras and architectures, on real corpus files. */
class OopsParserFormsTest {

  static List<Oops> corpus(String name) throws Exception {
    return SyzkallerCorpusFile.parse(
        SyzkallerCorpusFile.load(Shared.path("corpus/syzkaller/report/" + name)));
  }

  @Test
  void oldInlineIrqAndEoiMarkersWithBracketedFrames() throws Exception {
    Oops o = corpus("289").get(0);
    assertThat(o.headline()).startsWith("INFO: rcu_preempt detected stalls");
    StackSegment irq = o.trace().get(0);
    assertThat(irq.context()).isEqualTo(ContextKind.HARDIRQ);
    assertThat(irq.marker()).isEqualTo("IRQ");
    Frame first = irq.frames().get(0);
    assertThat(first.where()).isEqualTo("sched_show_task+0x378");
    assertThat(first.size()).isEqualTo("0x387");
    assertThat(first.address()).isEqualTo(0xffffffff8138d924L);
    StackSegment task = o.trace().get(1);
    assertThat(task.context()).isEqualTo(ContextKind.TASK);
    Frame console = task.frames().get(0);
    assertThat(console.function()).isEqualTo("console_unlock");
    assertThat(console.reliable()).isFalse();
  }

  @Test
  void arm64ReportWithPcLrAndCallTrace() throws Exception {
    Oops o = corpus("524").get(0);
    assertThat(o.headline()).startsWith("Internal error: synchronous external abort: 96000010");
    assertThat(o.dieHeader()).isEqualTo(o.headline());
    assertThat(o.dieCounter()).isEqualTo(1);
    assertThat(o.comm()).isEqualTo("swapper/0");
    ExceptionFrame pc = requireNonNull(o.ip());
    assertThat(pc.where()).isEqualTo("__raw_readb+0x18");
    assertThat(pc.registers().get("SP")).isEqualTo(0xffff0000401f7c40L);
    assertThat(pc.registers().get("X28")).isEqualTo(7L);
    assertThat(o.trace()).isNotEmpty();
    assertThat(o.trace().get(0).context()).isEqualTo(ContextKind.UNKNOWN);
    assertThat(o.trace().get(0).frames()).extracting(Frame::function).contains("do_one_initcall");
  }

  /**
   * x86 die_addr() prints KASAN's decoding of a #GP's address right after the die header
   * (kasan_non_canonical_hook): with the header, one report; a paste that lost the header still
   * holds the #GP report, opened by the KASAN line.
   */
  @Test
  void kasanDecodingOfAGpfJoinsItsHeaderAndOpensAReportWithoutIt() throws Exception {
    SyzkallerCorpusFile.Case whole =
        SyzkallerCorpusFile.load(Shared.path("corpus/syzkaller/report/600"));
    List<Oops> both = SyzkallerCorpusFile.parse(whole);
    assertThat(both).hasSize(1);
    assertThat(both.get(0).headline()).startsWith("general protection fault");
    assertThat(both.get(0).lines())
        .extracting(LogRecord::text)
        .anyMatch(t -> t.startsWith("KASAN: null-ptr-deref in range"));

    String log = new String(whole.log(), StandardCharsets.ISO_8859_1);
    String cut = log.replaceFirst("(?m)^.*general protection fault, probably for.*\\n", "");
    assertThat(cut).isNotEqualTo(log);
    List<Oops> headless =
        SyzkallerCorpusFile.parse(
            new SyzkallerCorpusFile.Case(
                whole.path(), whole.title(), cut.getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(headless).isNotEmpty();
    Oops o = headless.get(0);
    assertThat(o.headline()).startsWith("KASAN: null-ptr-deref in range [0x0000000000000000-");
    assertThat(requireNonNull(o.ip()).function()).isEqualTo("nl802154_add_llsec_key");
  }

  @Test
  void reportsInterleavedByCallerIdAreTakenApart() throws Exception {
    List<String> raw = Files.readAllLines(Shared.path("lab/out/timer-after-unload/console.log"));
    int start = 0;
    int end = 0;
    for (int i = 0; i < raw.size(); i++) {
      if (raw.get(i).contains("BUG: unable to handle page fault")) {
        start = i;
      }
      if (start > 0 && raw.get(i).contains("---[ end trace")) {
        end = i;
        break;
      }
    }
    List<String> report = raw.subList(start, end + 1);
    List<LogRecord> records = new ArrayList<>();
    int line = 0;
    for (int i = 0; i < report.size(); i++) {
      String text = LogLineParser.parse(report.get(i)).text();
      records.add(record(records.size(), "C0", text, ++line));
      // another CPU prints a warning of its own, line by line, between ours
      String other =
          switch (i) {
            case 2 -> "WARNING: CPU: 1 PID: 77 at kernel/demo.c:5 demo_fn+0x1/0x2";
            case 3 -> "CPU: 1 PID: 77 Comm: demo Not tainted 6.1.0-56-amd64 #1";
            case 4 -> "RIP: 0010:demo_fn+0x1/0x2";
            case 5 -> "Call Trace:";
            case 6 -> " <TASK>";
            case 7 -> " demo_caller+0x10/0x20";
            case 8 -> " </TASK>";
            case 9 -> "---[ end trace 0000000000000000 ]---";
            default -> "";
          };
      if (!other.isEmpty()) {
        records.add(record(records.size(), "T77", other, ++line));
      }
    }
    List<Oops> oopses = OopsParser.parse(records);
    assertThat(oopses).hasSize(2);
    Oops fault = oopses.get(0);
    Oops warn = oopses.get(1);
    assertThat(fault.headline()).startsWith("BUG: unable to handle page fault");
    assertThat(fault.cpu()).isEqualTo(0);
    assertThat(requireNonNull(fault.ip()).where()).isEqualTo("__run_timers+0xd3");
    assertThat(fault.trace().get(0).frames())
        .extracting(Frame::function)
        .startsWith("run_timer_softirq");
    assertThat(fault.lines()).allSatisfy(r -> assertThat(r.callerId()).isEqualTo("C0"));
    assertThat(warn.cpu()).isEqualTo(1);
    assertThat(requireNonNull(warn.ip()).where()).isEqualTo("demo_fn+0x1");
    assertThat(warn.trace().get(0).frames())
        .extracting(Frame::function)
        .containsExactly("demo_caller");
    assertThat(warn.complete()).isTrue();
  }

  private static LogRecord record(int seq, String caller, String text, int line) {
    return new LogRecord(
        seq, 1_000_000L * seq, -1, caller, text, SourceSpan.line("mixed.log", line));
  }
}
