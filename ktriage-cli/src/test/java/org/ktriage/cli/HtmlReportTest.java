package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktriage.testkit.HeadlessChromium;
import org.ktriage.testkit.HeadlessChromium.PageLoad;

/**
 * {@code analyze --format html} on real inputs, loaded in headless Chromium (issue 6): the seed
 * case and every lab scenario load with no console message and no network request, and show the
 * verdict, the chain and each CPU's contexts. Screenshots land in {@code target/browser/}.
 */
class HtmlReportTest {
  private static final Path WORK = Path.of("target", "browser");

  static Stream<String> labScenarios() throws Exception {
    Path out = SeedCaseTest.shared().resolve("lab/out");
    if (!Files.isDirectory(out)) {
      fail("missing " + out + " (the lab console logs in the shared folder)");
    }
    try (Stream<Path> dirs = Files.list(out)) {
      List<String> names =
          dirs.filter(d -> Files.isRegularFile(d.resolve("console.log")))
              .map(d -> d.getFileName().toString())
              .sorted()
              .toList();
      assertThat(names).as("lab scenarios with a console.log").isNotEmpty();
      return names.stream();
    }
  }

  private static PageLoad report(Path input, String name) throws Exception {
    Files.createDirectories(WORK);
    Path html = WORK.resolve(name + ".html");
    Run run = Run.of("analyze", "--format", "html", "-o", html.toString(), input.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.ANALYSED);
    assertThat(run.out()).isEmpty();
    PageLoad page = HeadlessChromium.load(html, WORK, name + ".png", 1280, 2600);
    assertThat(page.consoleMessages()).as("console messages").isEmpty();
    assertThat(page.networkRequests()).as("network requests").isEmpty();
    assertThat(page.dom()).contains("id=\"verdict\"").contains("id=\"system\"");
    return page;
  }

  @Test
  void seedReport() throws Exception {
    PageLoad page =
        report(
            SeedCaseTest.existing(SeedCaseTest.root().resolve("samples/seed-crash-session.txt")),
            "seed-report");

    assertThat(page.dom())
        .contains("Page fault in run_timer_softirq+0xf8 (softirq, CPU 1)")
        .contains("<svg class=\"chain\"")
        .contains("layer ctx-nmi")
        .contains("class=\"exception fault\"")
        .contains("timer-of-unloaded-module")
        .contains("module-area");
  }

  @ParameterizedTest
  @MethodSource("labScenarios")
  void labScenarioReport(String scenario) throws Exception {
    Path log = SeedCaseTest.shared().resolve("lab/out").resolve(scenario).resolve("console.log");
    PageLoad page = report(log, "lab-" + scenario);

    assertThat(page.dom()).contains("id=\"stacks\"").contains("class=\"layer ctx-");
  }
}
