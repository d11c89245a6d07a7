package org.ktriage.analysis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Prints the diagnosis of every lab console log (inspection aid). */
class LabPrintTest {
  @Test
  void print() throws Exception {
    try (Stream<Path> dirs = Files.list(Shared.file("lab/out"))) {
      for (Path d : dirs.sorted().toList()) {
        for (String f : new String[] {"console.log", "crash-session.txt"}) {
          Path p = d.resolve(f);
          if (Files.exists(p)) {
            System.out.println(
                "== "
                    + d.getFileName()
                    + "/"
                    + f
                    + "\n"
                    + DebugPrint.of(new Analyzer().analyze(TextReports.read(p))));
          }
        }
      }
    }
  }
}
