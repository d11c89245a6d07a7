package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ktriage.model.AddressKind;
import org.ktriage.model.ChainEvent;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Finding;
import org.ktriage.model.PrimaryFailure;

/** The founding case: the seed crash session and the seed document as they are. */
class SeedCaseTest {

  private static Diagnosis analyze(String path) throws Exception {
    CrashReport r = Reports.ingest(Shared.file(path));
    return new Analyzer().analyze(r);
  }

  @Test
  void crashSessionGivesTheEngineersConclusion() throws Exception {
    // no dis line: the module-area register value (RCX) is the address
    check(analyze("seed/crash-session.txt"), 0xffffffffa88b53b0L);
  }

  @Test
  void seedDocumentAsItIsGivesTheSameConclusion() throws Exception {
    // the document quotes crash's dis line of the RIP (mov %rsi,0x8(%rcx)): the access is RCX + 8
    check(analyze("seed/000_038bf967092f0c0d.txt"), 0xffffffffa88b53b0L + 8);
  }

  private static void check(Diagnosis d, long address) {
    String a = Long.toHexString(address);
    assertThat(d.ruleFailures()).isEmpty();
    assertThat(d.failureClass()).isEqualTo(FailureClass.PAGE_FAULT);
    assertThat(d.trigger()).isEqualTo(FailureClass.HARD_LOCKUP);
    PrimaryFailure p = Objects.requireNonNull(d.primary());
    assertThat(p.function()).isEqualTo("run_timer_softirq");
    assertThat(p.offset()).isEqualTo("0xf8");
    assertThat(p.context()).isEqualTo(ContextKind.SOFTIRQ);
    assertThat(p.cpu()).isEqualTo(1);
    assertThat(p.addressKind()).isEqualTo(AddressKind.MODULE_AREA);
    assertThat(p.address()).isEqualTo(address);
    List<String> rules = d.findings().stream().map(Finding::rule).toList();
    assertThat(rules).contains("recursive-spinlock", "timer-of-unloaded-module");
    assertThat(rules.subList(0, 2))
        .containsExactlyInAnyOrder("recursive-spinlock", "timer-of-unloaded-module");
    Finding lock = find(d, "recursive-spinlock");
    assertThat(lock.summary()).contains("ffff88007b90c000");
    Finding timer = find(d, "timer-of-unloaded-module");
    assertThat(timer.summary()).contains(a);
    assertThat(timer.causes()).hasSize(3);
    assertThat(timer.nextSteps())
        .contains(
            "crash> dis -l run_timer_softirq+248",
            "crash> rd " + a,
            "crash> mod",
            "crash> log | grep -i unload",
            "crash> timer");
    assertThat(timer.evidence()).allSatisfy(e -> assertThat(e.text()).isNotBlank());
    List<String> chain = d.chain().stream().map(ChainEvent::event).toList();
    assertThat(chain).containsSubsequence("page-fault", "recursive-lock", "hard-lockup", "panic");
    assertThat(chain.get(0)).isEqualTo("page-fault");
  }

  private static Finding find(Diagnosis d, String id) {
    return d.findings().stream().filter(f -> f.rule().equals(id)).findFirst().orElseThrow();
  }
}
