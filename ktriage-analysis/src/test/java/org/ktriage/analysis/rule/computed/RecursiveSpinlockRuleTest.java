package org.ktriage.analysis.rule.computed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.Analyzer;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;

/**
 * The recursive-spinlock rule's confidence comes from how the holder keeps the lock address, never
 * from what code the holder runs: the seed (timer softirq, lock in RDI and RBX) and edits of it.
 */
class RecursiveSpinlockRuleTest {

  /**
   * The holder frame's register lines in the seed (run_timer_softirq+248, lock ffff88007b90c000).
   */
  private static final String HOLDER_REGS =
      "    RAX: ffff88007b90cbf8  RBX: ffff88007b90c000  RCX: ffffffffa88b53b0\n"
          + "    RDX: ffff88007b90cbd0  RSI: ffff88007f283e90  RDI: ffff88007b90c000";

  private static String seed() throws Exception {
    Path p =
        Path.of(System.getProperty("ktriage.shared", "../../shared"), "seed/crash-session.txt");
    String s = Files.readString(p, StandardCharsets.ISO_8859_1);
    assertThat(s).contains(HOLDER_REGS);
    return s;
  }

  private static @Nullable Hit evaluate(String text) throws Exception {
    Path tmp = Files.createTempFile("ktriage-recursive-", ".txt");
    try {
      Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
      var facts = Analyzer.facts(Ingest.read(List.of(tmp), Strictness.LENIENT));
      return new RecursiveSpinlockRule().evaluate(facts);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Test
  void theSeedHolderKeepsTheLockInItsArgumentAndCalleeSavedRegisters() throws Exception {
    Hit h = Objects.requireNonNull(evaluate(seed()));
    assertThat(h.values()).containsEntry("holderRegister", "RDI and RBX");
    assertThat(h.values()).containsEntry("holder", "run_timer_softirq+0xf8");
    assertThat(h.confidence()).isEqualTo(0.9);
  }

  @Test
  void timerCodeHoldingTheValueOnlyInAScratchRegisterIsLessSure() throws Exception {
    // counter-example: the holder is still run_timer_softirq, but only RDX has the lock value
    String edited =
        seed()
            .replace(
                HOLDER_REGS,
                "    RAX: ffff88007b90cbf8  RBX: ffff88007b90e000  RCX: ffffffffa88b53b0\n"
                    + "    RDX: ffff88007b90c000  RSI: ffff88007f283e90  RDI: ffff88007b90e000");
    Hit h = Objects.requireNonNull(evaluate(edited));
    assertThat(h.values()).containsEntry("holderRegister", "RDX");
    assertThat(h.confidence()).isEqualTo(0.8);
  }

  @Test
  void nonTimerCodeKeepingTheLockInACalleeSavedRegisterIsAsSure() throws Exception {
    // counter-example: a holder outside the timer code with the lock in RBX alone
    String edited =
        seed()
            .replace(
                HOLDER_REGS,
                "    RAX: ffff88007b90cbf8  RBX: ffff88007b90c000  RCX: ffffffffa88b53b0\n"
                    + "    RDX: ffff88007b90cbd0  RSI: ffff88007f283e90  RDI: ffff88007b90e000")
            .replace(
                "[exception RIP: run_timer_softirq+248]", "[exception RIP: net_rx_action+248]");
    Hit h = Objects.requireNonNull(evaluate(edited));
    assertThat(h.values()).containsEntry("holderRegister", "RBX");
    assertThat(h.values().get("holder")).startsWith("net_rx_action");
    assertThat(h.confidence()).isEqualTo(0.9);
  }

  @Test
  void registerClassesFollowTheCallingConvention() {
    assertThat(RecursiveSpinlockRule.keptLive("RDI and RBX")).isTrue();
    assertThat(RecursiveSpinlockRule.keptLive("R12")).isTrue();
    assertThat(RecursiveSpinlockRule.keptLive("X19")).isTrue();
    assertThat(RecursiveSpinlockRule.keptLive("RAX and RCX")).isFalse();
    assertThat(RecursiveSpinlockRule.keptLive("X9")).isFalse();
  }
}
