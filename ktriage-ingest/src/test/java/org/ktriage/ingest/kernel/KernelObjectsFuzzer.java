package org.ktriage.ingest.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.fuzz.PatchedKernel;

/**
 * Corrupted kernel memory (flipped bits, pointers aimed at other structures, at themselves, at
 * unmapped or non-canonical addresses) makes the kernel-object readers return or throw an {@link
 * UnreadableInputException} with a one-line message; never another exception, never a hang.
 */
class KernelObjectsFuzzer {
  @Test
  void corruptedMemoryNeverEscapes() throws Exception {
    KernelObjectsTest setup = new KernelObjectsTest();
    KernelObjectsTest.loadBtf();
    int[] outcome = new int[2];
    for (int round = 0; round < 200; round++) {
      setup.build();
      FakeKernel fake = setup.fake();
      Random random = new Random(round);
      long[] pointers = {
        0,
        KernelObjectsTest.MODULES_HEAD,
        KernelObjectsTest.INIT_TASK + 0x10,
        KernelObjectsTest.TASK_A,
        KernelObjectsTest.MODULE,
        KernelObjectsTest.CPU0_AREA + 0x100,
        0xdead000000000100L,
        0xffffffffc0100000L,
        -1L
      };
      if (round % 2 == 0) {
        fake.corrupt(random, 1 + random.nextInt(64));
      } else {
        fake.scramblePointers(random, 1 + random.nextInt(16), pointers);
      }
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            try {
              KernelView k = KernelView.open(fake, fake, fake.btf);
              var mods = ModuleList.read(k);
              var tasks = TaskList.read(k);
              TimerWheel.pending(k, mods);
              HrtimerQueue.pending(k, mods);
              LockOwners.find(k, tasks, Map.of());
              CrashViews.ps(tasks);
              outcome[0]++;
            } catch (UnreadableInputException e) {
              assertThat(e.getMessage()).doesNotContain("\n");
              outcome[1]++;
            }
          },
          "round " + round);
    }
    assertThat(outcome[0] + outcome[1]).isEqualTo(200);
    assertThat(outcome[1]).as("some corruptions are detected").isPositive();
  }

  private static final String[] ANCHORS = {
    "init_task", "modules", "timer_bases", "hrtimer_bases", "runqueues", "__per_cpu_offset"
  };

  /** Opens the dump before the first input, whose time limit it would otherwise use up. */
  @BeforeAll
  static void openTheDump() throws Exception {
    PatchedKernel.open(new byte[0]);
  }

  /**
   * Hostile bytes laid over the real kdump fixture's kernel objects (the task list from init_task,
   * the module list, the per-CPU timer wheels and hrtimer bases): every reader returns or throws an
   * unreadable-input exception.
   */
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    KernelView k = PatchedKernel.open(data, ANCHORS);
    PatchedKernel.expectOnlyUnreadable(
        () -> {
          var mods = ModuleList.read(k);
          var tasks = TaskList.read(k);
          TimerWheel.pending(k, mods);
          HrtimerQueue.pending(k, mods);
          LockOwners.find(k, tasks, Map.of());
          CrashViews.ps(tasks);
        });
  }
}
