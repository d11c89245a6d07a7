package org.ktriage.ingest.insn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.RegisterSet;

/** crash's {@code dis} lines read into the faulting instruction (issue 15, item 5). */
class CrashDisLineTest {

  private static CrashDisLine dis(String line) {
    return Objects.requireNonNull(CrashDisLine.parse(line), line);
  }

  private static Path seed() {
    Path p = Path.of("/work/shared/seed/000_038bf967092f0c0d.txt");
    return Files.exists(p) ? p : Path.of("../../shared/seed/000_038bf967092f0c0d.txt");
  }

  /** The founding document's line, as pasted from the web page (no-break spaces included). */
  @Test
  void foundingCaseLineIsAWriteThroughRcx() throws Exception {
    List<String> lines = Files.readAllLines(seed());
    String line =
        lines.stream()
            .filter(l -> l.contains("<run_timer_softirq+248>:"))
            .findFirst()
            .orElseThrow();
    CrashDisLine d = dis(line);
    assertThat(d).isNotNull();
    assertThat(d.address()).isEqualTo(0xffffffff81098a68L);
    assertThat(d.function()).isEqualTo("run_timer_softirq");
    assertThat(d.offset()).isEqualTo(248);
    assertThat(d.text()).isEqualTo("mov %rsi,0x8(%rcx)");
    ExceptionFrame f =
        new ExceptionFrame(
            "run_timer_softirq",
            "0xf8",
            null,
            0xffffffff81098a68L,
            false,
            new RegisterSet(Map.of("RCX", 0xffffffffa88b53b0L, "RSI", 0xffff88007f283e90L)),
            null);
    assertThat(d.isAt(f)).isTrue();
    FaultingInstruction i = Objects.requireNonNull(d.resolve(f));
    assertThat(i).isNotNull();
    assertThat(i.source()).isEqualTo("crash-dis");
    MemoryOperand m = Objects.requireNonNull(i.memory());
    assertThat(m).isNotNull();
    assertThat(m.base()).isEqualTo("RCX");
    assertThat(m.displacement()).isEqualTo(8);
    assertThat(m.access()).isEqualTo(MemoryOperand.Access.WRITE);
    assertThat(m.widthBytes()).isEqualTo(8);
    assertThat(i.effectiveAddress()).isEqualTo(0xffffffffa88b53b8L);
    // the same line seen from func+off when the frame's RIP is unknown, and not another offset
    assertThat(
            d.isAt(
                new ExceptionFrame(
                    "run_timer_softirq", "0xf8", null, null, false, RegisterSet.empty(), null)))
        .isTrue();
    assertThat(
            d.isAt(
                new ExceptionFrame(
                    "run_timer_softirq", "0xf9", null, null, false, RegisterSet.empty(), null)))
        .isFalse();
  }

  /**
   * Read operands, index registers and size suffixes: the instruction text of
   * https://github.com/openzfs/zfs/issues/4737 ({@code mov 0x38(%rax),%eax}, objdump output there)
   * and of https://github.com/google/syzkaller/issues/6647 ({@code movzbl (%rax,%r14,1),%eax}), in
   * crash's line shape.
   */
  @Test
  void readOperandsIndexAndSuffixes() {
    CrashDisLine d = dis("0xffffffffc05d94ef <dmu_buf_get_blkptr+113>:\tmov    0x38(%rax),%eax");
    assertThat(d).isNotNull();
    FaultingInstruction i =
        Objects.requireNonNull(
            d.resolve(
                new ExceptionFrame(
                    null,
                    null,
                    null,
                    0xffffffffc05d94efL,
                    false,
                    new RegisterSet(Map.of("RAX", 0L, "CR2", 0x38L)),
                    null)));
    assertThat(i).isNotNull();
    assertThat(Objects.requireNonNull(i.memory()).access()).isEqualTo(MemoryOperand.Access.READ);
    assertThat(Objects.requireNonNull(i.memory()).widthBytes()).isEqualTo(4);
    assertThat(i.effectiveAddress()).isEqualTo(0x38L);
    assertThat(i.explainsFault()).isTrue();

    CrashDisLine z = dis("0xffffffff88d1a2b2 <rose_transmit_link+50>:  movzbl (%rax,%r14,1),%eax");
    assertThat(z).isNotNull();
    MemoryOperand m = z.insn().memory().get(0);
    assertThat(m.base()).isEqualTo("RAX");
    assertThat(m.index()).isEqualTo("R14");
    assertThat(m.scale()).isEqualTo(1);
    assertThat(m.widthBytes()).isEqualTo(1);
    assertThat(m.access()).isEqualTo(MemoryOperand.Access.READ);

    assertThat(
            dis("0xffffffff81000000 <f+1>:  cmpq   $0x0,-0x10(%rbp)")
                .insn()
                .memory()
                .get(0)
                .access())
        .isEqualTo(MemoryOperand.Access.READ);
    assertThat(
            dis("0xffffffff81000000 <f+1>:  lea    0x8(%rdi),%rax").insn().memory().get(0).access())
        .isEqualTo(MemoryOperand.Access.NONE);
    assertThat(
            dis("0xffffffff81000000 <f+1>:  lock incl 0x4(%rdi)").insn().memory().get(0).access())
        .isEqualTo(MemoryOperand.Access.READ_WRITE);
    assertThat(dis("0xffffffff81000000 <f+1>:  callq  0xffffffff81001000 <g>").insn().memory())
        .isEmpty();
    // not dis lines
    assertThat(CrashDisLine.parse("0x1234 is not an instruction")).isNull();
    assertThat(CrashDisLine.parse("crash> dis -l run_timer_softirq+248")).isNull();
  }
}
