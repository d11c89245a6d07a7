package org.ktriage.analysis.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.text.CorpusLines;
import org.ktriage.analysis.text.GatedPattern;

/** The literal gates before {@link Culprits}' line patterns let every line they find through. */
class CulpritsGateTest {

  @Test
  void gatesAreOneSidedOnEveryLineOfTheCorpora() throws IOException {
    List<String> lines = CorpusLines.all();
    for (GatedPattern g : List.of(Culprits.LINK_REGISTER, Culprits.TEXT_STACK_END)) {
      assertThat(CorpusLines.assertGateOneSided(g.pattern(), g.gate(), lines))
          .as("lines %s finds", g.pattern())
          .isPositive();
    }
  }
}
