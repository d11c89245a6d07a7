package org.ktriage.analysis.rule.computed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.text.CorpusLines;

/** The literal gates before computed rules' line patterns let every line they find through. */
class LineGatesTest {

  @Test
  void stackOverflowLinesPassTheirGate() throws IOException {
    List<String> lines = CorpusLines.all();
    assertThat(
            CorpusLines.assertGateOneSided(
                StackOverflowRule.LINE.pattern(), StackOverflowRule.LINE.gate(), lines))
        .isPositive();
  }

  @Test
  void moduleUnloadLinesPassTheirGate() throws IOException {
    List<String> lines = CorpusLines.all();
    int found = 0;
    for (Pattern p :
        List.of(ModuleUnloads.COMMAND, ModuleUnloads.OWN_EXIT, ModuleUnloads.NAMED_UNLOAD)) {
      found += CorpusLines.assertGateOneSided(p, ModuleUnloads.MAY_UNLOAD, lines);
    }
    assertThat(found).isPositive();
  }
}
