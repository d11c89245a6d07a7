package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.testkit.corpus.Corpora;
import org.ktriage.testkit.corpus.Corpus;
import org.ktriage.testkit.corpus.CorpusRunner;

/**
 * Every corpus (syzkaller, satyr, ABRT, linux-docs, lab consoles, seed, wild) through the real
 * pipeline with the one corpus runner: scores against {@code corpus/floors.tsv}, every file against
 * {@code corpus/golden/}, invariants on every report. {@code -Dktriage.updateGolden=true} rewrites
 * the golden files and ratchets the floors (see {@code corpus/README.md}).
 */
class CorporaTest {

  @Test
  void everyCorpusHoldsItsFloorsGoldenFilesAndInvariants() {
    Path root = Path.of(System.getProperty("ktriage.root", "..")).toAbsolutePath().normalize();
    Shared.file("corpus");
    Path shared = Path.of(System.getProperty("ktriage.shared", "../../shared")).toAbsolutePath();
    boolean update = Boolean.getBoolean("ktriage.updateGolden");
    long start = System.nanoTime();
    List<Corpus> corpora = new Corpora(shared, root).all();
    assertThat(corpora.get(0).cases()).as("syzkaller corpus files").hasSizeGreaterThan(740);
    CorpusRunner.Report report =
        new CorpusRunner(
                new AnalysisPipeline(),
                root.resolve("corpus/floors.tsv"),
                root.resolve("corpus/golden"),
                update)
            .check(corpora);
    report.hints().forEach(h -> System.out.println("note: " + h));
    report.failures().forEach(f -> System.out.println("FAIL: " + f));
    System.out.print(report.table());
    System.out.printf(
        "corpora: %d files in %.1f s%s%n",
        corpora.stream().mapToInt(c -> c.cases().size()).sum(),
        (System.nanoTime() - start) / 1e9,
        update ? " (golden files rewritten, floors ratcheted)" : "");
    assertThat(report.failures()).as(report.table()).isEmpty();
  }
}
