package org.ktriage.model.kind;

/** What a log line is, for people reading the log: one CSS class each in the HTML report. */
public enum LineKind {
  /** {@code Kernel panic - not syncing:} and crash's {@code PANIC:}. */
  PANIC("panic"),
  /** The first line of an oops, BUG, lockup, stall or sanitizer report. */
  OOPS("oops"),
  /** A WARN() report or its {@code [ cut here ]} line. */
  WARNING("warning"),
  /** A module lifecycle line (load, unload, taint by a module). */
  MODULE("module"),
  /** A header that only opens a report when a body follows: not marked on its own. */
  NONE("");

  private final String id;

  LineKind(String id) {
    this.id = id;
  }

  /** The stable name (CSS class) of the kind; empty for {@link #NONE}. */
  public String id() {
    return id;
  }
}
