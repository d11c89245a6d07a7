package org.ktriage.ingest;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.InputFormat;
import org.ktriage.model.KernelModule;
import org.ktriage.model.StackSegment;
import org.ktriage.testkit.Shared;

/** The lab's real {@code crash} outputs (bt -a from two crash versions, sys, mod, ps). */
class LabCrashSessionTest {

  static CpuState cpu(CrashReport r, int n) {
    return r.cpus().stream().filter(c -> c.cpu() == n).findFirst().orElseThrow();
  }

  static ExceptionFrame exc(StackSegment s) {
    return requireNonNull(s.exception(), "exception of " + s);
  }

  @Test
  void everyBtAParses() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Shared.path("lab/out"))) {
      files =
          s.filter(p -> p.getFileName().toString().matches("crash-(trixie-)?bt-a(-elf)?\\.txt"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(18);
    for (Path f : files) {
      CrashReport r = Ingest.read(List.of(f), Strictness.LENIENT);
      assertThat(r.sources().get(0).format()).as(f.toString()).isEqualTo(InputFormat.CRASH_SESSION);
      assertThat(r.cpus()).as(f.toString()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(r.cpus()).as(f.toString()).allSatisfy(c -> assertThat(c.segments()).isNotEmpty());
      assertThat(r.cpus()).as(f.toString()).filteredOn(CpuState::panicCpu).hasSize(1);
    }
  }

  @Test
  void timerAfterUnloadBtA() throws Exception {
    for (String name : List.of("crash-bt-a.txt", "crash-trixie-bt-a.txt")) {
      CrashReport r =
          Ingest.read(
              List.of(Shared.path("lab/out/timer-after-unload-kdump/" + name)), Strictness.LENIENT);
      CpuState c1 = cpu(r, 1);
      assertThat(c1.comm()).isEqualTo("swapper/1");
      assertThat(c1.pid()).isEqualTo(0);
      assertThat(c1.panicCpu()).isTrue();
      StackSegment fault = c1.segments().get(0);
      assertThat(fault.context()).isEqualTo(ContextKind.EXCEPTION);
      assertThat(fault.frames()).extracting(f -> f.function()).contains("exc_page_fault");
      assertThat(exc(fault).where()).isEqualTo("__run_timers+0xd3");
      assertThat(exc(fault).registers().get("RBP")).isEqualTo(0xdead000000000122L);
      StackSegment irq = c1.segments().get(1);
      assertThat(irq.marker()).isEqualTo("IRQ stack");
      assertThat(irq.context()).isEqualTo(ContextKind.HARDIRQ);
      assertThat(irq.frames()).extracting(f -> f.function()).startsWith("run_timer_softirq");
      assertThat(c1.segments().get(c1.segments().size() - 1).context()).isEqualTo(ContextKind.TASK);
      CpuState c0 = cpu(r, 0);
      assertThat(c0.panicCpu()).isFalse();
      StackSegment nmi = c0.segments().get(0);
      assertThat(nmi.context()).isEqualTo(ContextKind.NMI);
      assertThat(nmi.marker()).isEqualTo("NMI exception stack");
      assertThat(exc(nmi).where()).isEqualTo("native_safe_halt+0xb");
    }
  }

  @Test
  void sessionPlusConsoleMerge() throws Exception {
    Path dir = Shared.path("lab/out/timer-after-unload-kdump");
    CrashReport r =
        Ingest.read(
            List.of(
                dir.resolve("crash-bt-a.txt"),
                dir.resolve("crash-sys.txt"),
                dir.resolve("crash-mod.txt"),
                dir.resolve("crash-ps.txt"),
                dir.resolve("console.log")),
            Strictness.LENIENT);
    assertThat(r.sources()).hasSize(5);
    assertThat(r.kernel().release()).isEqualTo("6.1.0-56-amd64");
    assertThat(r.kernel().arch()).isEqualTo("x86_64");
    assertThat(r.kernel().version()).startsWith("#1 SMP PREEMPT_DYNAMIC Debian");
    assertThat(r.oopses()).isNotEmpty();
    assertThat(r.oopses().get(0).headline()).startsWith("BUG: unable to handle page fault");
    assertThat(exc(cpu(r, 1).segments().get(0)).where()).isEqualTo("__run_timers+0xd3");
    assertThat(r.modules())
        .extracting(KernelModule::name)
        .containsExactly("qemu_fw_cfg", "pvpanic", "pvpanic_mmio");
    KernelModule fw = r.modules().get(0);
    assertThat(fw.base()).isEqualTo(0xffffffffc041c000L);
    assertThat(fw.size()).isEqualTo(20480L);
    assertThat(r.lastUnloaded()).isEqualTo("lab_timer_uaf");
    assertThat(requireNonNull(r.panic()).message()).startsWith("Oops: 0002 [#1]");
    assertThat(requireNonNull(r.panic()).cpu()).isEqualTo(1);
    assertThat(r.completeness().problems()).anyMatch(p -> p.contains("PARTIAL DUMP"));
  }
}
