package org.ktriage.analysis.rule.computed;

import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.Primary;
import org.ktriage.model.Evidence;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.LogRecord;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.SourceSpan;

/**
 * The decoded faulting instruction as evidence: which register held the bad pointer, read from the
 * instruction's memory operand instead of guessed from register values.
 */
final class Instructions {
  private Instructions() {}

  /** The register that held the base address and its value. */
  record Pointer(String register, long value, boolean explainsFault) {}

  /** The primary's instruction, or null. */
  static @Nullable FaultingInstruction of(Primary p) {
    return p.instruction();
  }

  /** The base register of the faulting access and its value, when both are known. */
  static @Nullable Pointer pointer(Primary p) {
    FaultingInstruction i = p.instruction();
    if (i == null) {
      return null;
    }
    MemoryOperand m = i.memory();
    Long v = i.baseValue();
    if (m == null || m.base() == null || v == null) {
      return null;
    }
    return new Pointer(m.base(), v, Boolean.TRUE.equals(i.explainsFault()));
  }

  /** Evidence line {@code faulting instruction: mov %rsi,0x8(%rcx) writes …}, or null. */
  static @Nullable Evidence evidence(Primary p) {
    FaultingInstruction i = p.instruction();
    if (i == null) {
      return null;
    }
    return new Evidence("faulting instruction: " + i.explanation(), source(p, i));
  }

  private static @Nullable SourceSpan source(Primary p, FaultingInstruction i) {
    if (p.report() == null) {
      return p.source();
    }
    if (i.source().equals("code-line")) {
      for (LogRecord l : p.report().oops().lines()) {
        if (l.text().contains("Code: ")) {
          return l.source();
        }
      }
    }
    return p.report().oops().span();
  }
}
