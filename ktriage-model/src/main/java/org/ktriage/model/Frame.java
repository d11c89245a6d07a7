package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * One call-trace frame.
 *
 * @param function symbol name as printed (compiler suffixes kept, e.g. {@code foo.isra.0})
 * @param offset offset into the function as lower-case hex with 0x, or null
 * @param size function size as lower-case hex with 0x, or null
 * @param module module name from {@code [mod]}, null for vmlinux
 * @param address text address when printed ({@code [<ffffffff81234567>]} or crash's {@code at}), or
 *     null
 * @param reliable false for {@code ? } frames and stack-scan guesses
 * @param source where the frame was read, or null
 */
public record Frame(
    String function,
    @Nullable String offset,
    @Nullable String size,
    @Nullable String module,
    @Nullable Long address,
    boolean reliable,
    @Nullable SourceSpan source) {

  /** {@code function+0xoff} or just the function. */
  public String where() {
    return offset == null ? function : function + "+" + offset;
  }
}
