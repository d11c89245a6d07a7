package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * The memory operand of a decoded instruction: {@code segment:displacement(base,index,scale)} on
 * x86-64, {@code [base, index/offset]} on arm64.
 *
 * @param text the operand as the disassembler prints it ({@code 0x8(%rcx)}, {@code [x1, #8]})
 * @param segment the segment override ({@code gs}), or null
 * @param base the base register as printed in the register dump ({@code RCX}, {@code X1}), or null
 *     when the address has none (absolute or RIP-relative)
 * @param index the index register ({@code RAX}, {@code X2}), or null
 * @param scale the index multiplier (1 when there is no index)
 * @param displacement the signed displacement added to base and index (for arm64 post-index forms,
 *     0: the access is at the base)
 * @param ripRelative true when the address is relative to the next instruction ({@code (%rip)})
 * @param widthBytes bytes accessed, or 0 when unknown
 * @param access how the instruction uses the memory
 */
public record MemoryOperand(
    String text,
    @Nullable String segment,
    @Nullable String base,
    @Nullable String index,
    int scale,
    long displacement,
    boolean ripRelative,
    int widthBytes,
    Access access) {

  /** How an instruction uses its memory operand. */
  public enum Access {
    READ("read"),
    WRITE("write"),
    READ_WRITE("read-write"),
    /** The address is computed, not accessed ({@code lea}, prefetch). */
    NONE("none");

    private final String id;

    Access(String id) {
      this.id = id;
    }

    /** The stable kebab-case id used in JSON. */
    public String id() {
      return id;
    }
  }
}
