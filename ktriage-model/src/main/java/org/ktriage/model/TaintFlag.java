package org.ktriage.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's taint flags, one line each in bit order, as {@code taint_flags[]} in {@code
 * kernel/panic.c} defines them ({@code include/linux/panic.h} gives the bit numbers): the letter
 * {@code print_tainted()} prints when the bit is set, and what setting it means. The one table of
 * taint letters; renderers draw {@link #meaning()}, rules test {@link Taint#has(char)}.
 */
public enum TaintFlag {
  PROPRIETARY_MODULE(0, 'P', "proprietary module loaded"),
  FORCED_MODULE(1, 'F', "module force-loaded"),
  CPU_OUT_OF_SPEC(2, 'S', "out-of-spec system (SMP on unsupported CPU)"),
  FORCED_RMMOD(3, 'R', "module force-unloaded"),
  MACHINE_CHECK(4, 'M', "machine check occurred"),
  BAD_PAGE(5, 'B', "bad page referenced"),
  USER(6, 'U', "tainted on user request"),
  DIE(7, 'D', "kernel died recently (an earlier oops or BUG)"),
  OVERRIDDEN_ACPI_TABLE(8, 'A', "ACPI table overridden"),
  WARN(9, 'W', "a warning was issued earlier"),
  CRAP(10, 'C', "staging driver loaded"),
  FIRMWARE_WORKAROUND(11, 'I', "firmware bug worked around"),
  OOT_MODULE(12, 'O', "out-of-tree module loaded"),
  UNSIGNED_MODULE(13, 'E', "unsigned module loaded"),
  SOFTLOCKUP(14, 'L', "soft lockup occurred earlier"),
  LIVEPATCH(15, 'K', "kernel live-patched"),
  AUX(16, 'X', "auxiliary taint (distribution defined)"),
  RANDSTRUCT(17, 'T', "built with struct randomisation"),
  TEST(18, 'N', "in-kernel test module loaded"),
  FWCTL(19, 'J', "fwctl mutating debug interface used");

  /**
   * The letter printed for a clear {@link #PROPRIETARY_MODULE} bit (the only flag whose clear state
   * has a letter): only GPL-compatible modules loaded.
   */
  public static final char GPL_ONLY = 'G';

  private final int bit;
  private final char letter;
  private final String meaning;

  TaintFlag(int bit, char letter, String meaning) {
    this.bit = bit;
    this.letter = letter;
    this.meaning = meaning;
  }

  /** The bit number in the kernel's {@code tainted_mask} ({@code TAINT_*}). */
  public int bit() {
    return bit;
  }

  /** The letter {@code print_tainted()} prints when the flag is set. */
  public char letter() {
    return letter;
  }

  /** What the flag says about the kernel, for people. */
  public String meaning() {
    return meaning;
  }

  /** The flag printed as {@code letter} when set, or null for a letter no flag prints. */
  public static @Nullable TaintFlag ofLetter(char letter) {
    for (TaintFlag f : values()) {
      if (f.letter == letter) {
        return f;
      }
    }
    return null;
  }

  /**
   * The letters of a taint string with their meanings, in the order printed; {@code G} reads as
   * "only GPL modules loaded", letters no flag prints are left out. Reads both forms of {@code
   * _print_tainted()} in {@code kernel/panic.c}: the positional letters ({@code "G OE"}) and the
   * verbose list newer kernels print on a line of its own ({@code "[L]=SOFTLOCKUP, [W]=WARN"}).
   */
  public static List<Letter> letters(Taint taint) {
    List<Letter> out = new ArrayList<>();
    if (!taint.isTainted()) {
      return out;
    }
    String printed = taint.compact();
    Matcher verbose = VERBOSE.matcher(printed);
    if (verbose.find()) {
      do {
        add(verbose.group(1).charAt(0), out);
      } while (verbose.find());
      return out;
    }
    for (int i = 0; i < printed.length(); i++) {
      add(printed.charAt(i), out);
    }
    return out;
  }

  /** One entry of the verbose form: {@code [letter]=NAME}. */
  private static final Pattern VERBOSE = Pattern.compile("\\[([A-Z])\\]=[A-Z_]+");

  private static void add(char c, List<Letter> out) {
    if (c == GPL_ONLY) {
      out.add(new Letter(c, "only GPL modules loaded"));
      return;
    }
    TaintFlag f = ofLetter(c);
    if (f != null) {
      out.add(new Letter(c, f.meaning()));
    }
  }

  /** A letter of a taint string and what it means. */
  public record Letter(char letter, String meaning) {}
}
