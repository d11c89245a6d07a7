package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.rule.RuleBook;
import org.ktriage.analysis.rule.RuleExample;
import org.ktriage.analysis.rule.RuleFileException;
import org.ktriage.analysis.rule.RuleSpec;
import org.ktriage.analysis.rule.TeamRuleFile;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Finding;

/** The rule book: every rule's hit and miss examples, team rules, malformed rule files. */
class RuleBookTest {

  static Stream<RuleSpec> rules() {
    return RuleBook.bundled().rules().stream();
  }

  private static String example(String path) throws Exception {
    try (InputStream in =
        RuleBookTest.class.getClassLoader().getResourceAsStream("rules/examples/" + path)) {
      assertThat(in).as("example missing: rules/examples/" + path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @ParameterizedTest
  @MethodSource("rules")
  void everyRuleShipsWithAHitAndAMissThatBehave(RuleSpec spec) throws Exception {
    assertThat(spec.examples()).as(spec.id() + " needs a hit example").anyMatch(RuleExample::hit);
    assertThat(spec.examples()).as(spec.id() + " needs a miss example").anyMatch(e -> !e.hit());
    assertThat(spec.causes()).as(spec.id() + " causes").isNotEmpty();
    assertThat(spec.nextSteps()).as(spec.id() + " next steps").isNotEmpty();
    for (RuleExample e : spec.examples()) {
      String text = example(e.path());
      assertThat(text)
          .as("example %s must say where it comes from", e.path())
          .matches("(?s)^# (origin|synthetic): .*");
      CrashReport r = Reports.ingest(e.path(), text);
      CrashFacts facts = Analyzer.facts(r);
      Finding f = RuleBook.bundled().runOne(spec, facts);
      if (e.hit()) {
        assertThat(f).as("%s should hit %s", spec.id(), e.path()).isNotNull();
        Finding hit = java.util.Objects.requireNonNull(f);
        assertThat(hit.summary()).doesNotContain("{{");
        assertThat(hit.evidence()).as(spec.id() + " evidence").isNotEmpty();
      } else {
        assertThat(f).as("%s should miss %s", spec.id(), e.path()).isNull();
      }
    }
  }

  @Test
  void ruleIdsAreUniqueAndTheFoundingRulesAreThere() {
    List<String> ids = RuleBook.bundled().rules().stream().map(RuleSpec::id).toList();
    assertThat(ids).doesNotHaveDuplicates().isSorted();
    assertThat(ids)
        .contains(
            "timer-of-unloaded-module",
            "recursive-spinlock",
            "callback-of-unloaded-module",
            "null-pointer-dereference",
            "out-of-tree-module");
    assertThat(RuleBook.bundled().explain("recursive-spinlock")).isPresent();
    assertThat(RuleBook.bundled().explain("no-such-rule")).isEmpty();
  }

  @Test
  void aTeamRuleChangesTheVerdict() throws Exception {
    String yaml =
        """
        id: team-lab-panic
        severity: critical
        priority: 1
        summary: "Known issue LAB-42: {{match}}"
        when:
          log: ["Kernel panic - not syncing: lab: (?<what>.*)"]
        causes: ["our lab module panics on purpose"]
        nextSteps: ["close the ticket as LAB-42"]
        """;
    RuleBook book = RuleBook.bundled().withExtra(List.of(new TeamRuleFile("team.yaml", yaml)));
    CrashReport r = Reports.ingest(Shared.file("lab/out/panic-call/console.log"));
    Diagnosis withTeam = new Analyzer(book).analyze(r);
    Diagnosis without = new Analyzer().analyze(r);
    assertThat(withTeam.findings().get(0).rule()).isEqualTo("team-lab-panic");
    assertThat(without.findings().get(0).rule()).isEqualTo("explicit-panic");
  }

  @Test
  void malformedRuleFilesFailWithOneLineNamingFileAndLine() {
    List<String[]> bad = new ArrayList<>();
    bad.add(new String[] {"id: x\nseverity: high\n  summary: [unclosed\n", "bad1.yaml:"});
    bad.add(
        new String[] {
          "id: x\nseverity: urgent\nsummary: s\nwhen: {class: [gpf]}\n", "bad2.yaml:2:"
        });
    bad.add(
        new String[] {
          "id: x\nseverity: high\nsummary: s\nwhen:\n  log: ['(unclosed']\n", "bad3.yaml:5:"
        });
    bad.add(
        new String[] {
          "id: x\nseverity: high\nsummary: s\nwhen:\n  klass: [gpf]\n", "bad4.yaml:5:"
        });
    bad.add(new String[] {"severity: high\nsummary: s\n", "bad5.yaml:"});
    for (int i = 0; i < bad.size(); i++) {
      String name = "bad" + (i + 1) + ".yaml";
      String text = bad.get(i)[0];
      assertThatThrownBy(() -> RuleBook.bundled().withExtra(List.of(new TeamRuleFile(name, text))))
          .isInstanceOf(RuleFileException.class)
          .hasMessageStartingWith(bad.get(i)[1])
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }
}
