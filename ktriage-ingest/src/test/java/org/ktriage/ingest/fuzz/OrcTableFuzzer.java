package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.ktriage.ingest.kernel.Backtraces;
import org.ktriage.ingest.kernel.KernelTask;
import org.ktriage.ingest.kernel.KernelView;
import org.ktriage.ingest.kernel.OrcTable;
import org.ktriage.ingest.kernel.OrcUnwinder;
import org.ktriage.ingest.kernel.TaskList;

/**
 * Hostile bytes laid over the real ORC tables (.orc_unwind_ip and .orc_unwind, written by objtool,
 * read by arch/x86/kernel/unwind_orc.c) and over init_task: the table is read and the sleeping
 * tasks are unwound with it; frames, a stop reason, or an unreadable-input exception come out.
 */
class OrcTableFuzzer {
  private static final String[] ANCHORS = {
    "__start_orc_unwind_ip", "__start_orc_unwind", "init_task", "__start_orc_unwind_ip"
  };

  /** Opens the dump before the first input, whose time limit it would otherwise use up. */
  @BeforeAll
  static void openTheDump() throws Exception {
    PatchedKernel.open(new byte[0]);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    KernelView k = PatchedKernel.open(data, ANCHORS);
    FuzzInputs.expectOnlyUnreadable(
        () -> {
          OrcUnwinder unwinder = new OrcUnwinder(k, OrcTable.read(k));
          List<KernelTask> tasks = TaskList.read(k);
          int unwound = 0;
          for (KernelTask t : tasks) {
            if (!t.active() && unwound++ < 4) {
              Backtraces.forSleepingTask(k, unwinder, t);
            }
          }
        });
  }
}
