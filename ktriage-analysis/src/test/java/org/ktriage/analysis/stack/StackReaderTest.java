package org.ktriage.analysis.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ContextKind;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.StackSegment;

/** Fault sites, entries and contexts on hand-built stacks (shapes of the seed and lab traces). */
class StackReaderTest {

  private static Frame f(String name) {
    return new Frame(name, null, null, null, null, true, null);
  }

  private static ExceptionFrame e(String fn, Map<String, Long> regs) {
    return new ExceptionFrame(fn, null, null, null, false, new RegisterSet(regs), null);
  }

  @Test
  void seedShapeOutermostFaultIsThePageFaultInSoftirq() {
    List<StackSegment> segs =
        List.of(
            new StackSegment(
                ContextKind.NMI,
                "NMI exception stack",
                List.of(
                    f("panic"),
                    f("nmi_panic"),
                    f("watchdog_overflow_callback"),
                    f("do_nmi"),
                    f("end_repeat_nmi")),
                e("_raw_spin_lock_irqsave", Map.of("RDI", 1L))),
            new StackSegment(
                ContextKind.UNKNOWN,
                null,
                List.of(
                    f("_raw_spin_lock_irqsave"),
                    f("lock_timer_base"),
                    f("printk"),
                    f("no_context"),
                    f("do_page_fault"),
                    f("page_fault")),
                e("run_timer_softirq", Map.of("RDI", 1L))),
            new StackSegment(
                ContextKind.HARDIRQ,
                "IRQ stack",
                List.of(
                    f("run_timer_softirq"),
                    f("__do_softirq"),
                    f("irq_exit"),
                    f("smp_apic_timer_interrupt"),
                    f("apic_timer_interrupt")),
                null),
            new StackSegment(
                ContextKind.UNKNOWN,
                null,
                List.of(f("apic_timer_interrupt")),
                e("cpuidle_enter_state", Map.of())),
            new StackSegment(
                ContextKind.TASK,
                null,
                List.of(f("cpu_startup_entry"), f("start_secondary")),
                null));
    List<FaultSite> sites = StackReader.read(null, EntryKind.UNKNOWN, FailureClass.UNKNOWN, segs);
    assertThat(sites)
        .extracting(FaultSite::entry)
        .containsExactly(EntryKind.NMI, EntryKind.FAULT, EntryKind.INTERRUPT);
    assertThat(sites.get(1).faultClass()).isEqualTo(FailureClass.PAGE_FAULT);
    assertThat(sites.get(1).context()).isEqualTo(ContextKind.SOFTIRQ);
    assertThat(sites.get(2).context()).isEqualTo(ContextKind.TASK);
  }

  @Test
  void uaccessFaultInsideAStallTraceIsNotAFailure() {
    List<StackSegment> segs =
        List.of(
            new StackSegment(
                ContextKind.TASK,
                "TASK",
                List.of(
                    f("handle_mm_fault"),
                    f("do_user_addr_fault"),
                    f("exc_page_fault"),
                    f("asm_exc_page_fault")),
                e("copy_user_generic_unrolled", Map.of())),
            new StackSegment(
                ContextKind.TASK, "TASK", List.of(f("__sys_recvmmsg"), f("do_syscall_64")), null));
    List<FaultSite> sites = StackReader.read(null, EntryKind.UNKNOWN, FailureClass.UNKNOWN, segs);
    assertThat(sites).hasSize(1);
    assertThat(sites.get(0).isFault()).isFalse();
  }

  @Test
  void labTimerShapeIsSoftirqOnTheIrqStack() {
    ExceptionFrame rip = e("__run_timers", Map.of());
    List<StackSegment> segs =
        List.of(
            new StackSegment(
                ContextKind.HARDIRQ,
                "IRQ",
                List.of(
                    f("run_timer_softirq"),
                    f("handle_softirqs"),
                    f("__irq_exit_rcu"),
                    f("sysvec_apic_timer_interrupt")),
                null),
            new StackSegment(
                ContextKind.TASK,
                "TASK",
                List.of(f("asm_sysvec_apic_timer_interrupt")),
                e("native_safe_halt", Map.of())),
            new StackSegment(
                ContextKind.TASK, "TASK", List.of(f("default_idle_call"), f("do_idle")), null));
    List<FaultSite> sites = StackReader.read(rip, EntryKind.FAULT, FailureClass.PAGE_FAULT, segs);
    assertThat(sites).hasSize(2);
    assertThat(sites.get(0).context()).isEqualTo(ContextKind.SOFTIRQ);
    assertThat(sites.get(1).entry()).isEqualTo(EntryKind.INTERRUPT);
    assertThat(sites.get(1).context()).isEqualTo(ContextKind.TASK);
  }
}
