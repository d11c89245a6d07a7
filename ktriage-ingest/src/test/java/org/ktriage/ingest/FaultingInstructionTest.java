package org.ktriage.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.CrashReport;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.Oops;

/**
 * The faulting instruction of real reports: decoded from the {@code Code:} line of a console log
 * and from the kernel text of the dump of the same crash, resolved against the registers.
 */
class FaultingInstructionTest {
  private static Path shared(String rel) {
    String base = System.getProperty("ktriage.shared");
    return Path.of(Objects.requireNonNull(base, "ktriage.shared")).resolve(rel);
  }

  /** The instruction of the first report that printed a {@code Code:} line. */
  private static FaultingInstruction firstInstruction(Path p) throws Exception {
    CrashReport r = Ingest.read(List.of(p), Strictness.LENIENT);
    Oops o = r.oopses().get(0);
    for (Oops each : r.oopses()) {
      if (each.code() != null) {
        o = each;
        break;
      }
    }
    assertThat(o.faultingInstruction())
        .as("instruction of %s, code %s, registers %s", o.headline(), o.code(), o.ip())
        .isNotNull();
    return Objects.requireNonNull(o.faultingInstruction());
  }

  /** The lab's timer-after-unload: __hlist_del's {@code next->pprev = pprev} on a freed timer. */
  private static void assertTimerStore(FaultingInstruction i) {
    assertThat(i.text()).isEqualTo("mov %rsi,0x8(%rcx)");
    assertThat(i.bytes()).isEqualTo("48 89 71 08");
    MemoryOperand m = Objects.requireNonNull(i.memory());
    assertThat(m.base()).isEqualTo("RCX");
    assertThat(m.displacement()).isEqualTo(8);
    assertThat(m.widthBytes()).isEqualTo(8);
    assertThat(m.access()).isEqualTo(MemoryOperand.Access.WRITE);
    assertThat(i.baseValue()).isEqualTo(0xffffffffc04243c0L);
    assertThat(i.effectiveAddress()).isEqualTo(0xffffffffc04243c8L);
    assertThat(i.faultAddress()).isEqualTo(0xffffffffc04243c8L);
    assertThat(i.explainsFault()).isTrue();
    assertThat(i.explanation())
        .isEqualTo(
            "mov %rsi,0x8(%rcx) writes 8 bytes at RCX + 0x8; RCX = ffffffffc04243c0, so"
                + " ffffffffc04243c8 = the fault address");
  }

  @Test
  void consoleLogCodeLineNamesTheStoreThroughRcx() throws Exception {
    FaultingInstruction i =
        firstInstruction(shared("lab/out/timer-after-unload-kdump/console.log"));
    assertThat(i.source()).isEqualTo("code-line");
    assertThat(i.arch()).isEqualTo("x86_64");
    assertTimerStore(i);
  }

  @Test
  void dumpKernelTextNamesTheSameStore() throws Exception {
    FaultingInstruction i =
        firstInstruction(shared("lab/fixtures/timer-after-unload-kdump.vmcore"));
    assertThat(i.source()).isEqualTo("kernel-text");
    assertThat(i.address()).isNotNull();
    assertTimerStore(i);
  }

  /** syzbot arm64 report: {@code ldr x1, [x8, #24]} with x8 = 0xffffffff faults at 0x100000017. */
  @Test
  void arm64CodeWordNamesTheLoadThroughX8() throws Exception {
    FaultingInstruction i = firstInstruction(shared("corpus/syzkaller/report/655"));
    assertThat(i.arch()).isEqualTo("arm64");
    assertThat(i.text()).isEqualTo("ldr x1, [x8, #24]");
    MemoryOperand m = Objects.requireNonNull(i.memory());
    assertThat(m.base()).isEqualTo("X8");
    assertThat(m.access()).isEqualTo(MemoryOperand.Access.READ);
    assertThat(i.baseValue()).isEqualTo(0xffffffffL);
    assertThat(i.effectiveAddress()).isEqualTo(0x100000017L);
    assertThat(i.explainsFault()).isTrue();
  }

  /**
   * Every lab console log (each kernel generation) whose first fault report prints an address and a
   * decodable memory access: the decoded operand computes exactly that address.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "timer-after-unload",
        "timer-after-unload@5.10",
        "timer-after-unload@6.12",
        "timer-after-unload-kdump"
      })
  void labFaultsAreExplainedByTheDecodedOperand(String scenario) throws Exception {
    FaultingInstruction i = firstInstruction(shared("lab/out/" + scenario + "/console.log"));
    assertThat(i.memory()).as(i.text()).isNotNull();
    assertThat(i.faultAddress()).as(i.text()).isNotNull();
    assertThat(i.explainsFault()).as(i.explanation()).isTrue();
    assertThat(i.text()).isEqualTo("mov %rsi,0x8(%rcx)");
  }

  /**
   * Over the syzkaller corpus: of the reports with a fault address and a decoded memory access, how
   * many the operand explains (KASAN shadow checks, NULL and wild pointers, GPF addresses).
   */
  @Test
  void syzkallerFaultAddressesAreMostlyExplained() throws Exception {
    int withBoth = 0;
    int explained = 0;
    try (java.util.stream.Stream<Path> files =
        java.nio.file.Files.list(shared("corpus/syzkaller/report"))) {
      for (Path f : files.sorted().toList()) {
        CrashReport r;
        try {
          r = Ingest.read(List.of(f), Strictness.LENIENT);
        } catch (UnreadableInputException e) {
          continue; // a corpus file without a report
        }
        for (Oops o : r.oopses()) {
          FaultingInstruction i = o.faultingInstruction();
          if (i != null && i.explainsFault() != null) {
            withBoth++;
            if (i.explainsFault()) {
              explained++;
            } else {
              System.out.println("  not explained: " + f.getFileName() + " " + i.explanation());
            }
            break;
          }
        }
      }
    }
    System.out.println(
        "syzkaller corpus: " + explained + " of " + withBoth + " fault addresses explained");
    assertThat(withBoth).isGreaterThan(20);
    assertThat(explained * 10).isGreaterThanOrEqualTo(withBoth * 8);
  }
}
