package org.ktriage.ingest.kernel;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One step of an unwind: the stack slot where the return address was found (for an exception frame:
 * the {@code pt_regs} address), the instruction pointer, its symbol and offset, the stack the slot
 * lies on, for an exception frame the saved registers by {@code crash} name, and the module whose
 * symbol names the instruction pointer (null for the core kernel or no symbol).
 */
public record UnwoundFrame(
    long slot,
    long ip,
    @Nullable String function,
    long offset,
    @Nullable String stack,
    @Nullable Map<String, Long> exceptionRegisters,
    boolean reliable,
    @Nullable String module) {

  /**
   * A reliable frame at {@code slot} whose instruction pointer {@code ip} is named by the symbol
   * containing {@code lookup} (the call before a return address, as {@code %pB} looks it up; the
   * address itself for an interrupted one), on whichever of {@code stacks} holds the slot. The one
   * symbolize-and-wrap step of every unwinder (ORC, arm64 frame records).
   */
  static UnwoundFrame symbolized(
      KernelView k,
      long slot,
      long ip,
      long lookup,
      java.util.List<StackRange> stacks,
      @Nullable Map<String, Long> regs) {
    KernelSymbol sym = k.symbols().symbolize(lookup);
    StackRange stack = StackRange.find(stacks, slot);
    return new UnwoundFrame(
        slot,
        ip,
        sym == null ? null : sym.name(),
        sym == null ? 0 : ip - sym.address(),
        stack == null ? null : stack.name(),
        regs,
        true,
        sym == null ? null : sym.module());
  }

  /** The same frame marked as found by scanning. */
  public UnwoundFrame unreliable() {
    return new UnwoundFrame(slot, ip, function, offset, stack, exceptionRegisters, false, module);
  }

  /** True for a {@code pt_regs} frame (an interrupt or exception entry). */
  public boolean isException() {
    return exceptionRegisters != null;
  }
}
