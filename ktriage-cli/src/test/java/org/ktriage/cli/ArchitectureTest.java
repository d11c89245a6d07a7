package org.ktriage.cli;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code (docs/architecture.md), checked on the compiled main classes of every
 * module the CLI sees: layers depend one way ({@code ingest -> model <- analysis -> render ->
 * cli}), only the CLI prints, render draws analysis results without reaching into the engines that
 * decide them, and model, analysis and render never touch files. Each rule is also shown to fail on
 * the purpose-made violations in {@code archfixture}.
 */
class ArchitectureTest {
  private static final String ROOT = "org.ktriage";

  /** Which layers each layer may use besides itself; a layer not listed here fails the build. */
  static final Map<String, List<String>> USES = new LinkedHashMap<>();

  static {
    USES.put("model", List.of());
    USES.put("ingest", List.of("model"));
    USES.put("analysis", List.of("model"));
    USES.put("render", List.of("model", "analysis"));
    USES.put("testkit", List.of("model", "ingest"));
    USES.put("server", List.of("model", "ingest", "analysis", "render"));
    USES.put("collect", List.of("model", "ingest", "analysis", "render"));
    USES.put("cli", List.of("model", "ingest", "analysis", "render", "server", "collect"));
  }

  /** The layers that may write to the process's standard streams (the server logs to stderr). */
  static final List<String> PRINTERS = List.of("cli", "server");

  /**
   * What render may take from analysis: the records of results it draws. Classifiers, cause order,
   * rules, signatures and the analyzer itself decide, so render never names them; and it calls no
   * static method of analysis (a factory such as {@code TriageResult.of} decides too).
   */
  static final List<String> ANALYSIS_RESULTS =
      List.of(
          "analysis.bucket.Bucket",
          "analysis.bucket.MergeSuggestion",
          "analysis.bucket.SeenSeries",
          "analysis.bucket.TriageResult");

  /** Layers that never open a file: analysis is a pure function, renderers write to a Writer. */
  static final List<String> NO_FILES = List.of("model", "analysis", "render");

  /** The rules, for the classes below {@code root}. */
  static List<ArchRule> rules(String root) {
    List<ArchRule> rules = new ArrayList<>();
    rules.add(
        classes()
            .that()
            .resideInAPackage(root + "..")
            .should()
            .resideInAnyPackage(
                USES.keySet().stream().map(l -> root + "." + l + "..").toArray(String[]::new))
            .because("every class belongs to a layer of docs/architecture.md")
            .allowEmptyShould(true));
    USES.forEach(
        (layer, uses) -> {
          List<String> allowed = new ArrayList<>(uses);
          allowed.add(layer);
          DescribedPredicate<JavaClass> ok =
              resideOutsideOfPackage(root + "..")
                  .or(
                      resideInAnyPackage(
                          allowed.stream()
                              .filter(l -> !(layer.equals("render") && l.equals("analysis")))
                              .map(l -> root + "." + l + "..")
                              .toArray(String[]::new)));
          if (layer.equals("render")) {
            ok = ok.or(analysisResult(root));
          }
          rules.add(
              classes()
                  .that()
                  .resideInAPackage(root + "." + layer + "..")
                  .should()
                  .onlyDependOnClassesThat(ok)
                  .because(layer + " may use only " + uses + " (layers point one way)")
                  .allowEmptyShould(true));
        });
    rules.add(
        noClasses()
            .that()
            .resideInAPackage(root + "..")
            .and()
            .resideOutsideOfPackages(
                PRINTERS.stream().map(l -> root + "." + l + "..").toArray(String[]::new))
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("only the CLI prints; the others return values or write to a given Writer")
            .allowEmptyShould(true));
    rules.add(
        noClasses()
            .that()
            .resideInAPackage(root + ".render..")
            .should()
            .callMethodWhere(staticIn(root + ".analysis.."))
            .because("renderers draw analysis results; they never compute one")
            .allowEmptyShould(true));
    rules.add(
        noClasses()
            .that()
            .resideInAnyPackage(
                NO_FILES.stream().map(l -> root + "." + l + "..").toArray(String[]::new))
            .should()
            .dependOnClassesThat()
            .resideInAPackage("java.nio.file..")
            .orShould()
            .dependOnClassesThat()
            .haveNameMatching("java\\.io\\.(File|RandomAccessFile)\\w*")
            .because("readers in ingest open files; analysis and renderers get values and Writers")
            .allowEmptyShould(true));
    return rules;
  }

  private static DescribedPredicate<JavaClass> analysisResult(String root) {
    List<String> names = ANALYSIS_RESULTS.stream().map(n -> root + "." + n).toList();
    return describe(
        "an analysis result " + names,
        c ->
            names.stream().anyMatch(n -> c.getName().equals(n) || c.getName().startsWith(n + "$")));
  }

  private static DescribedPredicate<JavaMethodCall> staticIn(String pkg) {
    return describe(
        "a static method in " + pkg,
        call ->
            call.getTargetOwner().getPackageName().startsWith(pkg.replace("..", ""))
                && call.getTarget()
                    .resolveMember()
                    .map(m -> m.getModifiers().contains(JavaModifier.STATIC))
                    .orElse(false));
  }

  @Test
  void mainClassesKeepTheShape() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
    // the import saw every layer, so that an empty import cannot pass
    for (String layer : USES.keySet()) {
      assertThat(main.stream().filter(c -> c.getPackageName().startsWith(ROOT + "." + layer)))
          .as("classes of %s", layer)
          .isNotEmpty();
    }
    String failures =
        rules(ROOT).stream()
            .map(r -> r.evaluate(main))
            .filter(EvaluationResult::hasViolation)
            .map(r -> r.getFailureReport().toString())
            .collect(Collectors.joining("\n"));
    assertThat(failures).isEmpty();
  }

  @Test
  void everyRuleFailsOnItsPurposeMadeViolation() {
    String root = ROOT + ".cli.archfixture";
    JavaClasses fixtures = new ClassFileImporter().importPackages(root);
    List<String> reports = new ArrayList<>();
    for (ArchRule r : rules(root)) {
      EvaluationResult result = r.evaluate(fixtures);
      assertThat(result.hasViolation()).as(r.getDescription()).isTrue();
      reports.add(result.getFailureReport().toString());
    }
    String all = String.join("\n", reports);
    assertThat(all)
        .contains("archfixture.stray.Unplaced")
        .contains("archfixture.model.ReachesUp")
        .contains("archfixture.ingest.Judges")
        .contains("archfixture.analysis.ReadsInput")
        .contains("archfixture.render.Decides")
        .contains("archfixture.server.CallsTheCli")
        .contains("archfixture.collect.UsesTheServer")
        .contains("System.out")
        .contains("printStackTrace")
        .contains("Engine.decide()")
        .contains("java.nio.file");
    // what is allowed stays allowed: render drawing a result record, the CLI printing
    assertThat(all).doesNotContain("render.Draws").doesNotContain("cli.Prints");
  }
}
