package org.ktriage.testkit.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A corpus's golden file ({@code corpus/golden/<corpus>.tsv}): for every file, ktriage's current
 * class, primary function, title, signature and rules fired. Any change fails the run until the
 * update switch rewrites the file, so every change of behaviour is reviewed in the diff.
 */
public final class Golden {
  static final String HEADER = "# file\tclass\tprimary\ttitle\tsignature\trules";

  private Golden() {}

  /** The golden file's text for these results. */
  public static String text(List<Result> results) {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    results.forEach(r -> b.append(r.goldenRow()).append('\n'));
    return b.toString();
  }

  /** The differences between the golden file and these results (empty when they agree). */
  public static List<String> diff(Path file, List<Result> results) {
    List<String> out = new ArrayList<>();
    if (!Files.exists(file)) {
      if (!results.isEmpty()) {
        out.add("no golden file " + file);
      }
      return out;
    }
    Map<String, String> old = rows(read(file));
    Map<String, String> now = rows(text(results));
    for (Map.Entry<String, String> e : now.entrySet()) {
      String was = old.get(e.getKey());
      if (was == null) {
        out.add("+ " + e.getValue());
      } else if (!was.equals(e.getValue())) {
        out.add("- " + was + "\n+ " + e.getValue());
      }
    }
    old.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> out.add("- " + old.get(k)));
    return out;
  }

  /** Writes the golden file. */
  public static void write(Path file, List<Result> results) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text(results), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> rows(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        out.put(line.substring(0, Math.max(0, line.indexOf('\t'))), line);
      }
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
