package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ktriage rules} and {@code --rules DIR}, in process. */
class RulesCommandTest {
  @TempDir Path tmp;

  @Test
  void listsTheBundledRulesSortedById() {
    Run run = Run.of("rules");

    assertThat(run.exitCode()).isEqualTo(ExitCode.ANALYSED);
    assertThat(run.out()).contains("recursive-spinlock", "timer-of-unloaded-module");
    var ids = run.out().lines().map(l -> l.split("\\s+")[0]).toList();
    assertThat(ids).isSorted().hasSizeGreaterThan(10);
  }

  @Test
  void explainsOneRule() {
    Run run = Run.of("rules", "--explain", "timer-of-unloaded-module");

    assertThat(run.exitCode()).isEqualTo(ExitCode.ANALYSED);
    assertThat(run.out()).startsWith("timer-of-unloaded-module (critical").contains("Next steps:");
  }

  @Test
  void unknownRuleIsAUsageError() {
    Run run = Run.of("rules", "--explain", "no-such-rule");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.errLines()).isEqualTo(1);
  }

  @Test
  void teamRulesJoinTheBookAndMalformedOnesAreOneLineUsageErrors() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("team"));
    Files.writeString(
        dir.resolve("our-driver.yaml"),
        "id: our-driver-fault\n"
            + "severity: high\n"
            + "summary: Our driver faulted in {{where}}.\n"
            + "when:\n"
            + "  anyClass: [page-fault]\n");
    Run listed = Run.of("rules", "--rules", dir.toString());
    assertThat(listed.err()).isEmpty();
    assertThat(listed.out()).contains("our-driver-fault");
    Path seed =
        SeedCaseTest.existing(SeedCaseTest.root().resolve("samples/seed-crash-session.txt"));
    Run withTeam =
        Run.of("analyze", "--format", "json", "--rules", dir.toString(), seed.toString());
    assertThat(withTeam.exitCode()).as(withTeam.err()).isEqualTo(ExitCode.ANALYSED);
    assertThat(withTeam.out()).contains("\"rule\": \"our-driver-fault\"");

    Files.writeString(dir.resolve("zz-broken.yml"), "id: Not Kebab\nseverity: high\n");
    Run broken = Run.of("rules", "--rules", dir.toString());
    assertThat(broken.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(broken.errLines()).isEqualTo(1);
    assertThat(broken.err()).contains("zz-broken.yml");

    Run analyze = Run.of("analyze", "--rules", dir.toString(), seed.toString());
    assertThat(analyze.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(analyze.err()).contains("zz-broken.yml").doesNotContain("\tat ");
  }
}
