package org.ktriage.analysis.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktriage.model.FailureClass;

/** Headlines of formats.md §7 and the lab logs to classes; panic messages to triggers. */
class FailureClassifierTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008|null-deref",
        "BUG: kernel NULL pointer dereference, address: 0000000000000008|null-deref",
        "BUG: unable to handle kernel paging request at ffffffffa88b53b0|page-fault",
        "BUG: unable to handle page fault for address: ffffffffc02853c8|page-fault",
        "general protection fault, probably for non-canonical address 0x6b6b6b6b6b6b6b73: 0000 [#1] PREEMPT SMP NOPTI|gpf",
        "kernel BUG at drivers/demo/core.c:120!|bug",
        "WARNING: CPU: 0 PID: 1 at kernel/demo.c:55 demo_init+0x20/0x40|warning",
        "WARNING: CPU: 1 PID: 9 at lib/list_debug.c:53 __list_del_entry_valid+0x8/0x10|list-corruption",
        "WARNING: possible circular locking dependency detected|deadlock",
        "divide error: 0000 [#1] SMP PTI|divide-error",
        "watchdog: BUG: soft lockup - CPU#1 stuck for 13s! [lab_spin:108]|soft-lockup",
        "NMI watchdog: Watchdog detected hard LOCKUP on cpu 1|hard-lockup",
        "INFO: task jbd2/sda1-8:311 blocked for more than 120 seconds.|hung-task",
        "rcu: INFO: rcu_sched detected stalls on CPUs/tasks:|rcu-stall",
        "BUG: KASAN: slab-use-after-free in l2cap_send_cmd+0x1f/0x60|use-after-free",
        "BUG: KASAN: slab-out-of-bounds in foo+0x1/0x2|out-of-bounds",
        "BUG: TASK stack guard page was hit at ffffc90000a07ff8 (stack is ffffc90000a08000..ffffc90000a0c000)|stack-overflow",
        "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580|sleep-in-atomic",
        "BUG: Bad page state in process syz  pfn:4bd34a4|bad-page-state",
        "mce: [Hardware Error]: CPU 3: Machine Check Exception: 5 Bank 4: b200000000070f0f|mce",
        "lab-oom invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|oom",
        "Kernel panic - not syncing: sysrq triggered crash|sysrq-crash",
        "Kernel panic - not syncing: lab: explicit panic from lab_panic module|explicit-panic",
        "Unable to handle kernel paging request at virtual address dead000000000108|page-fault",
        "Internal error: Oops - BUG: 00000000f2000800 [#1] SMP|bug",
      })
  void headlines(String line, String expected) {
    assertThat(FailureClassifier.classifyText(line).id()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Hard LOCKUP|hard-lockup",
        "softlockup: hung tasks|soft-lockup",
        "hung_task: blocked tasks|hung-task",
        "RCU Stall|rcu-stall",
        "panic_on_warn set ...|warning",
        "Out of memory: system-wide panic_on_oom is enabled|oom",
        "Fatal machine check|mce",
        "stack-protector: Kernel stack is corrupted in: foo+0x1/0x2|stack-overflow",
        "Attempted to kill init! exitcode=0x0000000b|explicit-panic",
      })
  void panicMessages(String message, String expected) {
    assertThat(FailureClassifier.classifyPanic(message).id()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"Fatal exception", "Fatal exception in interrupt"})
  void fatalExceptionDefersToTheOops(String message) {
    assertThat(FailureClassifier.classifyPanic(message)).isEqualTo(FailureClass.UNKNOWN);
    assertThat(FailureClassifier.isFatalException(message)).isTrue();
  }
}
