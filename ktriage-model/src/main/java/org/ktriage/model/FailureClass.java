package org.ktriage.model;

/**
 * Failure classes for {@code class} and {@code trigger} in the JSON contract; {@link #id()} is API:
 * add new constants, never rename one.
 */
public enum FailureClass {
  BAD_PAGE_STATE("bad-page-state"),
  BUG("bug"),
  DATA_RACE("data-race"),
  DEADLOCK("deadlock"),
  DIVIDE_ERROR("divide-error"),
  DOUBLE_FREE("double-free"),
  EXPLICIT_PANIC("explicit-panic"),
  GPF("gpf"),
  HARD_LOCKUP("hard-lockup"),
  HUNG_TASK("hung-task"),
  INVALID_OPCODE("invalid-opcode"),
  LIST_CORRUPTION("list-corruption"),
  MCE("mce"),
  MEMORY_LEAK("memory-leak"),
  NULL_DEREF("null-deref"),
  OOM("oom"),
  OUT_OF_BOUNDS("out-of-bounds"),
  PAGE_FAULT("page-fault"),
  RCU_STALL("rcu-stall"),
  SLEEP_IN_ATOMIC("sleep-in-atomic"),
  SOFT_LOCKUP("soft-lockup"),
  STACK_OVERFLOW("stack-overflow"),
  SYSRQ_CRASH("sysrq-crash"),
  UNDEFINED_BEHAVIOR("undefined-behavior"),
  UNINIT_VALUE("uninit-value"),
  USE_AFTER_FREE("use-after-free"),
  WARNING("warning"),
  UNKNOWN("unknown");

  private final String id;

  FailureClass(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static FailureClass fromId(String id) {
    for (FailureClass c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown failure class: " + id);
  }
}
