package org.ktriage.analysis.order;

/**
 * Why an earlier event is taken as a cause of a later one. An earlier report that nothing links to
 * the crash is an independent event (a WARN at boot is not the cause of an oops an hour later).
 */
enum CauseLink {
  /** Both ran on the same CPU (alone not enough: a CPU runs unrelated code all day). */
  SAME_CPU,
  /** Both were printed for the same task (pid and comm). */
  SAME_TASK,
  /**
   * The later report's taint shows a state the earlier event left the kernel in: {@code D} after an
   * oops killed a task (its locks stay held), {@code B} after a bad page, {@code M} after a machine
   * check, {@code L} after a soft lockup (kernel/panic.c taint_flags). {@code W} is not one: the
   * kernel carries on unharmed after a WARN.
   */
  TAINT,
  /** A cascade the kernel's detectors produce: a stuck CPU stalls RCU and hangs its waiters. */
  KNOWN_CASCADE,
  /** The later failure began within seconds of the earlier one. */
  NEAR_IN_TIME
}
