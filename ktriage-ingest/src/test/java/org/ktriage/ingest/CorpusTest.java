package org.ktriage.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.model.CrashReport;
import org.ktriage.testkit.Shared;

/**
 * Every file of the shared corpus goes through {@link Ingest#read}: it must give a report or the
 * documented one-line {@link UnreadableInputException} naming the path, never anything else.
 */
class CorpusTest {

  @Test
  void everyCorpusFileReadsOrIsRejectedCleanly() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Shared.path("corpus"))) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(800);
    int reports = 0;
    int withOops = 0;
    int rejected = 0;
    for (Path f : files) {
      try {
        CrashReport r = Ingest.read(List.of(f), Strictness.LENIENT);
        reports++;
        if (!r.oopses().isEmpty()) {
          withOops++;
        }
        r.oopses().forEach(o -> assertThat(o.lines()).as(f.toString()).isNotEmpty());
      } catch (UnreadableInputException e) {
        rejected++;
        assertThat(e.getMessage()).contains(f.toString()).doesNotContain("\n");
      } catch (RuntimeException | StackOverflowError e) {
        fail(f + ": " + e, e);
      }
    }
    System.out.printf(
        "corpus: %d files, %d read (%d with reports), %d rejected as not kernel text%n",
        files.size(), reports, withOops, rejected);
    assertThat(withOops).isGreaterThan(files.size() / 2);
  }
}
