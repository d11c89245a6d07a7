package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.SourceSpan;

/** A report's own stack among the stacks it prints: sections about another task left out. */
final class OwnStack {

  private OwnStack() {}

  /**
   * The frames of a report's call trace that are its own stack, innermost first, read with the
   * report's text extent (its lines and those up to the next report): without those printed in a
   * section about another task inside the report ({@link Culprits#TEXT_OTHER_TASK_START} to {@link
   * Culprits#TEXT_OTHER_TASK_END}: an RCU stall's dump of the starved grace-period kthread,
   * followed by the stalled CPU's own), and without lockdep's irq-state lines ({@link
   * #IRQ_STATE_LINES}).
   */
  static List<Frame> ownFrames(Oops o, List<LogRecord> extent) {
    List<Frame> frames = Culprits.framesOf(o);
    int from = -1;
    int to = Integer.MAX_VALUE;
    Set<Integer> irqState = new HashSet<>();
    for (int i = 0; i < extent.size(); i++) {
      LogRecord line = extent.get(i);
      String text = line.text();
      if (IRQ_EVENT_STAMP.matcher(text).find()) {
        for (int j = i + 1; j < Math.min(extent.size(), i + 1 + IRQ_STATE_LINES); j++) {
          irqState.add(extent.get(j).source().line());
        }
      }
      if (from < 0 && Culprits.TEXT_OTHER_TASK_START.matcher(text).find()) {
        from = line.source().line();
      } else if (from >= 0
          && to == Integer.MAX_VALUE
          && Culprits.TEXT_OTHER_TASK_END.matcher(text).find()) {
        to = line.source().line();
      }
    }
    if (to == Integer.MAX_VALUE) {
      // a section whose end the report does not show is kept: what follows its stack may be the
      // stalled CPU's own, printed without a header
      from = -1;
    }
    if (from < 0 && irqState.isEmpty()) {
      return frames;
    }
    List<Frame> own = new ArrayList<>();
    for (Frame fr : frames) {
      SourceSpan at = fr.source();
      if (at == null
          || ((from < 0 || at.line() < from || at.line() >= to) && !irqState.contains(at.line()))) {
        own.add(fr);
      }
    }
    return own;
  }

  /** kernel/locking/lockdep.c print_irqtrace_events(): {@code "irq event stamp: %u"}. */
  static final Pattern IRQ_EVENT_STAMP = Pattern.compile("\\birq event stamp: \\d+");

  /**
   * The lines print_irqtrace_events() prints after its stamp: where hardirqs and softirqs were last
   * enabled and disabled, each with a symbol ({@code "hardirqs last enabled at (%u): %pS"}); a
   * paste that lost their prefixes leaves bare symbols that are not the report's stack.
   */
  static final int IRQ_STATE_LINES = 4;
}
