package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The hung task a header names, read with the report-kind table's hung-task header. */
class LockHoldersTest {

  @Test
  void theHungTaskIsReadFromTheTablesHeader() {
    // headlines as printed in the shared syzkaller corpus (kernel/hung_task.c check_hung_task)
    assertThat(
            LockHolders.hungTask(
                "INFO: task syz-executor013:7565 blocked for more than 144 seconds."))
        .isEqualTo("syz-executor013/7565");
    // a comm with colons: the pid is the number after the last one
    assertThat(
            LockHolders.hungTask(
                "INFO: task kworker/u4:6:10032 blocked for more than 143 seconds."))
        .isEqualTo("kworker/u4:6/10032");
    // counter-examples: other headers name no hung task
    assertThat(LockHolders.hungTask("INFO: rcu_sched self-detected stall on CPU")).isNull();
    assertThat(LockHolders.hungTask("INFO: task syz-executor0 blocked")).isNull();
  }
}
