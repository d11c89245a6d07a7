package org.ktriage.ingest.insn;

import java.util.List;
import org.ktriage.model.MemoryOperand;

/**
 * One decoded instruction.
 *
 * @param length bytes the instruction occupies (4 on arm64)
 * @param mnemonic the mnemonic with any {@code lock}/{@code rep} prefix, as objdump prints it
 * @param text the whole instruction as objdump prints it, single-spaced, without comment
 * @param memory the memory operands it accesses, explicit first, then implicit stack accesses
 *     ({@code push}, {@code call}, {@code pop}, {@code ret}); empty when it touches no memory
 */
public record DecodedInstruction(
    int length, String mnemonic, String text, List<MemoryOperand> memory) {
  public DecodedInstruction {
    memory = List.copyOf(memory);
  }
}
