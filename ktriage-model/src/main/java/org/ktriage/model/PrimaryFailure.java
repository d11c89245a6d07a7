package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * The first (root) failure found.
 *
 * @param failureClass its class
 * @param function function that failed, or null
 * @param offset hex offset with 0x, or null
 * @param module module of that function, or null
 * @param context context it ran in
 * @param cpu CPU, or null
 * @param address the faulting or bad address, or null
 * @param addressKind classification of {@code address}, or null when there is none
 * @param source the line it was read from, or null
 * @param instruction the faulting instruction with its memory operand, or null when unknown
 */
public record PrimaryFailure(
    FailureClass failureClass,
    @Nullable String function,
    @Nullable String offset,
    @Nullable String module,
    ContextKind context,
    @Nullable Integer cpu,
    @Nullable Long address,
    @Nullable AddressKind addressKind,
    @Nullable SourceSpan source,
    @Nullable FaultingInstruction instruction) {

  /** A primary failure without a decoded instruction. */
  public PrimaryFailure(
      FailureClass failureClass,
      @Nullable String function,
      @Nullable String offset,
      @Nullable String module,
      ContextKind context,
      @Nullable Integer cpu,
      @Nullable Long address,
      @Nullable AddressKind addressKind,
      @Nullable SourceSpan source) {
    this(failureClass, function, offset, module, context, cpu, address, addressKind, source, null);
  }
}
