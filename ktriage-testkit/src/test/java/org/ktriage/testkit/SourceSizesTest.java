package org.ktriage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's sizes, as a ratchet: every class over {@link SourceSizes#CLASS_LINES} lines and every
 * method over {@link SourceSizes#METHOD_LINES} lines of the main sources is named in {@code
 * docs/source-sizes.tsv} (tables marked {@code table}); a new one fails the build, one that was
 * split below the ceiling must leave the list, and a listed one that is not a table may not grow
 * past its listed size, so the list only shrinks. {@code -Dktriage.updateSizes=true} rewrites the
 * list from the sources (review its diff: only removals are progress).
 */
class SourceSizesTest {

  private static final Path ROOT = Path.of("..");
  private static final Path LIST = ROOT.resolve("docs/source-sizes.tsv");

  @Test
  void methodsAreMeasuredFromTheirNameToTheirClosingBrace() {
    String source =
        String.join(
            "\n",
            "class A {",
            "  /** { not code } */",
            "  @Override",
            "  public String toString() {",
            "    String s = \"}{\"; char c = '}';",
            "    Runnable r = () -> {",
            "      if (s.isEmpty()) { return; }",
            "    };",
            "    return s;",
            "  }",
            "  static final Object O = new Object() {",
            "    @Override public int hashCode() {",
            "      return 1;",
            "    }",
            "  };",
            "  static {",
            "    System.gc();",
            "  }",
            "  <T> java.util.List<T> many(",
            "      T a, T b)",
            "      throws Exception {",
            "    String text = \"\"\"",
            "        } } }",
            "        \"\"\";",
            "    return java.util.List.of(a, b);",
            "  }",
            "  record R(int x) {",
            "    R {",
            "      if (x < 0) throw new IllegalArgumentException();",
            "    }",
            "  }",
            "}",
            "");
    assertThat(SourceSizes.methods("m/A", source))
        .extracting(SourceSizes.Size::name, SourceSizes.Size::lines)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("m/A.toString:4", 7),
            org.assertj.core.groups.Tuple.tuple("m/A.hashCode:12", 3),
            org.assertj.core.groups.Tuple.tuple("m/A.many:19", 8),
            org.assertj.core.groups.Tuple.tuple("m/A.R:28", 3));
    assertThat(SourceSizes.lineCount(source)).isEqualTo(32);
  }

  @Test
  void noNewClassOrMethodOverTheCeilingAndTheListOnlyShrinks() throws Exception {
    List<SourceSizes.Size> over =
        SourceSizes.over(ROOT, SourceSizes.CLASS_LINES, SourceSizes.METHOD_LINES);
    Map<String, SourceSizes.Size> now = new LinkedHashMap<>();
    for (SourceSizes.Size s : over) {
      now.merge(s.key(), s, (a, b) -> a.lines() >= b.lines() ? a : b);
    }
    Map<String, String> listed = new LinkedHashMap<>();
    Map<String, Integer> listedLines = new LinkedHashMap<>();
    for (String line : Files.readAllLines(LIST, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      listed.put(f[0] + " " + f[1], f.length > 3 ? f[3] : "");
      listedLines.put(f[0] + " " + f[1], Integer.parseInt(f[2]));
    }
    if (Boolean.getBoolean("ktriage.updateSizes")) {
      write(now, listed);
      return;
    }
    TreeSet<String> added = new TreeSet<>(now.keySet());
    added.removeAll(listed.keySet());
    TreeSet<String> gone = new TreeSet<>(listed.keySet());
    gone.removeAll(now.keySet());
    assertThat(added)
        .as(
            "over %d lines (class) or %d lines (method) and not in %s: split it",
            SourceSizes.CLASS_LINES, SourceSizes.METHOD_LINES, LIST)
        .isEmpty();
    assertThat(gone)
        .as(
            "now under the ceiling: remove from %s (-Dktriage.updateSizes=true), the list only"
                + " shrinks",
            LIST)
        .isEmpty();
    TreeSet<String> grown = new TreeSet<>();
    for (SourceSizes.Size s : now.values()) {
      Integer was = listedLines.get(s.key());
      if (was != null && s.lines() > was && !"table".equals(listed.get(s.key()))) {
        grown.add(s.key() + " " + was + " -> " + s.lines());
      }
    }
    assertThat(grown)
        .as("listed in %s and grown past its listed size: split it, do not grow it", LIST)
        .isEmpty();
  }

  private static void write(Map<String, SourceSizes.Size> now, Map<String, String> listed)
      throws Exception {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(LIST, StandardCharsets.UTF_8)) {
      if (!l.startsWith("#")) {
        break;
      }
      out.add(l);
    }
    for (SourceSizes.Size s : now.values()) {
      String note = listed.getOrDefault(s.key(), "");
      String name = s.key().substring(s.kind().length() + 1);
      out.add(s.kind() + "\t" + name + "\t" + s.lines() + (note.isEmpty() ? "" : "\t" + note));
    }
    Files.write(LIST, out, StandardCharsets.UTF_8);
  }
}
