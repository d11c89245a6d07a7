package org.ktriage.ingest.text;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;
import org.ktriage.testkit.Shared;

/**
 * One {@code crash} {@code bt} task block read line by line, on the lab's real {@code bt} output
 * (crash 8.0 on the lab kernels' vmcores, {@code ../shared/lab/out}).
 */
class CrashBacktraceTest {
  /** Feeds every line after the {@code PID:} header to a block; returns what each line was. */
  private static List<CrashBacktrace.Line> readBlock(CrashBacktrace b, Path f) throws IOException {
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    List<CrashBacktrace.Line> seen = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      CrashBacktrace.Line l = b.read(t, SourceSpan.line(f.toString(), i + 1));
      seen.add(l);
      if (l == CrashBacktrace.Line.OTHER) {
        break;
      }
    }
    return seen;
  }

  private static List<String> functions(StackSegment s) {
    return s.frames().stream().map(Frame::function).toList();
  }

  @Test
  void anExceptionBlockEndsTheSegmentAboveItAndKeepsItsRegisters() throws IOException {
    Path f = Shared.path("lab/out/bug-on/crash-bt.txt");
    CrashBacktrace b =
        new CrashBacktrace(103, 0xffff8a3bc2ee0000L, 1, "insmod", SourceSpan.line(f.toString(), 1));
    assertThat(readBlock(b, f)).doesNotContain(CrashBacktrace.Line.UNREAD_FRAME);
    CpuState cpu = requireNonNull(b.cpuState());
    assertThat(cpu.cpu()).isEqualTo(1);
    assertThat(cpu.comm()).isEqualTo("insmod");
    // panic() is on the stack: this CPU was the one panicking
    assertThat(cpu.panicCpu()).isTrue();
    StackSegment handler = cpu.segments().get(0);
    assertThat(functions(handler))
        .containsExactly(
            "panic", "do_trap", "do_error_trap", "exc_invalid_op", "asm_exc_invalid_op");
    // the invalid-op handler's frames make it exception context
    assertThat(handler.context()).isEqualTo(ContextKind.EXCEPTION);
    ExceptionFrame exc = requireNonNull(handler.exception());
    // crash prints the offset in decimal (+26); the model keeps hex
    assertThat(exc.where()).isEqualTo("lab_bug_check_state+0x1a");
    assertThat(exc.ip()).isEqualTo(0xffffffffc050901fL);
    assertThat(exc.registers().get("RSP")).isEqualTo(0xffffce73c03fbab0L);
    assertThat(functions(cpu.segments().get(1))).startsWith("do_one_initcall", "do_init_module");
  }

  @Test
  void aStackSwitchLineNamesTheSegmentItEnds() throws IOException {
    Path f = Shared.path("lab/out/soft-lockup/crash-bt.txt");
    CrashBacktrace b =
        new CrashBacktrace(
            108, 0xffff8ea242c4a100L, 1, "lab_spin", SourceSpan.line(f.toString(), 1));
    readBlock(b, f);
    CpuState cpu = requireNonNull(b.cpuState());
    StackSegment irq = cpu.segments().get(0);
    assertThat(irq.marker()).isEqualTo("IRQ stack");
    assertThat(irq.context()).isEqualTo(ContextKind.HARDIRQ);
    assertThat(functions(irq)).startsWith("panic", "watchdog_timer_fn.cold");
    // "[exception RIP: no symbolic reference]": an exception frame of unknown function, its ip
    // from the RIP row
    ExceptionFrame exc = requireNonNull(cpu.segments().get(1).exception());
    assertThat(exc.function()).isNull();
    assertThat(exc.ip()).isEqualTo(0xffffd4b3003e3db0L);
    // after the IRQ stack the interrupted task's own frames: task context, with the module
    StackSegment task = cpu.segments().get(cpu.segments().size() - 1);
    assertThat(task.context()).isEqualTo(ContextKind.TASK);
    assertThat(task.frames().get(0).function()).isEqualTo("lab_softlockup_spin");
    assertThat(task.frames().get(0).module()).isEqualTo("lab_softlockup");
  }

  @Test
  void aLineOfAnotherCommandEndsTheBlockAndAnEmptyBlockHasNoCpuState() {
    CrashBacktrace b = new CrashBacktrace(1, 0x1L, 0, "swapper/0", SourceSpan.line("x", 1));
    assertThat(b.read("crash> mod", SourceSpan.line("x", 2))).isEqualTo(CrashBacktrace.Line.OTHER);
    assertThat(b.read("", SourceSpan.line("x", 3))).isEqualTo(CrashBacktrace.Line.OTHER);
    assertThat(b.cpuState()).isNull();
  }

  @Test
  void aFrameAddressWiderThanSixtyFourBitsIsShapedButNotRead() {
    CrashBacktrace b = new CrashBacktrace(1, 0x1L, 0, "swapper/0", SourceSpan.line("x", 1));
    assertThat(
            b.read(
                "#13 [ffffffff9f403ea8] do_idle at fffffffffff9e600c02", SourceSpan.line("x", 2)))
        .isEqualTo(CrashBacktrace.Line.UNREAD_FRAME);
    assertThat(b.cpuState()).isNull();
  }

  @Test
  void offsetsAreKeptInHex() {
    assertThat(CrashBacktrace.hexOffset("26")).isEqualTo("0x1a");
    assertThat(CrashBacktrace.hexOffset("0x1A")).isEqualTo("0x1a");
  }
}
