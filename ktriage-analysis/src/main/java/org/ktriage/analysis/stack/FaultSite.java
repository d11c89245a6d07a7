package org.ktriage.analysis.stack;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ContextKind;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;

/**
 * One saved exception frame on a CPU with how it was entered and in which context the interrupted
 * code ran.
 *
 * @param frame the saved registers of the interrupted (or faulting) instruction
 * @param entry how the handler was entered
 * @param faultClass class of the exception when {@code entry} is {@link EntryKind#FAULT}, else
 *     {@link FailureClass#UNKNOWN}
 * @param context execution context of the interrupted code
 * @param handler frames that ran because of this entry (inner to it), innermost first
 * @param outer frames of the interrupted code's callers, innermost first, up to the next site
 * @param depth 0 for the innermost site on the CPU, growing outward
 */
public record FaultSite(
    ExceptionFrame frame,
    EntryKind entry,
    FailureClass faultClass,
    ContextKind context,
    List<Frame> handler,
    List<Frame> outer,
    int depth) {

  public FaultSite {
    handler = List.copyOf(handler);
    outer = List.copyOf(outer);
  }

  /** True when this entry started an error path. */
  public boolean isFault() {
    return entry == EntryKind.FAULT;
  }

  /** The first handler frame whose name satisfies the test, innermost first, or null. */
  public @Nullable Frame handlerFrame(java.util.function.Predicate<String> test) {
    for (Frame f : handler) {
      if (test.test(f.function())) {
        return f;
      }
    }
    return null;
  }
}
