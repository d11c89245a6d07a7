package org.ktriage.ingest.text;

import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Taint;

/**
 * Reads the tail of the line that names the task a report ran in, as {@code
 * dump_stack_print_info()} (lib/dump_stack.c) and the older {@code show_regs()} print it: {@code
 * <comm> [Kdump: loaded ]Not tainted|Tainted: <flags> [markers] <release> <version>}.
 */
final class TaskLine {
  private TaskLine() {}

  /** The fields of the tail; each is null when the tail did not show it. */
  record Tail(@Nullable String comm, @Nullable Taint taint, @Nullable String release) {}

  /** Reads {@code rest}; {@code hasComm} when the task's name comes before the taint. */
  static Tail read(String rest, boolean hasComm) {
    int nt = rest.indexOf("Not tainted");
    int t = rest.indexOf("Tainted: ");
    int at;
    String tail;
    Taint taint = null;
    if (nt >= 0 && (t < 0 || nt < t)) {
      at = nt;
      taint = new Taint("Not tainted");
      tail = rest.substring(nt + 11);
    } else if (t >= 0) {
      at = t;
      int i = t + 9;
      int j = i;
      while (j < rest.length()
          && (Character.isUpperCase(rest.charAt(j)) || rest.charAt(j) == ' ')) {
        j++;
      }
      taint = new Taint(rest.substring(i, j).stripTrailing());
      tail = rest.substring(j);
    } else {
      at = rest.length();
      tail = "";
    }
    String comm = null;
    if (hasComm) {
      String c = rest.substring(0, at).strip();
      if (c.endsWith("Kdump: loaded")) {
        c = c.substring(0, c.length() - 13).strip();
      }
      if (c.endsWith(",")) {
        c = c.substring(0, c.length() - 1);
      }
      comm = c.isEmpty() ? null : c;
    }
    Matcher rel = ReportLine.RELEASE.matcher(tail);
    return new Tail(comm, taint, rel.find() ? rel.group() : null);
  }
}
