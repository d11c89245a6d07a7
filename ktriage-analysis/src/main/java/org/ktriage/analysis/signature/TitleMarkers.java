package org.ktriage.analysis.signature;

import java.util.ArrayList;
import java.util.List;
import org.ktriage.analysis.signature.TitleRules.OopsRule;
import org.ktriage.analysis.text.Literals;

/**
 * The title table's oops headers and info messages with a stack, found in each line of a log in one
 * pass ({@link Literals}) instead of one {@code contains} per header and line.
 */
final class TitleMarkers {
  private final TitleRules rules;

  /** The oops headers, then the info messages with a stack. */
  private final Literals markers;

  /** The marker number of each oops rule's header, in the order of {@code rules.oopses}. */
  private final int[] headerOf;

  /** Which markers are info messages with a stack. */
  private final boolean[] isInfo;

  TitleMarkers(TitleRules rules) {
    this.rules = rules;
    List<String> all = new ArrayList<>();
    for (OopsRule o : rules.oopses) {
      all.add(o.header());
    }
    all.addAll(rules.infoMessagesWithStack);
    this.markers = Literals.of(all);
    this.headerOf = new int[rules.oopses.size()];
    for (int i = 0; i < headerOf.length; i++) {
      headerOf[i] = markers.id(rules.oopses.get(i).header());
    }
    this.isInfo = new boolean[markers.size()];
    for (String info : rules.infoMessagesWithStack) {
      isInfo[markers.id(info)] = true;
    }
  }

  /**
   * Per line: the first oops rule (in table order) whose header the line holds and whose
   * suppressions it does not match, or -1; and whether it holds an info message with a stack.
   */
  static final class Lines {
    final int[] oops;
    final boolean[] info;

    Lines(int[] oops, boolean[] info) {
      this.oops = oops;
      this.info = info;
    }
  }

  Lines of(List<String> text) {
    int[] oops = new int[text.size()];
    boolean[] info = new boolean[text.size()];
    int[] found = new int[markers.size()];
    boolean[] has = new boolean[markers.size()];
    for (int i = 0; i < oops.length; i++) {
      String line = text.get(i);
      oops[i] = -1;
      int n = markers.find(line, found);
      if (n == 0) {
        continue;
      }
      for (int j = 0; j < n; j++) {
        has[found[j]] = true;
        info[i] |= isInfo[found[j]];
      }
      for (int o = 0; o < headerOf.length; o++) {
        if (has[headerOf[o]] && !StackFrames.matchesAny(rules.oopses.get(o).suppress(), line)) {
          oops[i] = o;
          break;
        }
      }
      for (int j = 0; j < n; j++) {
        has[found[j]] = false;
      }
    }
    return new Lines(oops, info);
  }
}
