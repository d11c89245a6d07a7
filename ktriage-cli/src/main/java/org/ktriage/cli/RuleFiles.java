package org.ktriage.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ktriage.analysis.rule.RuleBook;
import org.ktriage.analysis.rule.TeamRuleFile;

/** The rule book for a run: the bundled rules plus a team's YAML files from {@code --rules DIR}. */
final class RuleFiles {
  /** Bigger rule files than this are refused (a rule is a page of YAML). */
  private static final long MAX_FILE_BYTES = 1 << 20;

  private RuleFiles() {}

  /**
   * The bundled book plus every {@code *.yaml}/{@code *.yml} file directly in {@code dir}, in name
   * order.
   *
   * @throws IOException when the directory or a file cannot be read
   * @throws org.ktriage.analysis.rule.RuleFileException for a malformed rule (one line naming file
   *     and line)
   */
  static RuleBook withTeamRules(Path dir) throws IOException {
    List<TeamRuleFile> files = new ArrayList<>();
    List<Path> paths;
    try (Stream<Path> list = Files.list(dir)) {
      paths =
          list.filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
              .sorted()
              .toList();
    }
    for (Path p : paths) {
      if (Files.size(p) > MAX_FILE_BYTES) {
        throw new IOException(p + ": rule file larger than 1 MiB");
      }
      files.add(new TeamRuleFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8)));
    }
    return RuleBook.bundled().withExtra(files);
  }
}
