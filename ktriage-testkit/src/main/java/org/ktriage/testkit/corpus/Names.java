package org.ktriage.testkit.corpus;

/** Function-name comparison the way titles and labels spell them. */
final class Names {
  private Names() {}

  /**
   * The function without {@code +0x…/0x…}, module tag, compiler suffixes ({@code .isra.0}, {@code
   * .constprop.0}, {@code .part.3}, {@code .cold}, {@code .llvm.123}) and syscall-wrapper prefixes
   * ({@code __x64_sys_foo} and {@code __se_sys_foo} are {@code sys_foo}, as syzkaller titles them).
   */
  static String base(String function) {
    String f = function.strip();
    int plus = f.indexOf('+');
    if (plus > 0) {
      f = f.substring(0, plus);
    }
    int space = f.indexOf(' ');
    if (space > 0) {
      f = f.substring(0, space);
    }
    int dot = f.indexOf('.');
    if (dot > 0) {
      f = f.substring(0, dot);
    }
    f = f.replaceFirst("^(?:__(?:x64|ia32|arm64|riscv|s390x?|se|do)_)+sys_", "sys_");
    return f;
  }

  /** True when two spellings name the same function. */
  static boolean same(String a, String b) {
    return base(a).equals(base(b));
  }
}
