package org.ktriage.analysis.stack;

/** How the kernel entered the handler that saved an exception frame. */
public enum EntryKind {
  /** A CPU exception that started an error path (#PF, #GP, #UD, #DE, #DF, #MC, arm64 aborts). */
  FAULT,
  /** An ordinary hardware or IPI interrupt: not a failure. */
  INTERRUPT,
  /** A non-maskable interrupt (watchdog, crash shootdown, backtrace request). */
  NMI,
  /** A system call or other entry from user space. */
  SYSCALL,
  /** A debug trap (int3, kprobes) that is not itself a failure. */
  TRAP,
  /** The entry routine could not be recognised. */
  UNKNOWN
}
