package org.ktriage.ingest;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.InputFormat;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.StackSegment;
import org.ktriage.testkit.Shared;

class SeedCaseTest {

  @Test
  void seedSession() throws Exception {
    assertSeed(Ingest.read(List.of(Shared.path("seed/crash-session.txt")), Strictness.LENIENT));
  }

  @Test
  void seedDocumentAsIs() throws Exception {
    CrashReport r =
        Ingest.read(List.of(Shared.path("seed/000_038bf967092f0c0d.txt")), Strictness.LENIENT);
    assertSeed(r);
    CrashReport session =
        Ingest.read(List.of(Shared.path("seed/crash-session.txt")), Strictness.LENIENT);
    assertThat(shape(r)).isEqualTo(shape(session));
  }

  /** The CPUs, segments, frames and exception registers without source positions. */
  static String shape(CrashReport r) {
    StringBuilder sb = new StringBuilder();
    for (CpuState c : r.cpus()) {
      sb.append(c.cpu()).append(c.pid()).append(c.comm()).append(c.panicCpu()).append('\n');
      for (StackSegment s : c.segments()) {
        sb.append(s.context()).append(s.marker());
        s.frames().forEach(f -> sb.append(' ').append(f.where()).append(f.address()));
        ExceptionFrame e = s.exception();
        if (e != null) {
          sb.append(" exc ").append(e.where()).append(e.registers().values());
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  static void assertSeed(CrashReport r) {
    assertThat(r.sources()).extracting(s -> s.format()).containsExactly(InputFormat.CRASH_SESSION);
    assertThat(r.kernel().release()).isEqualTo("3.10.0-514.26.2.el7.x86_64");
    assertThat(r.kernel().hostname()).isEqualTo("cpe");
    assertThat(r.kernel().arch()).isEqualTo("x86_64");
    assertThat(r.kernel().version()).startsWith("#1 SMP");
    PanicInfo panic = requireNonNull(r.panic());
    assertThat(panic.message()).isEqualTo("BUG: unable to handle kernel ");
    assertThat(panic.cpu()).isEqualTo(1);
    assertThat(panic.pid()).isEqualTo(0);
    assertThat(panic.task()).isEqualTo("swapper/1");
    assertThat(r.completeness().problems()).anyMatch(p -> p.contains("PARTIAL DUMP"));
    CpuState cpu1 = r.cpus().stream().filter(c -> c.cpu() == 1).findFirst().orElseThrow();
    assertThat(cpu1.panicCpu()).isTrue();
    assertThat(cpu1.comm()).isEqualTo("swapper/1");
    assertThat(cpu1.taskAddress()).isEqualTo(0xffff88007b889f60L);
    List<StackSegment> segs = cpu1.segments();
    StackSegment nmi = segs.get(0);
    assertThat(nmi.context()).isEqualTo(ContextKind.NMI);
    assertThat(nmi.marker()).isEqualTo("NMI exception stack");
    assertThat(nmi.frames()).hasSize(12);
    assertThat(nmi.frames().get(0).function()).isEqualTo("machine_kexec");
    assertThat(nmi.frames().get(0).address()).isEqualTo(0xffffffff81059bebL);
    assertThat(requireNonNull(nmi.exception()).where()).isEqualTo("_raw_spin_lock_irqsave+0x47");
    assertThat(requireNonNull(nmi.exception()).registers().get("RDI"))
        .isEqualTo(0xffff88007b90c000L);
    assertThat(requireNonNull(nmi.exception()).ip()).isEqualTo(0xffffffff8168eb47L);
    StackSegment fault = segs.get(1);
    assertThat(fault.frames().get(0).function()).isEqualTo("_raw_spin_lock_irqsave");
    assertThat(fault.frames()).extracting(f -> f.function()).contains("page_fault", "printk");
    assertThat(fault.context()).isEqualTo(ContextKind.EXCEPTION);
    assertThat(requireNonNull(fault.exception()).where()).isEqualTo("run_timer_softirq+0xf8");
    assertThat(requireNonNull(fault.exception()).registers().get("RCX"))
        .isEqualTo(0xffffffffa88b53b0L);
    assertThat(requireNonNull(fault.exception()).registers().get("RDI"))
        .isEqualTo(0xffff88007b90c000L);
    StackSegment irq = segs.get(2);
    assertThat(irq.marker()).isEqualTo("IRQ stack");
    assertThat(irq.context()).isEqualTo(ContextKind.HARDIRQ);
    assertThat(irq.frames())
        .extracting(f -> f.function())
        .contains("run_timer_softirq", "__do_softirq");
    assertThat(segs.subList(3, segs.size()))
        .allSatisfy(s -> assertThat(s.context()).isEqualTo(ContextKind.TASK));
    assertThat(segs.subList(3, segs.size()))
        .anySatisfy(
            s ->
                assertThat(s.exception())
                    .isNotNull()
                    .extracting(ExceptionFrame::where)
                    .isEqualTo("cpuidle_enter_state+0x52"));
    assertThat(segs.get(segs.size() - 1).frames())
        .extracting(f -> f.function())
        .endsWith("start_secondary");
  }
}
