package org.ktriage.model.kind;

/**
 * The source function a printed symbol names. GCC and Clang emit clones of a function under
 * suffixed names: interprocedural scalar replacement {@code .isra.N}, constant propagation {@code
 * .constprop.N}, partial inlining {@code .part.N}, hot/cold splitting {@code .cold} ({@code
 * .cold.N} before GCC 9), {@code .lto_priv.N} and Clang's ThinLTO promotion {@code .llvm.<digits>};
 * kallsyms prints them as they are ({@code %pS} in lib/vsprintf.c). syzkaller's pkg/report takes
 * the name up to the first dot for its {@code {{FUNC}}} macro; culprits, primary frames, signatures
 * and titles name the source function the same way, through this one place.
 */
public final class CloneSuffixes {
  private CloneSuffixes() {}

  /**
   * The function without its compiler clone suffixes ({@code foo.isra.0}, {@code
   * foo.constprop.0.cold} and {@code foo.llvm.123} become {@code foo}); a name that starts with a
   * dot (an assembler local label such as {@code .slowpath}) is kept as printed.
   */
  public static String strip(String function) {
    int dot = function.indexOf('.');
    return dot > 0 ? function.substring(0, dot) : function;
  }
}
