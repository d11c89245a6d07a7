package org.ktriage.ingest.mm;

/** Whether a physical page's contents are in the dump, and if not, why. */
public enum PageState {
  /** Stored in the dump. */
  PRESENT,
  /** RAM that the dump level excluded (zero, cache, user or free pages): contents unknown. */
  FILTERED,
  /** Not in the dump at all: not RAM, or outside every stored range. */
  NOT_DUMPED,
  /** Described by the dump but unreadable: truncated, never written, or fails to decompress. */
  UNREADABLE;

  /** Lower-case word for messages. */
  public String word() {
    return switch (this) {
      case PRESENT -> "present";
      case FILTERED -> "filtered";
      case NOT_DUMPED -> "not in the dump";
      case UNREADABLE -> "unreadable";
    };
  }
}
