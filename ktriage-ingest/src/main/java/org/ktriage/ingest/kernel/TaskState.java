package org.ktriage.ingest.kernel;

/**
 * The task state bits of {@code include/linux/sched.h} (values stable since v4.14) and how {@code
 * crash ps} abbreviates them; first matching row wins, a zero word is RU.
 */
enum TaskState {
  ZOMBIE(0x20, true, "ZO"),
  EXIT_DEAD(0x10, true, "DE"),
  IDLE(0x402, false, "ID"),
  INTERRUPTIBLE(0x1, false, "IN"),
  UNINTERRUPTIBLE(0x2, false, "UN"),
  STOPPED(0x4, false, "ST"),
  TRACED(0x8, false, "TR"),
  PARKED(0x40, false, "PA"),
  DEAD(0x80, false, "DE"),
  WAKING(0x200, false, "WA"),
  NEW(0x800, false, "NE");

  private final long bits;
  private final boolean exitState;
  private final String code;

  TaskState(long bits, boolean exitState, String code) {
    this.bits = bits;
    this.exitState = exitState;
    this.code = code;
  }

  /** The crash abbreviation for a task's {@code __state} and {@code exit_state} words. */
  static String code(long state, long exitState) {
    for (TaskState s : values()) {
      long word = s.exitState ? exitState : state;
      if ((word & s.bits) == s.bits) {
        return s.code;
      }
    }
    return state == 0 ? "RU" : "??";
  }
}
