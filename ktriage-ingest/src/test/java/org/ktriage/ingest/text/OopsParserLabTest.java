package org.ktriage.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.model.Oops;
import org.ktriage.testkit.Shared;

class OopsParserLabTest {
  @Test
  void dumpAll() throws IOException {
    List<Path> logs;
    try (Stream<Path> s = Files.list(Shared.path("lab/out"))) {
      logs = s.map(d -> d.resolve("console.log")).filter(Files::exists).sorted().toList();
    }
    for (Path log : logs) {
      List<Oops> oopses = OopsParser.parse(LogReaderRealFilesTest.read(log));
      System.out.println("=== " + log);
      System.out.println(OopsDump.of(oopses));
      assertThat(oopses).isNotEmpty();
    }
  }
}
