package org.ktriage.testkit.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ktriage.model.Diagnosis;

/**
 * Runs corpora through the pipeline (files in parallel), scores them, checks floors, golden files
 * and invariants, and prints nothing: the caller gets the table and the failures.
 *
 * @param pipeline the real pipeline
 * @param floorsFile {@code corpus/floors.tsv}
 * @param goldenDir {@code corpus/golden}
 * @param update true to rewrite golden files and ratchet floors ({@code -Dktriage.updateGolden})
 */
public record CorpusRunner(Pipeline pipeline, Path floorsFile, Path goldenDir, boolean update) {

  /** What a run found: the score table, failures (empty when green) and hints. */
  public record Report(String table, List<String> failures, List<String> hints) {}

  /** Runs one file. A pipeline exception other than a refusal propagates: it is a bug. */
  public Result run(Case c) {
    Outcome o;
    try {
      StringBuilder refusal = new StringBuilder();
      Diagnosis d = pipeline.analyze(c.name(), c.text(), refusal);
      if (d == null) {
        o = Outcome.refused(refusal.toString());
      } else {
        String title = d.title();
        String type = title == null ? "" : pipeline.typeOf(title);
        String kernelOnly = title;
        var log = d.report().log();
        var kernel = KernelOutput.kernelLines(log);
        if (title != null && kernel.size() != log.size()) {
          kernelOnly = pipeline.titleOf(kernel);
        }
        o = new Outcome(d, null, type, kernelOnly);
      }
    } catch (Exception e) {
      throw new IllegalStateException(c.name() + ": the pipeline threw " + e, e);
    }
    Map<Measure, Boolean> right = new EnumMap<>(Measure.class);
    c.labels().forEach((m, label) -> right.put(m, Judge.right(m, label, o)));
    return new Result(c, o, right, Invariant.violated(o));
  }

  /** Runs every corpus and checks it; the report's failures are empty when all is well. */
  public Report check(List<Corpus> corpora) {
    List<String> failures = new ArrayList<>();
    List<String> hints = new ArrayList<>();
    List<Score> scores = new ArrayList<>();
    Floors floors = Floors.read(floorsFile);
    for (Corpus corpus : corpora) {
      List<Result> results = corpus.cases().parallelStream().map(this::run).toList();
      Score s = Score.of(corpus.name(), results);
      scores.add(s);
      List<String> below = floors.check(s, hints);
      if (update) {
        below.removeIf(f -> f.contains("no floors yet")); // the update records them
      }
      failures.addAll(below);
      Path golden = goldenDir.resolve(corpus.name() + ".tsv");
      if (update) {
        if (!results.isEmpty() || Files.exists(golden)) {
          Golden.write(golden, results);
        }
      } else {
        List<String> diff = Golden.diff(golden, results);
        if (!diff.isEmpty()) {
          StringBuilder b =
              new StringBuilder(
                  String.format(
                      "%s: %d file(s) differ from %s (review, then rewrite it with the update"
                          + " command in corpus/README.md):%n",
                      corpus.name(), diff.size(), golden));
          diff.stream().limit(25).forEach(l -> b.append(l).append('\n'));
          failures.add(b.toString());
        }
      }
      if (corpus.blind()) {
        continue; // scored above; its files are not shown
      }
      Map<Measure, Integer> missed = new EnumMap<>(Measure.class);
      for (Result r : results) {
        r.right()
            .forEach(
                (m, ok) -> {
                  if (!ok
                      && m != Measure.CULPRIT_SHOWN // the culprit miss says it
                      && missed.merge(m, 1, Integer::sum) <= 8) {
                    hints.add(
                        String.format(
                            "%s %s miss: %s: got [%s] want [%s]",
                            corpus.name(),
                            m.key(),
                            r.file().name(),
                            Judge.got(m, r.outcome()),
                            String.valueOf(r.file().labels().get(m)).replace("\n", " | ")));
                  }
                });
      }
      Map<Invariant, Integer> shown = new EnumMap<>(Invariant.class);
      for (Result r : results) {
        for (Invariant i : r.broken()) {
          if (shown.merge(i, 1, Integer::sum) <= 5) {
            hints.add(
                corpus.name() + " " + i.key() + ": " + r.file().name() + " | " + r.goldenRow());
          }
        }
      }
    }
    if (update) {
      try {
        Files.writeString(floorsFile, floors.ratcheted(scores), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Report(ScoreTable.of(scores), failures, hints);
  }
}
