package org.ktriage.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One run of ktriage in its own JVM with a heap ceiling (the test class path), optionally with a
 * file piped into its standard input; the run is killed at the (wall) time limit, and its CPU time
 * is sampled while it runs (to within 50 ms).
 */
record JavaRun(
    int exitCode, String out, String err, long millis, long cpuMillis, boolean timedOut) {

  static JavaRun of(int heapMiB, long limitMillis, @Nullable Path stdin, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heapMiB + "m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("ktriage-run-", ".out");
    Path err = Files.createTempFile("ktriage-run-", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      long start = System.nanoTime();
      Process p = pb.start();
      if (stdin != null) {
        // a real pipe: the bytes are written into the process's standard input
        try (OutputStream to = p.getOutputStream();
            InputStream from = Files.newInputStream(stdin)) {
          from.transferTo(to);
        } catch (IOException e) {
          // the process may stop reading early (a refused input): not the test's concern
        }
      } else {
        p.getOutputStream().close();
      }
      // CPU time, sampled while it runs: on a loaded machine wall time says little about the work
      long cpuMillis = 0;
      boolean done = false;
      long deadline = start + limitMillis * 1_000_000;
      while (!done && System.nanoTime() < deadline) {
        cpuMillis =
            Math.max(
                cpuMillis,
                p.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L));
        done = p.waitFor(50, TimeUnit.MILLISECONDS);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (!done) {
        p.destroyForcibly().waitFor();
      }
      return new JavaRun(
          done ? p.exitValue() : -1,
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8),
          millis,
          cpuMillis,
          !done);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  long errLines() {
    return err.lines().count();
  }
}
