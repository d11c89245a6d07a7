package org.ktriage.testkit.corpus;

/**
 * What a corpus label can say about a file, compared by {@link Judge}. The first four make a file
 * "right" (the diagnosis); the others score titles and what the readers found.
 */
public enum Measure {
  /** A crash report is found (yes/no). */
  FOUND("found", true),
  /** Our class is one of the labelled classes ({@code a|b|c}). */
  CLASS("class", true),
  /** The primary function is the labelled culprit (suffixes like {@code .isra.0} ignored). */
  CULPRIT("culprit", true),
  /**
   * The culprit again, counted only over files whose labelled culprit is printed somewhere in the
   * report text ({@link Names#shown}): what the text can show. Not part of "right".
   */
  CULPRIT_SHOWN("culprit-shown", false),
  /** Every labelled rule fired (comma-separated ids). */
  RULES("rules", true),
  /** The first finding is the labelled rule. */
  TOP_RULE("top-rule", true),
  /** The primary's module, or the top finding's summary, names the labelled module. */
  MODULE("module", false),
  /** The title is the labelled one, exactly (empty = no title). */
  TITLE("title", false),
  /** The alternative titles are exactly the labelled set ({@code \n}-separated, sorted). */
  ALT("alt", false),
  /** syzkaller's crash TYPE of our title is the labelled one. */
  TYPE("type", false),
  /** The corrupted flag is the labelled one (Y/N). */
  CORRUPTED("corrupted", false),
  /** The kernel release read is the labelled one. */
  RELEASE("release", false),
  /** The number of reports found ({@code N} exactly or {@code >=N}). */
  OOPSES("oopses", false),
  /** The first report's first line contains the labelled line (or the reverse). */
  HEADLINE("headline", false),
  /** The number of taint flags set on the first report (G/space not counted). */
  TAINT("taint", false),
  /** The number of modules in the first report's {@code Modules linked in:}. */
  MODULES("modules", false);

  private final String key;
  private final boolean diagnosis;

  Measure(String key, boolean diagnosis) {
    this.key = key;
    this.diagnosis = diagnosis;
  }

  /** The name used in the floors file and the score table. */
  public String key() {
    return key;
  }

  /** True when this measure decides whether a file is right (class, culprit, rules, found). */
  public boolean diagnosis() {
    return diagnosis;
  }

  /** The measure of a floors-file key. */
  public static Measure ofKey(String key) {
    for (Measure m : values()) {
      if (m.key.equals(key)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown measure: " + key);
  }
}
