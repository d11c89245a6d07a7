package org.ktriage.analysis.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Every line of the shared corpora, for checks that a shortcut is one-sided on real text. */
public final class CorpusLines {
  private CorpusLines() {}

  /** The lines of every file under the shared corpora (UTF-8, so wide chars stay). */
  public static List<String> all() throws IOException {
    Path root = Path.of(System.getProperty("ktriage.shared", "../../shared"), "corpus");
    assertThat(root).isDirectory();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    List<String> lines = new ArrayList<>();
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      for (String line : text.split("\n", -1)) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * Asserts that no line the pattern finds is ruled out by the gate, and that the gate rules out
   * most lines (else it saves nothing); returns the number of lines the pattern finds.
   */
  public static int assertGateOneSided(Pattern p, Literals gate, List<String> lines) {
    int found = 0;
    int passed = 0;
    for (String line : lines) {
      boolean may = gate.containsAny(line);
      passed += may ? 1 : 0;
      if (p.matcher(line).find()) {
        found++;
        assertThat(may).as("%s finds %s, its gate rules it out", p, line).isTrue();
      }
    }
    assertThat(passed).as("lines the gate of %s lets through", p).isLessThan(lines.size() / 4);
    return found;
  }
}
