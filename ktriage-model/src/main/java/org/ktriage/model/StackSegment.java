package org.ktriage.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A run of frames executing on one stack in one context, innermost frame first.
 *
 * @param context the execution context of these frames
 * @param marker the stack marker as printed ({@code IRQ}, {@code NMI}, {@code TASK}, {@code #DF},
 *     {@code NMI exception stack}, …), or null
 * @param frames frames, innermost first
 * @param exception the registers of the context this segment interrupted (printed at the end of the
 *     segment), or null
 */
public record StackSegment(
    ContextKind context,
    @Nullable String marker,
    List<Frame> frames,
    @Nullable ExceptionFrame exception) {
  public StackSegment {
    frames = List.copyOf(frames);
  }
}
