package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktriage.model.ChainEvent;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.PrimaryFailure;

/**
 * Real syzkaller soft lockups whose NMI backtraces show another CPU with interrupts off: that CPU
 * is the primary, the soft lockup its consequence in the chain; a soft lockup without such a CPU
 * keeps its own primary.
 */
class CrossCpuChainTest {

  @ParameterizedTest
  @CsvSource({
    // an IPI waiter (smp_call_function_single) and the target CPU in an hrtimer loop, IF clear
    "503, 1, __hrtimer_run_queues, 0",
    "504, 1, __hrtimer_run_queues, 0",
    // two CPUs spin with IF clear on locks taken in opposite orders; the first backtrace is named
    "350, 0, drm_handle_vblank, 2",
  })
  void stuckCpuIsPrimaryAndTheSoftLockupItsSymptom(
      String file, int stuckCpu, String function, int victimCpu) throws Exception {
    Diagnosis d = analyze(file);
    String dump = DebugPrint.of(d);
    PrimaryFailure p = Objects.requireNonNull(d.primary(), dump);
    assertThat(d.failureClass()).as(dump).isEqualTo(FailureClass.HARD_LOCKUP);
    assertThat(d.trigger()).as(dump).isEqualTo(FailureClass.SOFT_LOCKUP);
    assertThat(p.cpu()).as(dump).isEqualTo(stuckCpu);
    assertThat(p.function()).as(dump).isEqualTo(function);
    List<ChainEvent> chain = d.chain();
    assertThat(chain.get(0).event()).as(dump).isEqualTo("hard-lockup");
    assertThat(chain.stream().filter(e -> e.event().equals("soft-lockup")).findFirst())
        .as(dump)
        .hasValueSatisfying(e -> assertThat(e.cpu()).isEqualTo(victimCpu));
    assertThat(chain.get(chain.size() - 1).event()).as(dump).isEqualTo("panic");
    assertThat(d.findings().get(0).rule()).as(dump).isEqualTo("cross-cpu-stall");
    assertThat(d.findings().get(0).summary()).as(dump).contains("CPU " + stuckCpu, "IF clear");
  }

  @ParameterizedTest
  @CsvSource({"264", "265"})
  void softLockupWithoutAStuckNeighbourKeepsItsPrimary(String file) throws Exception {
    Diagnosis d = analyze(file);
    assertThat(d.failureClass()).as(DebugPrint.of(d)).isEqualTo(FailureClass.SOFT_LOCKUP);
    assertThat(d.findings()).extracting(f -> f.rule()).doesNotContain("cross-cpu-stall");
  }

  @ParameterizedTest
  @CsvSource({
    "432, kworker/u4:5/9381, rtnl_mutex",
    "440, syz-executor.1/1147, rtnl_mutex",
    "445, kworker/u4:0/7, rtnl_mutex",
    "430, syz-executor.4/3875, i2c_register_adapter",
  })
  void hungTaskStormIsTracedToTheHolder(String file, String holder, String lock) throws Exception {
    Diagnosis d = analyze(file);
    String dump = DebugPrint.of(d);
    assertThat(d.failureClass()).as(dump).isEqualTo(FailureClass.HUNG_TASK);
    PrimaryFailure p = Objects.requireNonNull(d.primary(), dump);
    assertThat(p.function())
        .as(dump)
        .doesNotStartWith("__mutex_lock")
        .doesNotStartWith("mutex_lock");
    assertThat(d.chain().get(0).event()).as(dump).isEqualTo("hung-task");
    assertThat(d.chain().get(1).event()).as(dump).isEqualTo("lock-wait");
    assertThat(d.chain().get(1).detail()).as(dump).contains(holder, lock);
    assertThat(d.findings().get(0).rule()).as(dump).isEqualTo("hung-task-lock-holder");
  }

  @ParameterizedTest
  @CsvSource({"436", "349"})
  void hungTasksWithoutAVisibleHolderKeepTheFirstReport(String file) throws Exception {
    Diagnosis d = analyze(file);
    assertThat(d.findings()).extracting(f -> f.rule()).doesNotContain("hung-task-lock-holder");
  }

  private static Diagnosis analyze(String file) throws Exception {
    String text =
        Files.readString(
            Shared.file("corpus/syzkaller/report/" + file), StandardCharsets.ISO_8859_1);
    // The corpus header (TITLE:, TYPE:, …) is the label, not the log.
    text = text.replaceFirst("(?s)^(?:[A-Z_]+:[^\\n]*\\n)+\\n?", "");
    return new Analyzer().analyze(Reports.ingest("syzkaller-" + file, text));
  }
}
