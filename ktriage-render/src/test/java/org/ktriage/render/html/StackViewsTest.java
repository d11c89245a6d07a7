package org.ktriage.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.Diagnosis;
import org.ktriage.render.HandBuilt;
import org.ktriage.render.html.ReportView.CpuView;
import org.ktriage.render.html.ReportView.ExceptionView;
import org.ktriage.render.html.ReportView.LayerView;
import org.ktriage.render.html.ReportView.RegisterView;

class StackViewsTest {

  @Test
  void segmentsNestInnermostInsideAndTheFaultAndCitedValuesAreMarked() {
    Diagnosis d = HandBuilt.seedLike("x");
    List<CpuView> cpus = StackViews.cpus(d.report(), d.primary(), StackViews.notableValues(d));
    assertThat(cpus).hasSize(1);
    CpuView cpu = cpus.get(0);
    assertThat(cpu.label()).isEqualTo("CPU 1 — swapper/1 (pid 0)");
    assertThat(cpu.panicCpu()).isTrue();
    // outermost is the task stack; the NMI segment is the innermost
    LayerView task = Objects.requireNonNull(cpu.outermost());
    assertThat(task.context()).isEqualTo("task");
    LayerView softirq = Objects.requireNonNull(task.inner());
    assertThat(softirq.frames())
        .anyMatch(f -> f.hit() && f.where().startsWith("run_timer_softirq"));
    LayerView irq = Objects.requireNonNull(softirq.inner());
    ExceptionView fault = Objects.requireNonNull(irq.exception());
    assertThat(fault.fault()).isTrue();
    // RCX holds the primary's fault address, RDI the lock a finding cites; RIP is neither
    assertThat(fault.registers())
        .filteredOn(RegisterView::hit)
        .extracting(RegisterView::name)
        .containsExactlyInAnyOrder("RCX", "RDI");
    LayerView nmi = Objects.requireNonNull(irq.inner());
    assertThat(Objects.requireNonNull(nmi.exception()).fault()).isFalse();
  }

  @Test
  void withoutCpuStateTheReportsOwnStacksAreShown() {
    // counter-example: an analysis with no CPU state and no report has no stacks to draw
    Diagnosis empty = HandBuilt.empty();
    assertThat(StackViews.cpus(empty.report(), null, StackViews.notableValues(empty))).isEmpty();
  }
}
