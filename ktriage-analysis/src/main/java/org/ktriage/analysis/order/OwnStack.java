package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
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
   * followed by the stalled CPU's own).
   */
  static List<Frame> ownFrames(Oops o, List<LogRecord> extent) {
    List<Frame> frames = Culprits.framesOf(o);
    int from = -1;
    int to = Integer.MAX_VALUE;
    for (LogRecord line : extent) {
      String text = line.text();
      if (from < 0 && Culprits.TEXT_OTHER_TASK_START.matcher(text).find()) {
        from = line.source().line();
      } else if (from >= 0 && Culprits.TEXT_OTHER_TASK_END.matcher(text).find()) {
        to = line.source().line();
        break;
      }
    }
    if (from < 0 || to == Integer.MAX_VALUE) {
      // a section whose end the report does not show is kept: what follows its stack may be the
      // stalled CPU's own, printed without a header
      return frames;
    }
    List<Frame> own = new ArrayList<>();
    for (Frame fr : frames) {
      SourceSpan at = fr.source();
      if (at == null || at.line() < from || at.line() >= to) {
        own.add(fr);
      }
    }
    return own;
  }
}
