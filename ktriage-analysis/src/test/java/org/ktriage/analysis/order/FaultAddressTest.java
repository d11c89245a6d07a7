package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.stack.FaultSite;
import org.ktriage.model.AddressKind;
import org.ktriage.model.FailureClass;

/** Where the bad address comes from: headline, CR2, #GP operand, or the faulting registers. */
class FaultAddressTest {

  @Test
  void aPageFaultNamesItsAddressInTheHeadline() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/timer-after-unload/console.log");
    ReportView v = f.reports().get(0);
    assertThat(FaultAddress.ofReport(v.oops(), FailureClass.PAGE_FAULT))
        .isEqualTo(0xffffffffc02853c8L);
  }

  @Test
  void aGeneralProtectionFaultNamesTheDecodedOperandNotCr2() throws Exception {
    CrashFacts f = Inputs.facts("lab/out/use-after-free/console.log");
    ReportView v = f.reports().get(0);
    // a #GP whose decoded operand is slab poison is classed use-after-free (corpus/wild/README.md)
    assertThat(v.failureClass()).isEqualTo(FailureClass.USE_AFTER_FREE);
    assertThat(FaultAddress.ofReport(v.oops(), FailureClass.GPF)).isEqualTo(0x6b6b6b6b6b6b6b73L);
  }

  @Test
  void withoutCr2TheSeedsFaultingRegistersNameTheFreedModuleMemory() throws Exception {
    CrashFacts f = Inputs.facts("seed/crash-session.txt");
    FaultSite fault =
        Objects.requireNonNull(
            PrimaryChoice.outermostFault(f.cpuSites().getOrDefault(1, java.util.List.of())));
    assertThat(fault.frame().function()).isEqualTo("run_timer_softirq");
    FaultAddress.RegisterGuess g = Objects.requireNonNull(FaultAddress.guess(f, fault.frame()));
    // RCX, not RDI/RBX (the timer base in the direct map) and not RIP (kernel text)
    assertThat(g.register()).isEqualTo("RCX");
    assertThat(g.value()).isEqualTo(0xffffffffa88b53b0L);
    assertThat(g.kind()).isEqualTo(AddressKind.MODULE_AREA);
    FaultAddress.Found pf =
        Objects.requireNonNull(FaultAddress.ofSite(f, fault.frame(), FailureClass.PAGE_FAULT));
    assertThat(pf.register()).isEqualTo("RCX");
    // a BUG()'s #UD has no bad address: no guess is made for it
    assertThat(FaultAddress.ofSite(f, fault.frame(), FailureClass.INVALID_OPCODE)).isNull();
  }
}
