package org.ktriage.analysis.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LiteralsTest {

  /** The literals found, as {@link String#contains} would find them one by one. */
  private static Set<String> found(Literals l, String text) {
    int[] ids = new int[l.size()];
    int n = l.find(text, ids);
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      assertThat(out.add(l.literal(ids[i]))).as("each literal once").isTrue();
    }
    return out;
  }

  private static Set<String> expected(List<String> literals, String text) {
    Set<String> out = new TreeSet<>();
    for (String s : literals) {
      if (text.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void overlappingNestedAndRepeatedLiteralsAreAllFound() {
    List<String> lits = List.of("he", "she", "his", "hers", "h", "ers", "she");
    Literals l = Literals.of(lits);
    assertThat(l.size()).isEqualTo(6);
    assertThat(found(l, "ushers")).containsExactly("ers", "h", "he", "hers", "she");
    assertThat(found(l, "this")).containsExactly("h", "his");
    assertThat(found(l, "xyz")).isEmpty();
    assertThat(l.containsAny("xyz")).isFalse();
    assertThat(l.containsAny("ah")).isTrue();
    assertThat(l.id("she")).isEqualTo(1);
    assertThat(l.id("absent")).isEqualTo(-1);
  }

  @Test
  void theEmptyLiteralIsInEveryText() {
    Literals l = Literals.of(List.of("", "BUG:"));
    assertThat(found(l, "")).containsExactly("");
    assertThat(found(l, "BUG: x")).containsExactly("", "BUG:");
    assertThat(l.containsAny("nothing")).isTrue();
  }

  @Test
  void charsBeyondAsciiInLiteralsAndTexts() {
    List<String> lits = List.of("ü", "Grüße", "→ x", "x");
    Literals l = Literals.of(lits);
    for (String text : List.of("Grüße → x", "Gruesse", "éü", "\uFFFD x", "→x", "")) {
      assertThat(found(l, text)).as(text).isEqualTo(expected(lits, text));
    }
    Literals ascii = Literals.of(List.of("ab"));
    assertThat(found(ascii, "a\u00e9ab")).containsExactly("ab");
    assertThat(found(ascii, "a\u00e9b")).isEmpty();
  }

  @Test
  void ignoringAsciiCaseFindsWhatACaseInsensitivePatternWould() {
    List<String> lits = List.of("Freed by task", "é", "x1");
    Literals l = Literals.ignoringAsciiCase(lits);
    assertThat(l.containsAny("FREED BY TASK 12")).isTrue();
    assertThat(l.containsAny("freed by Task")).isTrue();
    assertThat(l.containsAny("freed by tas")).isFalse();
    assertThat(l.containsAny("X1")).isTrue();
    assertThat(l.containsAny("É")).as("only ASCII letters fold").isFalse();
    Random r = new Random(7);
    for (int t = 0; t < 2000; t++) {
      String text = random(r, "fFrReEdD bByYtTaAsSkKx1", r.nextInt(30));
      boolean want = false;
      for (String s : lits) {
        want |=
            java.util.regex.Pattern.compile(
                    java.util.regex.Pattern.quote(s), java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(text)
                .find();
      }
      assertThat(l.containsAny(text)).as(text).isEqualTo(want);
    }
  }

  /** Random literals over a small alphabet (many overlaps) against random texts. */
  @Test
  void agreesWithContainsOnRandomTexts() {
    Random r = new Random(16);
    String alphabet = "abc: \u00e9";
    for (int round = 0; round < 300; round++) {
      List<String> lits = new ArrayList<>();
      for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
        lits.add(random(r, alphabet, 1 + r.nextInt(5)));
      }
      Literals l = Literals.of(lits);
      for (int t = 0; t < 30; t++) {
        String text = random(r, alphabet + "xyz", r.nextInt(40));
        assertThat(found(l, text)).as("%s in %s", lits, text).isEqualTo(expected(lits, text));
        assertThat(l.containsAny(text)).isEqualTo(!expected(lits, text).isEmpty());
      }
    }
  }

  private static String random(Random r, String alphabet, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** Report headers and messages of the kernel against every line of the shared corpora. */
  @Test
  void agreesWithContainsOnEveryLineOfTheCorpora() throws IOException {
    List<String> lits =
        List.of(
            "BUG:",
            "WARNING:",
            "INFO:",
            "Unable to handle kernel",
            "general protection fault",
            "Kernel panic",
            "kernel BUG",
            "BUG kmalloc-",
            "invalid opcode:",
            "UBSAN:",
            "panic:",
            "Call Trace:",
            " ? ",
            "RIP: ",
            "self-detected stall on CPU",
            "KASAN: ",
            "e",
            "ee");
    Literals l = Literals.of(lits);
    Path root = Path.of(System.getProperty("ktriage.shared", "../../shared"), "corpus");
    assertThat(root).isDirectory();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    long lines = 0;
    long withAny = 0;
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      for (String line : text.split("\n", -1)) {
        Set<String> want = expected(lits, line);
        assertThat(found(l, line)).as("%s: %s", file, line).isEqualTo(want);
        lines++;
        withAny += want.isEmpty() ? 0 : 1;
      }
    }
    assertThat(lines).isGreaterThan(10_000);
    assertThat(withAny).isGreaterThan(1_000);
  }
}
