package org.ktriage.model.kind;

/** How a report header behaves when ingest cuts a log into reports. */
public enum ReportRole {
  /** Opens a report on its own. */
  OPENS,
  /** Opens a report only if a body (CPU line, trace, registers) follows soon. */
  TENTATIVE,
  /** A die header ({@code Oops: 0002 [#1]}): joins the open report or opens one. */
  DIE,
  /** {@code Kernel panic - not syncing:}: ends the open report or opens a panic-only one. */
  PANIC,
  /** Joins a recent report of the same family (OOM kill after oom-killer invocation). */
  JOINS_OOM,
  /** Opens a report closed by the next {@code ====} line (sanitizer reports). */
  DELIMITED
}
