package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ktriage.testkit.Shared;

/**
 * {@code triage -j N} gives the same output as {@code -j 1} on the whole corpus: every shared
 * corpus (syzkaller, satyr, abrt, linux-docs, with their READMEs and manifests as inputs that are
 * not crashes) and the repo's wild logs.
 */
class TriageParallelTest {
  @Test
  void parallelTriageOfTheWholeCorpusEqualsSerial() {
    String corpus = Shared.path("corpus").toString();
    String wild = java.nio.file.Path.of("..", "corpus", "wild").toString();
    for (String format : new String[] {"json", "table"}) {
      Run serial = Run.of("triage", "--format", format, "-j", "1", corpus, wild);
      Run parallel = Run.of("triage", "--format", format, "-j", "4", corpus, wild);
      assertThat(serial.exitCode()).isEqualTo(parallel.exitCode());
      assertThat(stable(parallel.out())).isEqualTo(stable(serial.out()));
      assertThat(serial.out()).hasSizeGreaterThan(10_000);
      if (format.equals("json")) {
        assertThat(serial.out()).contains("/satyr/").contains("/abrt/").contains("/wild/");
      }
    }
  }

  /** The output without the run's duration and rate, which differ between any two runs. */
  private static String stable(String out) {
    return out.replaceAll("in [0-9.]+ s \\([0-9.]+ inputs/s\\)", "in T")
        .replaceAll("\"(elapsed|seconds|millis)[A-Za-z]*\"\\s*:\\s*[0-9.]+", "\"$1\":T");
  }
}
