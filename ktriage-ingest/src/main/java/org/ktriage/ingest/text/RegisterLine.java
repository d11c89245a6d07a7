package org.ktriage.ingest.text;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses register dump lines ({@code RAX: … RBX: …}, {@code RSP: 0018:… EFLAGS: …}, {@code FS:
 * …(0000)}, crash's {@code RIP: ffffffff… RSP: … RFLAGS: …}, arm64 {@code x29: … x28: …}, {@code sp
 * : …}, {@code pstate: …}) into upper-case names and values.
 */
public final class RegisterLine {
  private static final Pattern PAIR =
      Pattern.compile(
          "(?<name>[A-Za-z][A-Za-z0-9_]{0,8})\\s?:\\s*(?:[0-9a-f]{4}:(?=[0-9a-f]{8}))?"
              + "(?<value>[0-9a-f]{2,16})(?=[\\s(]|$)");

  private static final Set<String> FIRST =
      Set.of(
          "RAX",
          "RBX",
          "RCX",
          "RDX",
          "RSI",
          "RDI",
          "RBP",
          "RSP",
          "R8",
          "R9",
          "R10",
          "R11",
          "R12",
          "R13",
          "R14",
          "R15",
          "RIP",
          "EFLAGS",
          "RFLAGS",
          "ORIG_RAX",
          "FS",
          "GS",
          "CS",
          "DS",
          "ES",
          "SS",
          "CR0",
          "CR2",
          "CR3",
          "CR4",
          "DR0",
          "DR1",
          "DR2",
          "DR3",
          "DR6",
          "DR7",
          "PKRU",
          "EAX",
          "EBX",
          "ECX",
          "EDX",
          "ESI",
          "EDI",
          "EBP",
          "ESP",
          "EIP",
          "SP",
          "PSTATE",
          "LR",
          "PC");

  private RegisterLine() {}

  /** The registers on the line, or null when it is not a register line. */
  public static @Nullable Map<String, Long> parse(String text, int from) {
    int n = text.length();
    if (from >= n) {
      return null;
    }
    char c = text.charAt(from);
    if (!(c >= 'A' && c <= 'Z') && c != 'x' && c != 's' && c != 'p' && c != 'l') {
      return null;
    }
    Matcher m = PAIR.matcher(text);
    m.region(from, n);
    if (!m.lookingAt()) {
      return null;
    }
    String first = name(m.group("name"));
    if (!FIRST.contains(first) && !isArmX(first)) {
      return null;
    }
    Map<String, Long> out = new LinkedHashMap<>();
    int pos = from;
    m.region(from, n);
    while (m.find()) {
      String gap = text.substring(pos, m.start()).trim();
      if (!gap.isEmpty() && !gap.startsWith("(") && !gap.matches("[\\s(0-9a-fA-Fx)]*")) {
        // text between pairs that is not a selector like "(0000)": stop at the first stray word
        break;
      }
      out.put(name(m.group("name")), Long.parseUnsignedLong(m.group("value"), 16));
      pos = m.end();
    }
    return out.isEmpty() ? null : out;
  }

  private static boolean isArmX(String name) {
    if (name.length() < 2 || name.length() > 3 || name.charAt(0) != 'X') {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Upper-case name with kernel spelling differences removed ({@code R08} → {@code R8}). */
  static String name(String raw) {
    String up = raw.toUpperCase(Locale.ROOT);
    if (up.length() == 3 && up.charAt(0) == 'R' && up.charAt(1) == '0') {
      return "R" + up.charAt(2);
    }
    return up;
  }
}
