package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.FailureClass;

/**
 * A report about sleeping where the caller may not (kernel/sched/core.c __might_resched(),
 * mm/memory.c might_fault()) or about the lock a user copy may take blames the function that called
 * into the sleeping API, never the API's own assertion. Real reports of the shared corpora.
 */
class SleepingCallersTest {

  private static Primary primaryOf(String shared) throws Exception {
    return Objects.requireNonNull(PrimaryChoice.choose(Inputs.facts(shared)));
  }

  @Test
  void aUserCopyInAtomicContextBlamesTheCopyingFunction() throws Exception {
    // satyr rhbz-836206 (3.3): "BUG: sleeping function called from invalid context at
    // mm/memory.c" from __might_sleep() in might_fault(), which put_cmsg()'s copy_to_user() ran
    Primary p = primaryOf("corpus/satyr/kerneloopses/rhbz-836206");
    assertThat(p.failureClass()).isEqualTo(FailureClass.SLEEP_IN_ATOMIC);
    assertThat(p.function()).isEqualTo("put_cmsg");
  }

  @Test
  void aLockCycleThroughMightFaultBlamesTheUserCopy() throws Exception {
    // satyr gitlog-25 (3.4): lockdep's mmap_sem acquisition is might_fault()'s annotation for
    // the user copy filldir() makes under the directory's i_mutex
    Primary p = primaryOf("corpus/satyr/kerneloopses/gitlog-25");
    assertThat(p.failureClass()).isEqualTo(FailureClass.DEADLOCK);
    assertThat(p.function()).isEqualTo("filldir");
  }

  @Test
  void aStallInAPreemptCountHelperBlamesTheLoopThatCallsIt() throws Exception {
    // syzkaller report/501: the RCU stall interrupted preempt_count_add() (CONFIG_DEBUG_PREEMPT's
    // checked counter, kernel/sched/core.c) under advance_sched()'s spin_lock
    Primary p = primaryOf("corpus/syzkaller/report/501");
    assertThat(p.failureClass()).isEqualTo(FailureClass.RCU_STALL);
    assertThat(p.function()).isEqualTo("advance_sched");
  }
}
