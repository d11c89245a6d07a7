package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real logs joined and re-timed as a capture holding both would show them: the lab's NULL
 * dereference and a radeon WARN from ABRT's examples (CPU 0, kworker/0:1). Shared by the tests of
 * cause links and of independent incidents.
 */
final class JoinedLogs {

  private static final Pattern STAMP = Pattern.compile("^\\[ *(\\d+)\\.(\\d{6})\\]");

  private JoinedLogs() {}

  /** The radeon WARN of ABRT's {@code 1_oops.test}, up to its end-of-trace line. */
  static List<String> radeonWarn() throws Exception {
    List<String> out = new ArrayList<>();
    for (String l : Inputs.text("corpus/abrt/examples/1_oops.test").split("\n", -1)) {
      out.add(l);
      if (l.contains("---[ end trace")) {
        break;
      }
    }
    return out;
  }

  /** The lines of the lab's NULL dereference console log. */
  static List<String> labNullDeref() throws Exception {
    return new ArrayList<>(List.of(Inputs.text("lab/out/null-deref/console.log").split("\n", -1)));
  }

  /** A line with its printk time moved to {@code seconds} + its microseconds. */
  static String retimed(String line, long seconds) {
    Matcher m = STAMP.matcher(line);
    if (!m.find()) {
      return line;
    }
    return String.format("[%5d.%s]", seconds, m.group(2)) + line.substring(m.end());
  }

  /**
   * The lab NULL dereference log with the radeon WARN printed during boot (second 0) and the oops
   * at {@code oopsSeconds} + 2.
   */
  static String warnAtBootOopsAt(long oopsSeconds) throws Exception {
    List<String> lab = labNullDeref();
    int oops = 0;
    while (!lab.get(oops).contains("BUG: kernel NULL pointer dereference")) {
      oops++;
    }
    List<String> out = new ArrayList<>(lab.subList(0, 200));
    for (String l : radeonWarn()) {
      out.add(retimed(l, 0));
    }
    out.addAll(lab.subList(200, oops));
    for (String l : lab.subList(oops, lab.size())) {
      out.add(retimed(l, oopsSeconds + 2));
    }
    return String.join("\n", out);
  }
}
