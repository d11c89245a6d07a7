package org.ktriage.testkit.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The floors file ({@code corpus/floors.tsv}): per corpus, the lowest percent each measure may
 * score ({@code right} and the {@link Measure} keys) and the most violations each invariant may
 * count ({@code inv:<key>}; an invariant without a line may count none). Floors ratchet: the update
 * switch raises measure floors and lowers invariant ceilings to the current scores, and never the
 * other way; a corpus seen for the first time gets its first floors from it.
 */
public final class Floors {
  /** A score may exceed its floor by this many points before the run asks to raise it. */
  static final double MARGIN = 0.5;

  private final Map<String, Double> bounds;

  private Floors(Map<String, Double> bounds) {
    this.bounds = bounds;
  }

  /** Reads the floors file (an absent file has no floors). */
  public static Floors read(Path file) {
    Map<String, Double> bounds = new LinkedHashMap<>();
    if (Files.exists(file)) {
      for (String line : lines(file)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 3) {
          throw new IllegalStateException("floors line is not corpus<TAB>key<TAB>value: " + line);
        }
        bounds.put(f[0] + "\t" + f[1], Double.parseDouble(f[2]));
      }
    }
    return new Floors(bounds);
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean hasCorpus(String corpus) {
    return bounds.keySet().stream().anyMatch(k -> k.startsWith(corpus + "\t"));
  }

  /** Failures of this score against the floors, and hints (floors to raise) into {@code hints}. */
  public List<String> check(Score s, List<String> hints) {
    List<String> out = new ArrayList<>();
    if (s.files() == 0) {
      return out;
    }
    if (!hasCorpus(s.corpus())) {
      out.add(
          s.corpus() + ": no floors yet; record them with the update command (corpus/README.md)");
      return out;
    }
    for (Map.Entry<String, Double> e : current(s).entrySet()) {
      String key = e.getKey();
      double now = e.getValue();
      Double bound = bounds.get(s.corpus() + "\t" + key);
      if (key.startsWith("inv:")) {
        double max = bound == null ? 0 : bound;
        if (now > max) {
          out.add(
              String.format(
                  Locale.ROOT,
                  "%s: %s = %.0f violations, at most %.0f allowed",
                  s.corpus(),
                  key,
                  now,
                  max));
        } else if (now < max) {
          hints.add(
              String.format(
                  Locale.ROOT,
                  "%s: %s fell to %.0f (ceiling %.0f): lower it",
                  s.corpus(),
                  key,
                  now,
                  max));
        }
      } else if (bound == null) {
        hints.add(
            String.format(Locale.ROOT, "%s: %s has no floor (now %.1f%%)", s.corpus(), key, now));
      } else if (now + 1e-9 < bound) {
        out.add(
            String.format(
                Locale.ROOT,
                "%s: %s = %.1f%% below its floor %.1f%%",
                s.corpus(),
                key,
                now,
                bound));
      } else if (now > bound + MARGIN) {
        hints.add(
            String.format(
                Locale.ROOT,
                "%s: %s = %.1f%% exceeds its floor %.1f%%: raise it",
                s.corpus(),
                key,
                now,
                bound));
      }
    }
    return out;
  }

  /** The floors file with these scores ratcheted in (never loosened). */
  public String ratcheted(List<Score> scores) {
    Map<String, Double> next = new LinkedHashMap<>(bounds);
    for (Score s : scores) {
      if (s.files() == 0) {
        continue;
      }
      boolean fresh = !hasCorpus(s.corpus());
      for (Map.Entry<String, Double> e : current(s).entrySet()) {
        String k = s.corpus() + "\t" + e.getKey();
        double now = e.getValue();
        Double old = bounds.get(k);
        if (e.getKey().startsWith("inv:")) {
          double max = old == null ? (fresh ? now : 0) : Math.min(old, now);
          if (max > 0 || old != null) {
            next.put(k, max);
          }
        } else {
          double floor = Math.floor(now * 10) / 10;
          next.put(k, old == null ? floor : Math.max(old, floor));
        }
      }
    }
    StringBuilder b =
        new StringBuilder(
            """
            # Corpus floors: corpus<TAB>measure<TAB>lowest percent, or inv:<invariant><TAB>most violations.
            # Ratchet only: raise floors, lower ceilings (the update switch does it; see corpus/README.md).
            """);
    next.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                b.append(e.getKey())
                    .append('\t')
                    .append(format(e.getKey(), e.getValue()))
                    .append('\n'));
    return b.toString();
  }

  private static String format(String key, double v) {
    return key.contains("\tinv:")
        ? String.valueOf((long) v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  /** The score's current values by floors key. */
  static Map<String, Double> current(Score s) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (s.percentRight() >= 0) {
      out.put("right", s.percentRight());
    }
    for (Measure m : Measure.values()) {
      if (s.percent(m) >= 0) {
        out.put(m.key(), s.percent(m));
      }
    }
    s.violations().forEach((i, n) -> out.put("inv:" + i.key(), (double) n));
    return out;
  }
}
