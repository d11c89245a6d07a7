package org.ktriage.render.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Finding;
import org.ktriage.render.HandBuilt;
import org.ktriage.render.RenderOptions;

class TextRendererTest {
  private static String render(Diagnosis d, boolean color) throws Exception {
    StringWriter out = new StringWriter();
    new TextRenderer(new RenderOptions(color)).render(d, out);
    return out.toString();
  }

  @Test
  void verdictComesFirstInPasteableWords() throws Exception {
    String text = render(HandBuilt.seedLike("x"), false);

    assertThat(text.lines().findFirst().orElseThrow())
        .isEqualTo(
            "Page fault in run_timer_softirq+0xf8 (softirq, CPU 1) — first failure; the Hard LOCKUP"
                + " panic is a consequence");
    assertThat(text).contains("0xffffffffa88b53b0 (module-area)");
  }

  @Test
  void chainFindingsStacksAndMissingAppearInOrder() throws Exception {
    String text = render(HandBuilt.seedLike("x"), false);

    assertThat(text)
        .containsSubsequence(
            "Cause chain",
            "1. page-fault",
            "2. recursive-lock",
            "4. panic",
            "Findings",
            "CRITICAL timer-of-unloaded-module (90%)",
            "[exception RIP: run_timer_softirq+248]  (seed-crash-session.txt:54)",
            "1. exit path never deletes the timer",
            "crash> dis -l run_timer_softirq+248",
            "HIGH recursive-spinlock (80%)",
            "would confirm, but missing:",
            "Stacks",
            "CPU 1  swapper/1 (pid 0)  panic CPU",
            "nmi",
            "interrupted at _raw_spin_lock_irqsave+0x47",
            "? lock_timer_base+0x5b",
            "What is missing (report is PARTIAL)",
            "filtered pages are absent",
            "Rules that failed",
            "broken-rule: IllegalStateException: boom");
  }

  @Test
  void findingsAfterTheFirstTwoAreBrief() throws Exception {
    Diagnosis seed = HandBuilt.seedLike("x");
    List<Finding> three = new ArrayList<>(seed.findings());
    Finding first = seed.findings().get(0);
    three.add(
        new Finding(
            "third-rule",
            first.severity(),
            0.5,
            "third summary",
            first.evidence(),
            List.of("third cause"),
            List.of("crash> third step"),
            List.of(),
            List.of()));
    Diagnosis d = HandBuilt.withFindings(seed, three);
    String text = render(d, false);

    assertThat(text).contains("third-rule (50%)", "third summary").doesNotContain("third cause");
    assertThat(text).doesNotContain("crash> third step").contains("--format html or json");
  }

  @Test
  void controlBytesInInputNeverReachTheTerminal() throws Exception {
    String text = render(HandBuilt.seedLike("evil \u001b[2J\u001b]0;owned\u0007 line\r"), false);

    assertThat(text).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r");
    assertThat(text).contains("evil \\x1b[2J\\x1b]0;owned\\x07 line\\x0d");
  }

  @Test
  void colourOnlyWhenAsked() throws Exception {
    assertThat(render(HandBuilt.seedLike("x"), false)).doesNotContain("\u001b[");
    assertThat(render(HandBuilt.seedLike("x"), true)).contains("\u001b[1m").contains("\u001b[0m");
  }

  @Test
  void noCrashSaysSo() throws Exception {
    String text = render(HandBuilt.empty(), false);

    assertThat(text).startsWith("No crash found in the input\n").contains("quiet.log (kernel-log)");
    assertThat(text).doesNotContain("Findings");
  }
}
