package org.ktriage.analysis.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.text.CorpusLines;
import org.ktriage.analysis.text.RequiredLiteral;
import org.ktriage.model.kind.ReportKinds;
import org.ktriage.model.kind.Wording;

/**
 * The classifier tries a wording only on a line holding its required literal: every match of every
 * wording on every line of the shared corpora holds it, and a third of them or more have one.
 */
class WordingLiteralsTest {

  @Test
  void everyMatchOfAWordingHoldsItsRequiredLiteral() throws IOException {
    List<Wording> all = new ArrayList<>(ReportKinds.CLASS_WORDINGS);
    all.addAll(ReportKinds.GENERIC_WORDINGS);
    all.addAll(ReportKinds.PANIC_WORDINGS);
    long withLiteral = all.stream().filter(w -> !RequiredLiteral.of(w.pattern()).isEmpty()).count();
    assertThat(withLiteral).isGreaterThan(all.size() / 3);
    int matches = 0;
    for (String line : CorpusLines.all()) {
      for (Wording w : all) {
        String literal = RequiredLiteral.of(w.pattern());
        if (literal.isEmpty()) {
          continue;
        }
        Matcher m = w.pattern().matcher(line);
        if (m.find()) {
          matches++;
          assertThat(m.group()).as("%s in %s", w.pattern(), line).contains(literal);
        }
      }
    }
    assertThat(matches).isGreaterThan(100);
  }
}
