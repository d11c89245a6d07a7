package org.ktriage.ingest.kernel;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One kernel stack of a CPU or task, {@code [low, high)}, named as {@code crash bt} marks it:
 * {@code IRQ}, {@code NMI exception}, {@code DF exception}, ..., or {@code task}.
 */
public record StackRange(String name, long low, long high) {
  /** True when {@code addr} lies on this stack. */
  public boolean contains(long addr) {
    return Long.compareUnsigned(addr, low) >= 0 && Long.compareUnsigned(addr, high) < 0;
  }

  /** True for the task (process) stack. */
  public boolean isTask() {
    return name.equals("task");
  }

  /** The first stack containing {@code addr}, or null. */
  public static @Nullable StackRange find(List<StackRange> stacks, long addr) {
    for (StackRange s : stacks) {
      if (s.contains(addr)) {
        return s;
      }
    }
    return null;
  }
}
