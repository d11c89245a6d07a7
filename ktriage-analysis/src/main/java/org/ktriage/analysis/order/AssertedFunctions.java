package org.ktriage.analysis.order;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.kind.ReportKinds;

/**
 * The function whose check failed, as a subsystem's own assertion report names it (the "assertion"
 * kinds of {@link ReportKinds}): the {@code func} group of its header where the macro prints {@code
 * __func__} (drbd's "ASSERTION %s FAILED in %s", the SPL's and Lustre's "(file:line:func())"
 * location), else the location spl_panic() prints on the next line, "PANIC at %s:%d:%s()"
 * (module/os/linux/spl/spl-err.c).
 */
final class AssertedFunctions {

  private AssertedFunctions() {}

  private static final Pattern SPL_PANIC_AT =
      Pattern.compile("\\bPANIC at [\\w.-]+:\\d+:([A-Za-z_]\\w*)\\(\\)");

  /** Lines of an assertion report read for spl_panic()'s location: it follows the header. */
  private static final int PANIC_AT_REACH = 3;

  /** The asserting function of a report of the "assertion" family, or null. */
  static @Nullable Frame of(Oops o) {
    String h = o.headline();
    int from = 0;
    while (from < h.length() && Character.isWhitespace(h.charAt(from))) {
      from++;
    }
    ReportKinds.Match m = ReportKinds.match(h, from);
    if (m == null || !m.kind().family().equals("assertion")) {
      return null;
    }
    if (m.kind().pattern().pattern().contains("(?<func>")) {
      String func = m.matcher().group("func");
      if (func != null) {
        return new Frame(func, null, null, null, null, true, o.span());
      }
    }
    int n = 0;
    for (LogRecord line : o.lines()) {
      if (n++ > PANIC_AT_REACH) {
        break;
      }
      Matcher p = SPL_PANIC_AT.matcher(line.text());
      if (p.find()) {
        return new Frame(p.group(1), null, null, null, null, true, line.source());
      }
    }
    return null;
  }
}
