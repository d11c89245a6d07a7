package org.ktriage.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One fact a finding rests on: the text shown to people, where it was read, and the values it
 * names.
 *
 * @param text the fact in words
 * @param source where it was read, or null when it was derived
 * @param addresses the pointer-sized values the fact is about (a lock word, a fault address, a
 *     poison value, a callback), so that renderers can mark them wherever they appear (registers)
 *     without reading the text; empty when it names none
 */
public record Evidence(String text, @Nullable SourceSpan source, List<Long> addresses) {
  public Evidence {
    addresses = List.copyOf(addresses);
  }

  /** A fact that names no value. */
  public Evidence(String text, @Nullable SourceSpan source) {
    this(text, source, List.of());
  }

  /** A fact about one value. */
  public static Evidence about(String text, @Nullable SourceSpan source, long address) {
    return new Evidence(text, source, List.of(address));
  }
}
