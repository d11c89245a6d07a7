package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Finding;
import org.ktriage.model.KernelModule;
import org.ktriage.model.PendingCallback;

/**
 * The memory side of the unloaded-module rules on a real console report given the facts a dump
 * would add: a queued item counts only when its object or callback lies in module-area memory that
 * no loaded module covers.
 */
class PendingCallbackRulesTest {
  private static final long MODULE_AREA_FN = 0xffffffffc0331000L;
  private static final long HEAP_OBJECT = 0xffff8e11951a2ec8L;

  private static Diagnosis analyze(List<KernelModule> modules, PendingCallback p) throws Exception {
    CrashReport console = Reports.ingest(Shared.file("lab/out/panic-call/console.log"));
    CrashReport withMemory =
        console.toBuilder()
            .modules(modules)
            .pendingCallbacks(List.of(p))
            .lockWaits(List.of())
            .build();
    return new Analyzer().analyze(withMemory);
  }

  private static List<String> rules(Diagnosis d) {
    return d.findings().stream().map(Finding::rule).toList();
  }

  @Test
  void queuedWorkOfAFreedModuleIsACallbackFinding() throws Exception {
    PendingCallback work =
        new PendingCallback(
            "work", HEAP_OBJECT, MODULE_AREA_FN, null, 4295122591L, 5L, 1, true, null);
    Diagnosis d =
        analyze(List.of(new KernelModule("other", "", 0xffffffffc0400000L, 0x4000L, null)), work);
    Finding f =
        d.findings().stream()
            .filter(x -> x.rule().equals("callback-of-unloaded-module"))
            .findFirst()
            .orElseThrow();
    assertThat(f.summary()).contains("is still queued").contains("ffffffffc0331000");
    assertThat(f.nextSteps()).contains("crash> sym ffffffffc0331000");
    assertThat(rules(d)).doesNotContain("timer-of-unloaded-module");
  }

  @Test
  void aCallbackInsideALoadedModuleIsNotAFinding() throws Exception {
    PendingCallback timer =
        new PendingCallback(
            "timer", HEAP_OBJECT, MODULE_AREA_FN, null, 4295122591L, 5L, 1, true, null);
    Diagnosis d =
        analyze(List.of(new KernelModule("live", "", 0xffffffffc0330000L, 0x4000L, null)), timer);
    assertThat(rules(d)).doesNotContain("timer-of-unloaded-module", "callback-of-unloaded-module");
  }
}
