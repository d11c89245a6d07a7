package org.ktriage.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ktriage.ingest.kernel.DumpViews;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to open a lab dump and produce the views {@code crash} users ask for first: BTF from memory,
 * {@code mod}, {@code ps}, {@code timer} and {@code bt -a} (single shot: each iteration opens the
 * dump afresh, as a user's run does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class KernelObjectsBenchmark {
  /** The dump, relative to the shared folder. */
  @Param({"lab/fixtures/timer-after-unload-kdump.vmcore"})
  public String dump = "lab/fixtures/timer-after-unload-kdump.vmcore";

  /** Opens the dump and computes all views; returns their line count. */
  @Benchmark
  public int allViews() throws Exception {
    Path p = Path.of(System.getProperty("ktriage.shared", "../shared"), dump);
    try (DumpViews v = DumpViews.open(p)) {
      return v.mod().size() + v.ps().size() + v.timer().size() + v.bt(null).size();
    }
  }
}
