package org.ktriage.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ktriage.analysis.bucket.Buckets;
import org.ktriage.analysis.bucket.TriageResult;
import org.ktriage.testkit.Shared;
import org.ktriage.testkit.corpus.Case;
import org.ktriage.testkit.corpus.Corpora;
import org.ktriage.testkit.corpus.Corpus;

/**
 * The corpus the Spark job is checked on — every corpus of the runner except the wild corpus's
 * held-out part, which no tuning work reads — as raw reports, its JSONL export and its
 * single-machine re-triage. Its {@code main} writes both for a Spark job run outside the tests
 * ({@code bench/spark-cluster.sh}): {@code export.jsonl} (the job's input) and {@code
 * buckets-single.jsonl} (the buckets of single-machine re-triage, as the job writes its {@code
 * buckets.jsonl}).
 */
final class RetriageCorpus {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RetriageCorpus() {}

  /** The corpora, by the names of their golden files under {@code corpus/golden/}. */
  static List<Corpus> corpora(Path root) {
    Corpora corpora = new Corpora(Shared.root(), root);
    return List.of(
        corpora.syzkaller("syzkaller", List.of("report", "symbolize")),
        corpora.syzkaller("syzkaller-all", List.of("all/report")),
        corpora.syzkallerGuilty(),
        corpora.satyr(),
        corpora.abrt(),
        corpora.linuxDocs(),
        corpora.lab("lab", Shared.root().resolve("lab/out")),
        corpora.lab("lab-heldout", root.resolve("lab/out")),
        corpora.seed(),
        corpora.wild("tune"));
  }

  /** Every case of {@code corpora} as a raw report, ids from 1, named {@code corpus/case}. */
  static List<RawReport> reports(List<Corpus> corpora) throws IOException {
    List<RawReport> out = new ArrayList<>();
    for (Corpus c : corpora) {
      for (Case k : c.cases()) {
        out.add(new RawReport(out.size() + 1, c.name() + "/" + k.name(), k.text()));
      }
    }
    return out;
  }

  /** The JSONL export the job reads: {@code {"id", "name", "raw": base64}} a line. */
  static void writeExport(Path file, List<RawReport> reports) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (RawReport r : reports) {
        w.write(
            JSON.writeValueAsString(
                Map.of(
                    "id", r.id(),
                    "name", r.name(),
                    "raw", Base64.getEncoder().encodeToString(r.raw()))));
        w.write('\n');
      }
    }
  }

  /** Single-machine re-triage: one {@link Retriage} in a loop, as {@code ktriage triage -j 1}. */
  static List<TriageResult> singleMachine(List<RawReport> reports, Path tmp) throws IOException {
    Retriage one = new Retriage(tmp);
    List<TriageResult> single = new ArrayList<>();
    try {
      for (RawReport r : reports) {
        single.add(one.triage(r).result());
      }
    } finally {
      one.close();
    }
    return single;
  }

  /** The bucket preview of single-machine results: {@link Buckets#group}, as the job groups. */
  static List<BucketPreview> buckets(List<TriageResult> single) {
    return Buckets.group(single).stream().map(BucketPreview::of).toList();
  }

  /**
   * {@code RetriageCorpus ROOT OUT_DIR}: writes {@code OUT_DIR/export.jsonl} and {@code
   * OUT_DIR/buckets-single.jsonl}, and prints the single-machine figures.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: RetriageCorpus KTRIAGE_ROOT OUT_DIR");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    Path out = Files.createDirectories(Path.of(args[1]));
    List<RawReport> reports = reports(corpora(root));
    writeExport(out.resolve("export.jsonl"), reports);
    long t0 = System.nanoTime();
    List<BucketPreview> buckets = buckets(singleMachine(reports, out.resolve("tmp")));
    double seconds = (System.nanoTime() - t0) / 1e9;
    try (Writer w =
        Files.newBufferedWriter(out.resolve("buckets-single.jsonl"), StandardCharsets.UTF_8)) {
      for (BucketPreview b : buckets) {
        w.write(JSON.writeValueAsString(b));
        w.write('\n');
      }
    }
    System.out.printf(
        Locale.ROOT,
        "single machine, one thread: %d reports in %.1f s = %.0f reports/s, %d buckets%n",
        reports.size(),
        seconds,
        reports.size() / seconds,
        buckets.size());
  }
}
