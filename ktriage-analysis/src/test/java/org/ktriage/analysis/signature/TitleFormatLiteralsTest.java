package org.ktriage.analysis.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.signature.TitleRules.Format;
import org.ktriage.analysis.signature.TitleRules.OopsRule;
import org.ktriage.analysis.text.RequiredLiteral;

/**
 * Title formats are searched only in a report text holding their required literal: every match of
 * every format on syzkaller's reports holds it, and most formats have one.
 */
class TitleFormatLiteralsTest {

  @Test
  void everyMatchOfATitleFormatHoldsItsRequiredLiteral() throws IOException {
    List<Pattern> titles = new ArrayList<>();
    for (OopsRule o : TitleRules.get().oopses) {
      for (Format f : o.formats()) {
        titles.add(f.title());
      }
    }
    long withLiteral = titles.stream().filter(p -> !RequiredLiteral.of(p).isEmpty()).count();
    assertThat(withLiteral).isGreaterThan(titles.size() / 2);
    Path root =
        Path.of(System.getProperty("ktriage.shared", "../../shared"), "corpus/syzkaller/report");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(500);
    int matches = 0;
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      for (Pattern p : titles) {
        String literal = RequiredLiteral.of(p);
        if (literal.isEmpty()) {
          continue;
        }
        Matcher m = p.matcher(text);
        while (m.find()) {
          matches++;
          assertThat(m.group()).as("%s in %s", p, file).contains(literal);
        }
      }
    }
    assertThat(matches).isGreaterThan(500);
  }
}
