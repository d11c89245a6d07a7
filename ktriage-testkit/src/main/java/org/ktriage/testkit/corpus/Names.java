package org.ktriage.testkit.corpus;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /** A C identifier as a report prints it (a symbol, a word of prose). */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * True when the text prints one of a label's functions ({@code a|b}) as a whole identifier, in
   * any spelling {@link #same} accepts ({@code f+0x1/0x2}, {@code f.isra.0}, {@code __x64_sys_f}):
   * a mechanical test of whether the report can show its labelled culprit at all.
   */
  static boolean shown(String label, byte[] text) {
    String[] wanted =
        Arrays.stream(label.split("\\|", -1))
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .map(Names::base)
            .toArray(String[]::new);
    if (wanted.length == 0) {
      return false;
    }
    Matcher m = IDENTIFIER.matcher(new String(text, StandardCharsets.ISO_8859_1));
    while (m.find()) {
      String b = base(m.group());
      for (String w : wanted) {
        if (w.equals(b)) {
          return true;
        }
      }
    }
    return false;
  }
}
