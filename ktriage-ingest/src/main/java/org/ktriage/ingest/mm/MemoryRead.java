package org.ktriage.ingest.mm;

import java.util.List;

/**
 * The result of reading a physical range: the bytes (absent parts zero-filled) and the absent
 * parts.
 *
 * @param physAddr first physical address read
 * @param bytes the bytes, absent parts as zeros
 * @param gaps the absent parts, in address order; empty when the whole range is present
 */
@SuppressWarnings("ArrayRecordComponent") // raw bytes read once, never compared
public record MemoryRead(long physAddr, byte[] bytes, List<Gap> gaps) {
  public MemoryRead {
    gaps = List.copyOf(gaps);
  }

  /** True when every byte came from the dump. */
  public boolean complete() {
    return gaps.isEmpty();
  }

  /**
   * An absent part of a read.
   *
   * @param physAddr first physical address of the part
   * @param length length in bytes
   * @param state why it is absent
   */
  public record Gap(long physAddr, long length, PageState state) {}
}
