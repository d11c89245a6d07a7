package org.ktriage.model.kind;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.FailureClass;

/**
 * One header form of one kind of kernel report: a literal {@code prefix} the line must start with
 * (the cheap check) or a literal it {@code contains}, the pattern that must match from there, the
 * kind's family, the class the header alone proves, how the header behaves when a log is cut into
 * reports, how the line is marked for people, and (for kinds the title table does not list) how the
 * report is titled.
 *
 * @param family short kind id (e.g. {@code page-fault}, {@code kasan}, {@code lockdep})
 * @param failureClass the class the header alone proves; {@link FailureClass#UNKNOWN} when the
 *     report body decides (a KASAN header names use-after-free or out-of-bounds further on)
 * @param prefix literal start of the line, or empty for a header found by {@code contains}
 * @param contains literal the line must contain (headers with an empty prefix), or empty
 * @param pattern the expanded pattern, matched from the prefix position; group {@code addr} (if
 *     any) is the fault address
 * @param role how the header opens or joins a report
 * @param lineKind how the header line is marked in a log view
 * @param title how the report is titled, or null when {@code linux-titles.yaml} titles it
 */
public record ReportKind(
    String family,
    FailureClass failureClass,
    String prefix,
    String contains,
    Pattern pattern,
    ReportRole role,
    LineKind lineKind,
    @Nullable TitleFormat title) {

  /** The match at {@code from}, or null. */
  public @Nullable Matcher match(String text, int from) {
    Matcher m = pattern.matcher(text);
    m.region(from, text.length());
    return m.lookingAt() ? m : null;
  }
}
