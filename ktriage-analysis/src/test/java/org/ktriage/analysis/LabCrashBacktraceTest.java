package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.PrimaryFailure;

/**
 * The lab's real {@code crash bt} outputs alone (no log): the panic CPU's stacks must still give
 * the class and the failing function. From a backtrace alone a BUG() and a stray #UD look the same
 * (both leave through do_error_trap), and a NULL access has no CR2: those are stated as such.
 */
class LabCrashBacktraceTest {

  @ParameterizedTest
  @CsvSource({
    "bug-on, invalid-opcode, lab_bug_check_state, invalid-opcode",
    "null-deref, page-fault, lab_null_deref_touch, ",
    "oom-panic, oom, out_of_memory, ",
    "panic-call, explicit-panic, lab_panic_now, explicit-panic",
    "soft-lockup, soft-lockup, lab_softlockup_spin, ",
    "soft-lockup-kdump, soft-lockup, lab_softlockup_spin, ",
    "timer-after-unload, page-fault, __run_timers, timer-of-unloaded-module",
    "timer-after-unload-kdump, page-fault, __run_timers, timer-of-unloaded-module",
    "use-after-free, use-after-free, lab_uaf_use, use-after-free-poison",
  })
  void backtraceAloneIsDiagnosed(String scenario, String cls, String function, String topRule)
      throws Exception {
    Diagnosis d =
        new Analyzer()
            .analyze(Reports.ingest(Shared.file("lab/out/" + scenario + "/crash-bt.txt")));
    String dump = DebugPrint.of(d);
    assertThat(d.failureClass().id()).as(dump).isEqualTo(cls);
    PrimaryFailure p = Objects.requireNonNull(d.primary(), dump);
    assertThat(p.function()).as(dump).startsWith(function);
    if (topRule != null) {
      assertThat(d.findings()).as(dump).isNotEmpty();
      assertThat(d.findings().get(0).rule()).as(dump).isEqualTo(topRule);
    }
    assertThat(d.ruleFailures()).as(dump).isEmpty();
  }
}
