package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * The saved registers of an interrupted context (a pt_regs frame): an oops's {@code RIP:}/{@code pc
 * :} block, a nested {@code RIP:} block inside a call trace, or crash's {@code [exception RIP:
 * func+off]} block.
 *
 * @param function symbol at the saved instruction pointer, null when unknown or user space
 * @param offset hex offset with 0x, or null
 * @param module module name, or null
 * @param ip the saved instruction pointer, or null
 * @param userMode true when the interrupted context was user space
 * @param registers all registers printed with the frame
 * @param source where it was read, or null
 * @param instruction the instruction at {@code ip} when the input shows it (a {@code crash}
 *     session's {@code dis} line of that address), resolved against these registers; null when
 *     unknown
 */
public record ExceptionFrame(
    @Nullable String function,
    @Nullable String offset,
    @Nullable String module,
    @Nullable Long ip,
    boolean userMode,
    RegisterSet registers,
    @Nullable SourceSpan source,
    @Nullable FaultingInstruction instruction) {

  /** A frame whose instruction is not known. */
  public ExceptionFrame(
      @Nullable String function,
      @Nullable String offset,
      @Nullable String module,
      @Nullable Long ip,
      boolean userMode,
      RegisterSet registers,
      @Nullable SourceSpan source) {
    this(function, offset, module, ip, userMode, registers, source, null);
  }

  /** This frame with the instruction at its {@code ip}. */
  public ExceptionFrame withInstruction(@Nullable FaultingInstruction i) {
    return new ExceptionFrame(function, offset, module, ip, userMode, registers, source, i);
  }

  /** {@code function+0xoff}, or the hex ip, or "unknown". */
  public String where() {
    if (function != null) {
      return offset == null ? function : function + "+" + offset;
    }
    return ip == null ? "unknown" : Hex.addr(ip);
  }
}
