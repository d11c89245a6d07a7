package org.ktriage.analysis.rule.computed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.Analyzer;
import org.ktriage.analysis.rule.Hit;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;

/**
 * The hung task and its timeout, read from the header kernel/hung_task.c check_hung_task prints
 * ("INFO: task %s:%d blocked for more than %ld seconds.") with the report-kind table's own entry.
 */
class HungTaskRuleTest {

  private static final String HEADER =
      "INFO: task syz-executor1:12659 blocked for more than 120 seconds.";

  /** The rule's own hit example, a syzbot hung-task report. */
  private static String example() throws Exception {
    String s =
        Files.readString(
            Path.of("src/test/resources/rules/examples/hung-task/hit-syzkaller.txt"),
            StandardCharsets.ISO_8859_1);
    assertThat(s).contains(HEADER);
    return s;
  }

  private static @Nullable Hit evaluate(String text) throws Exception {
    Path tmp = Files.createTempFile("ktriage-hung-", ".txt");
    try {
      Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
      var facts = Analyzer.facts(Ingest.read(List.of(tmp), Strictness.LENIENT));
      return new HungTaskRule().evaluate(facts);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Test
  void theTaskAndItsTimeoutComeFromTheHeader() throws Exception {
    Hit h = Objects.requireNonNull(evaluate(example()));
    assertThat(h.values()).containsEntry("task", "syz-executor1:12659");
    assertThat(h.values()).containsEntry("seconds", "120");
  }

  @Test
  void aCommWithASpaceIsNamedWhole() throws Exception {
    // a comm is any 15 bytes a task set with prctl(PR_SET_NAME), spaces included
    Hit h =
        Objects.requireNonNull(
            evaluate(
                example()
                    .replace(
                        HEADER,
                        "INFO: task syz executor:12659 blocked for more than 240 seconds.")));
    assertThat(h.values()).containsEntry("task", "syz executor:12659");
    assertThat(h.values()).containsEntry("seconds", "240");
  }

  @Test
  void aHeaderCutBeforeItsSecondsStatesNoTimeout() throws Exception {
    assertThat(
            evaluate(
                example().replace(HEADER, "INFO: task syz-executor1:12659 blocked for more than")))
        .isNull();
  }
}
