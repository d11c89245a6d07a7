package org.ktriage.ingest.dump;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ktriage.ingest.UnreadableInputException;

/** Command-line dmesg extractor for benchmarks: {@code DmesgMain DUMP [PART…]} prints the log. */
public final class DmesgMain {
  private DmesgMain() {}

  public static void main(String[] args) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String a : args) {
      files.add(Path.of(a));
    }
    try (Vmcore v = Vmcore.open(files)) {
      OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
      v.writeDmesg(out);
      out.flush();
      for (String p : v.problems()) {
        System.err.println("ktriage: " + p);
      }
      for (String p : v.kernelLog().problems()) {
        System.err.println("ktriage: " + p);
      }
    } catch (UnreadableInputException e) {
      System.err.println("ktriage: " + e.getMessage());
      System.exit(3);
    }
  }
}
