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
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;

/**
 * Issue 11 item 7 from the log alone: the unloaded module is named without {@code [last unloaded:
 * X]} (the lab's timer-after-unload consoles on three kernels with that part of the module list
 * cut), and a lockup spinning on a lock taken by a module's function, with interrupts off and no
 * other CPU shown, names the module with "recursive locking likely" (the qla2xxx report quoted in
 * https://lore.kernel.org/linux-scsi/20190614143627.10768-1-hmadhani@marvell.com/).
 */
class ModuleLifecycleFromLogTest {

  private static Path shared() {
    return Path.of(System.getProperty("ktriage.shared", "../../shared"));
  }

  private static CrashFacts facts(String text) throws Exception {
    Path tmp = Files.createTempFile("ktriage-lifecycle-", ".log");
    try {
      Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
      return Analyzer.facts(Ingest.read(List.of(tmp), Strictness.LENIENT));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String labConsole(String scenario) throws Exception {
    String s =
        Files.readString(
            shared().resolve("lab/out").resolve(scenario).resolve("console.log"),
            StandardCharsets.ISO_8859_1);
    assertThat(s).contains("[last unloaded: lab_timer_uaf");
    return s.replaceAll(" \\[last unloaded: [^]]*\\]", "");
  }

  @Test
  void theTimerOfTheUnloadedModuleIsNamedFromItsOwnExitMessage() throws Exception {
    for (String scenario :
        List.of("timer-after-unload", "timer-after-unload@5.10", "timer-after-unload@6.12")) {
      // the lab's init lines (LAB: rmmod …) cut too: only the kernel's and the module's own lines
      String console = labConsole(scenario).replaceAll("(?m)^.*LAB: .*\\n", "");
      CrashFacts f = facts(console);
      assertThat(f.lastUnloaded()).isNull();
      ModuleUnloads.Unload u = Objects.requireNonNull(ModuleUnloads.before(f, null));
      assertThat(u.module()).isEqualTo("lab_timer_uaf");
      assertThat(u.how()).contains("its own exit message");
      Hit h = Objects.requireNonNull(new TimerOfUnloadedModuleRule().evaluate(f), scenario);
      assertThat(h.values()).containsEntry("unloaded", "lab_timer_uaf");
    }
  }

  @Test
  void anExitMessageOfANameTheLogNeverShowsAsAModuleNamesNothing() throws Exception {
    // counter-example: the module's lines renamed to a prefix never loaded as a module
    String console =
        labConsole("timer-after-unload")
            .replaceAll("(?m)^.*LAB: .*\\n", "")
            .replace("lab_timer_uaf: loading", "someone: loading")
            .replace("lab_timer_uaf: module verification", "someone: module verification")
            .replace("lab_timer_uaf: unloading", "notamodule: unloading")
            .replace("lab_timer_uaf: armed", "notamodule: armed");
    assertThat(ModuleUnloads.before(facts(console), null)).isNull();
  }

  @Test
  void anRmmodCommandEchoedBeforeTheFaultNamesTheModule() throws Exception {
    String console =
        labConsole("timer-after-unload@6.12")
            .replaceAll("(?m)^.*lab_timer_uaf: (?:armed|unloading).*\\n", "");
    ModuleUnloads.Unload u = Objects.requireNonNull(ModuleUnloads.before(facts(console), null));
    assertThat(u.module()).isEqualTo("lab_timer_uaf");
    assertThat(u.how()).startsWith("unloaded by a command");
  }

  private static @Nullable Hit recursive(String example) throws Exception {
    Path p = Path.of("src/test/resources/rules/examples/recursive-spinlock").resolve(example);
    return new RecursiveSpinlockRule()
        .evaluate(facts(Files.readString(p, StandardCharsets.ISO_8859_1)));
  }

  @Test
  void aHardLockupSpinningOnALockTakenByAModuleNamesItRecursiveLikely() throws Exception {
    Hit h = Objects.requireNonNull(recursive("hit-log-qla2xxx-hard-lockup-under-own-lock.txt"));
    assertThat(h.values()).containsEntry("module", "qla2xxx");
    assertThat(h.values().get("how")).contains("recursive locking likely");
    assertThat(h.confidence()).isLessThan(0.9);
  }

  @Test
  void anotherCpuShownRunningTheModuleOrNoLockAtAllIsNoRecursion() throws Exception {
    assertThat(recursive("miss-synthetic-qla2xxx-other-cpu-runs-module.txt")).isNull();
    assertThat(recursive("miss-lab-soft-lockup-no-lock.txt")).isNull();
  }
}
