package org.ktriage.analysis.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.text.RequiredLiteral;

class RequiredLiteralTest {

  private static String literal(String regex) {
    return RequiredLiteral.compute(Pattern.compile(regex));
  }

  @Test
  void plainWordsAroundCapturesAreRequired() {
    assertThat(literal("[Kk]ernel BUG at (?<file>\\S+)")).isEqualTo("ernel BUG at ");
    assertThat(literal("^WARNING: (CPU: \\d+ PID: \\d+ )?at (?<file>\\S+)")).isEqualTo("WARNING: ");
    assertThat(literal("detected (expedited )?stalls? on CPU")).isEqualTo("detected ");
    assertThat(literal("rcu_\\w+ kthread starved for")).isEqualTo(" kthread starved for");
  }

  @Test
  void optionalOrAlternativeTextIsNeverRequired() {
    assertThat(literal("BUG: Bad page (state|map)")).isEqualTo("BUG: Bad page ");
    assertThat(literal("kernel|panic")).isEmpty();
    assertThat(literal("(?i)oops")).isEmpty();
    assertThat(RequiredLiteral.compute(Pattern.compile("oops", Pattern.CASE_INSENSITIVE)))
        .isEmpty();
    assertThat(literal("abcd{0,2}e")).isEqualTo("abc");
    assertThat(literal("ab*cdef")).isEqualTo("cdef");
    assertThat(literal("x[ab]?yz")).isEqualTo("yz");
    assertThat(literal("\\Qa|b\\E")).isEmpty();
  }

  /**
   * Every bundled rule's log pattern against every line of the shared corpora: no line the pattern
   * finds lacks its required literal, and most patterns have one.
   */
  @Test
  void noMatchOfABundledPatternOnTheCorporaLacksItsLiteral() throws IOException {
    List<Pattern> patterns = new ArrayList<>();
    for (RuleSpec s : RuleBook.bundled().rules()) {
      collect(s.when(), patterns);
    }
    assertThat(patterns).hasSizeGreaterThan(10);
    long withLiteral = patterns.stream().filter(p -> !RequiredLiteral.of(p).isEmpty()).count();
    assertThat(withLiteral).isGreaterThanOrEqualTo(patterns.size() * 3L / 4);

    Path root = Path.of(System.getProperty("ktriage.shared", "../../shared"), "corpus");
    assertThat(root).isDirectory();
    int matched = 0;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String line : text.split("\n", -1)) {
        for (Pattern p : patterns) {
          if (p.matcher(line).find()) {
            matched++;
            assertThat(line).as("%s in %s", p, file).contains(RequiredLiteral.of(p));
            assertThat(RequiredLiteral.mayMatch(p, line)).isTrue();
          }
        }
      }
    }
    assertThat(matched).as("lines of the corpora that some bundled log pattern finds").isPositive();
  }

  private static void collect(@org.jspecify.annotations.Nullable Condition c, List<Pattern> out) {
    if (c == null) {
      return;
    }
    out.addAll(c.log());
    collect(c.not(), out);
  }
}
