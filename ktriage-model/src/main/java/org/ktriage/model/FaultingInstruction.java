package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * The instruction at the fault: decoded from the {@code Code:} bytes of a report (x86-64 {@code
 * <48>} marker, arm64 {@code (f9400021)} word) or from the kernel text in a dump, with its memory
 * operand resolved against the report's register dump.
 *
 * @param arch {@code x86_64} or {@code arm64}
 * @param source where the instruction came from: {@code code-line} or {@code kernel-text} (bytes
 *     decoded), or {@code crash-dis} (a {@code crash} session's {@code dis} line, AT&amp;T text
 *     read as printed; {@code bytes} empty)
 * @param address the instruction's address ({@code RIP}/{@code pc}), or null when unknown
 * @param bytes the instruction's bytes in hex, as printed ({@code 48 89 71 08}, {@code f9400021})
 * @param mnemonic the mnemonic as the disassembler prints it ({@code mov}, {@code ldr}), with any
 *     {@code lock}/{@code rep} prefix
 * @param text the whole instruction (AT&amp;T syntax on x86-64: {@code mov %rsi,0x8(%rcx)})
 * @param memory the memory operand, or null when the instruction has none
 * @param baseValue the base register's value from the register dump, or null
 * @param indexValue the index register's value from the register dump, or null
 * @param effectiveAddress base + index * scale + displacement (segment bases not added), or null
 *     when a register value is missing
 * @param faultAddress the fault address the report gives ({@code CR2}, {@code address:}, {@code
 *     FAR}), or null
 * @param explainsFault whether the effective address equals the fault address (null when either is
 *     unknown)
 */
public record FaultingInstruction(
    String arch,
    String source,
    @Nullable Long address,
    String bytes,
    String mnemonic,
    String text,
    @Nullable MemoryOperand memory,
    @Nullable Long baseValue,
    @Nullable Long indexValue,
    @Nullable Long effectiveAddress,
    @Nullable Long faultAddress,
    @Nullable Boolean explainsFault) {

  /**
   * One line of facts: {@code mov %rsi,0x8(%rcx) writes 8 bytes at RCX + 0x8; RCX =
   * ffffffffc04243c0, so ffffffffc04243c8 = the fault address}.
   */
  public String explanation() {
    StringBuilder s = new StringBuilder(text);
    MemoryOperand m = memory;
    if (m == null) {
      return s.append(" (no memory operand)").toString();
    }
    String verb =
        switch (m.access()) {
          case READ -> "reads";
          case WRITE -> "writes";
          case READ_WRITE -> "reads and writes";
          case NONE -> "computes";
        };
    s.append(' ').append(verb);
    if (m.widthBytes() > 0) {
      s.append(' ').append(m.widthBytes()).append(m.widthBytes() == 1 ? " byte" : " bytes");
    }
    s.append(" at ").append(addressExpression(m));
    if (m.base() != null && baseValue != null) {
      s.append("; ").append(m.base()).append(" = ").append(Hex.reg(baseValue));
    }
    if (m.index() != null && indexValue != null) {
      s.append(", ").append(m.index()).append(" = ").append(Hex.reg(indexValue));
    }
    if (effectiveAddress != null) {
      s.append(", so ").append(Hex.reg(effectiveAddress));
      if (Boolean.TRUE.equals(explainsFault)) {
        s.append(" = the fault address");
      } else if (Boolean.FALSE.equals(explainsFault) && faultAddress != null) {
        s.append(", not the fault address ").append(Hex.reg(faultAddress));
      }
    }
    return s.toString();
  }

  /** {@code RCX + 0x8}, {@code RAX + RDX*8 - 0x10}, {@code RIP + 0x1234}. */
  private static String addressExpression(MemoryOperand m) {
    StringBuilder s = new StringBuilder();
    if (m.segment() != null) {
      s.append(m.segment().toUpperCase(java.util.Locale.ROOT)).append(" base + ");
    }
    if (m.ripRelative()) {
      s.append("PC");
    } else if (m.base() != null) {
      s.append(m.base());
    }
    if (m.index() != null) {
      s.append(s.isEmpty() || s.toString().endsWith("+ ") ? "" : " + ")
          .append(m.index())
          .append(m.scale() == 1 ? "" : "*" + m.scale());
    }
    long d = m.displacement();
    if (s.isEmpty() || s.toString().endsWith("+ ")) {
      s.append(Hex.addr(d));
    } else if (d != 0) {
      s.append(d < 0 ? " - " : " + ").append(Hex.addr(d < 0 ? -d : d));
    }
    return s.toString();
  }
}
