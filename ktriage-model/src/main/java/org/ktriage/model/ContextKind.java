package org.ktriage.model;

/** Execution context of a stack segment; {@link #id()} is API. */
public enum ContextKind {
  TASK("task"),
  SOFTIRQ("softirq"),
  HARDIRQ("hardirq"),
  NMI("nmi"),
  EXCEPTION("exception"),
  UNKNOWN("unknown");

  private final String id;

  ContextKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
