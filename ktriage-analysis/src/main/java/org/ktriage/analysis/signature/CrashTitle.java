package org.ktriage.analysis.signature;

import java.util.List;

/**
 * A crash title in syzbot's spelling.
 *
 * @param title the normalized one-line title, e.g. {@code KASAN: use-after-free Read in foo}
 * @param altTitles alternative titles used for de-duplication (two crashes are the same bug when
 *     their title and alternative titles intersect), in the order they were produced
 * @param corrupted true when the report is truncated, intermixed or otherwise unreliable
 * @param type syzkaller's crash type derived from the title ({@code KASAN-READ}, {@code HANG}, …),
 *     empty when unknown
 * @param frame the indicative function: the identifier after the last {@code " in "} of the title,
 *     or empty
 */
public record CrashTitle(
    String title, List<String> altTitles, boolean corrupted, String type, String frame) {
  public CrashTitle {
    altTitles = List.copyOf(altTitles);
  }
}
