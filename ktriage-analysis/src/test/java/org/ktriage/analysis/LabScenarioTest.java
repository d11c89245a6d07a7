package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktriage.model.ContextKind;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Finding;
import org.ktriage.model.PrimaryFailure;

/**
 * Every lab scenario's console log: class, primary function and module (from {@code
 * scenario.json}'s guilty_function / guilty_module) and the top finding.
 */
class LabScenarioTest {

  /** Scenario → expected class and top rule (the injected bug, read from scenario.json). */
  private static final Map<String, String[]> EXPECTED =
      Map.of(
          "bug-on", new String[] {"bug", "bug-assertion"},
          "null-deref", new String[] {"null-deref", "null-pointer-dereference"},
          "oom-panic", new String[] {"oom", "oom-panic"},
          "panic-call", new String[] {"explicit-panic", "explicit-panic"},
          "soft-lockup", new String[] {"soft-lockup", "soft-lockup"},
          "soft-lockup-kdump", new String[] {"soft-lockup", "soft-lockup"},
          "timer-after-unload", new String[] {"page-fault", "timer-of-unloaded-module"},
          "timer-after-unload-kdump", new String[] {"page-fault", "timer-of-unloaded-module"},
          "use-after-free", new String[] {"use-after-free", "use-after-free-poison"});

  static Stream<Arguments> scenarios() throws Exception {
    return Files.list(Shared.file("lab/out"))
        .sorted()
        .map(p -> Arguments.of(p.getFileName().toString()));
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void consoleLogIsDiagnosedRight(String scenario) throws Exception {
    Path dir = Shared.file("lab/out/" + scenario);
    String[] exp = expectation(EXPECTED, scenario);
    Diagnosis d = diagnoseInjectedBug(dir, exp);
    String dump = DebugPrint.of(d);
    PrimaryFailure p = Objects.requireNonNull(d.primary(), dump);
    JsonNode json = scenarioJson(dir);
    JsonNode mod = json.get("guilty_module");
    if (mod.isNull()) {
      assertThat(p.module()).as(dump).isNull();
    } else if (!exp[1].equals("timer-of-unloaded-module")) {
      assertThat(p.module()).as(dump).isEqualTo(mod.asText());
    }
    if (exp[1].equals("timer-of-unloaded-module")) {
      assertThat(p.context()).isEqualTo(ContextKind.SOFTIRQ);
      Finding f = d.findings().get(0);
      assertThat(f.summary()).contains("lab_timer_uaf");
      assertThat(d.failureClass()).isEqualTo(FailureClass.PAGE_FAULT);
    }
  }

  /**
   * The expectation of a scenario; {@code name@5.10} is the same injected bug on another kernel.
   */
  static String[] expectation(Map<String, String[]> expected, String scenario) {
    String bug = scenario.replaceFirst("@.*", "");
    assertThat(expected).as("lab scenario without expectation: " + scenario).containsKey(bug);
    return Objects.requireNonNull(expected.get(bug));
  }

  static JsonNode scenarioJson(Path dir) throws Exception {
    return new ObjectMapper().readTree(dir.resolve("scenario.json").toFile());
  }

  /**
   * Analyses a scenario's console log and checks what every lab scenario must show: the expected
   * class {@code exp[0]}, the expected rule {@code exp[1]} first, no rule failure, and a primary
   * function that is the injected bug's guilty function from {@code scenario.json}.
   */
  static Diagnosis diagnoseInjectedBug(Path dir, String[] exp) throws Exception {
    Diagnosis d = new Analyzer().analyze(Reports.ingest(dir.resolve("console.log")));
    String dump = DebugPrint.of(d);
    assertThat(d.failureClass().id()).as(dump).isEqualTo(exp[0]);
    assertThat(d.findings()).as(dump).isNotEmpty();
    assertThat(d.findings().get(0).rule()).as(dump).isEqualTo(exp[1]);
    assertThat(d.ruleFailures()).as(dump).isEmpty();
    PrimaryFailure p = Objects.requireNonNull(d.primary(), dump);
    String guiltyFn = scenarioJson(dir).get("guilty_function").asText().split("[ (;]")[0];
    assertThat(p.function()).as(dump).startsWith(guiltyFn);
    return d;
  }
}
