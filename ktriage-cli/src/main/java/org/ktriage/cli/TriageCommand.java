package org.ktriage.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.Analyzer;
import org.ktriage.analysis.bucket.Bucket;
import org.ktriage.analysis.bucket.BucketTable;
import org.ktriage.analysis.bucket.Buckets;
import org.ktriage.analysis.bucket.MergeSuggestion;
import org.ktriage.analysis.bucket.TriageResult;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.input.Inputs;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ktriage triage INPUT...}: titles and signs every input in parallel and groups them into
 * buckets of the same crash (terminal table, CSV, JSON, one JSON line per input, or an HTML page
 * with each bucket's example report).
 */
@Command(
    name = "triage",
    mixinStandardHelpOptions = true,
    description =
        "Groups many crash logs into buckets of the same crash: signature, title, class, count,"
            + " first/last seen, kernels, hosts. Inputs are files, directories (recursive) or"
            + " globs; gzip, xz and zstd files are read directly.")
public final class TriageCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format {
    table,
    csv,
    json,
    jsonl,
    html
  }

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "files, directories or globs")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = {"-f", "--format"},
      description =
          "table (default), csv, json, jsonl (one line per input), or html (needs -o; each"
              + " bucket's example report goes to a folder beside the page)")
  Format format = Format.table;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description =
          "--format html: write the page to FILE and the example reports to FILE-reports/")
  @Nullable Path page;

  @Option(
      names = {"-j", "--jobs"},
      description = "parallel workers (default: all cores)")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--merge-threshold",
      description = "stack similarity (0..1) above which two buckets are suggested for merging")
  double mergeThreshold = 0.8;

  @Option(names = "--no-progress", description = "never show the progress bar")
  boolean noProgress;

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean interactive;
  private final InputStream stdin;

  /** The command on a terminal's streams; the progress bar shows when stderr is a terminal. */
  public TriageCommand(Terminal terminal) {
    this(terminal.out(), terminal.err(), terminal.stderrTty(), terminal.stdin());
  }

  /** The command on the given streams (tests). */
  public TriageCommand(PrintWriter out, PrintWriter err, boolean interactive) {
    this(out, err, interactive, InputStream.nullInputStream());
  }

  /** The command on the given streams; {@code stdin} is read for an input named {@code -}. */
  public TriageCommand(PrintWriter out, PrintWriter err, boolean interactive, InputStream stdin) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws InterruptedException {
    long startNanos = System.nanoTime();
    String usage = checkOutput();
    if (usage != null) {
      err.println("ktriage triage: " + usage);
      return ExitCode.USAGE;
    }
    List<InputFiles.Input> files = InputFiles.expand(inputs);
    if (files.isEmpty()) {
      err.println("ktriage triage: no input files");
      return ExitCode.USAGE;
    }
    TriageOutput output = new TriageOutput(out);
    int workers = Math.max(1, Math.min(jobs, files.size()));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    // each worker takes the next input, reads, analyses and folds it into its own table; no
    // result outlives its input (memory grows with the buckets, not the inputs), nothing is
    // shared but the input counter and, for jsonl, the output
    BucketTable[] tables = new BucketTable[workers];
    Thread[] threads = new Thread[workers];
    ProgressBar bar = new ProgressBar(err, interactive && !noProgress, files.size(), done);
    try {
      for (int w = 0; w < workers; w++) {
        BucketTable table = new BucketTable();
        tables[w] = table;
        threads[w] =
            new Thread(
                () -> work(files, next, done, failure, table, output), "ktriage-triage-" + w);
        threads[w].setDaemon(true);
        threads[w].start();
      }
      for (Thread t : threads) {
        t.join();
      }
    } finally {
      bar.close();
    }
    Throwable failed = failure.get();
    if (failed != null) {
      err.println(
          "ktriage: "
              + (failed instanceof OutOfMemoryError
                  ? Messages.outOfMemory()
                  : "internal error: " + Messages.describe(failed) + " (please report it)"));
      err.flush();
      return ExitCode.UNREADABLE;
    }
    BucketTable table = tables[0];
    for (int w = 1; w < workers; w++) {
      table.merge(tables[w]);
    }
    List<Bucket> buckets = table.buckets();
    List<MergeSuggestion> merges = Buckets.suggestMerges(buckets, mergeThreshold);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Summary summary = Summary.of(table, seconds);
    switch (format) {
      case table -> output.table(buckets, merges, table, summary);
      case csv -> output.csv(buckets);
      case json -> output.json(buckets, merges, table, summary);
      case jsonl -> {}
      case html -> {
        if (page == null || !new TriageHtml(page, err).write(buckets, merges, table, summary)) {
          err.flush();
          return ExitCode.UNREADABLE;
        }
      }
    }
    out.flush();
    if (format != Format.table) {
      err.println(summary.line());
    }
    err.flush();
    if (summary.unreadable() == summary.inputs()) {
      return ExitCode.UNREADABLE;
    }
    return summary.crashes() == 0 ? ExitCode.NO_CRASH : ExitCode.ANALYSED;
  }

  /** One worker: triages inputs until none is left or a run-ending failure was seen. */
  private void work(
      List<InputFiles.Input> files,
      AtomicInteger next,
      AtomicInteger done,
      AtomicReference<@Nullable Throwable> failure,
      BucketTable table,
      TriageOutput output) {
    for (int i = next.getAndIncrement();
        i < files.size() && failure.get() == null;
        i = next.getAndIncrement()) {
      try {
        List<TriageResult> rs = triage(files.get(i), stdin);
        table.addInput(rs);
        if (format == Format.jsonl) {
          rs.forEach(output::jsonLine);
        }
      } catch (OutOfMemoryError | RuntimeException e) {
        // out of heap outside one input's own handling (collecting, printing): the run ends
        // with one line, from the command's thread, not the JVM's dump of a worker thread
        failure.compareAndSet(null, e);
      } finally {
        done.incrementAndGet();
      }
    }
  }

  /** Why {@code -o} does not fit the format, or null when it does. */
  private @Nullable String checkOutput() {
    if (format != Format.html) {
      return page == null ? null : "-o is for --format html; the other formats print to stdout";
    }
    if (page == null) {
      return "--format html needs -o FILE (the page links example reports written beside it)";
    }
    Path parent = page.toAbsolutePath().getParent();
    if (Files.isDirectory(page)) {
      return "-o " + page + ": is a directory";
    }
    if (parent != null && !Files.isDirectory(parent)) {
      return "-o " + page + ": directory " + parent + " does not exist";
    }
    return null;
  }

  /** Counts for the summary line. */
  record Summary(
      int inputs, int crashes, int noCrash, int unreadable, int buckets, double seconds) {
    static Summary of(BucketTable table, double seconds) {
      return new Summary(
          table.inputs(),
          table.crashes(),
          table.withoutCrash(),
          table.unreadable().size(),
          table.size(),
          seconds);
    }

    String line() {
      return String.format(
          java.util.Locale.ROOT,
          "triage: %d inputs in %.2f s (%.0f inputs/s): %d crashes in %d buckets, %d without a"
              + " crash, %d unreadable",
          inputs,
          seconds,
          seconds > 0 ? inputs / seconds : 0.0,
          crashes,
          buckets,
          noCrash,
          unreadable);
    }
  }

  /**
   * Reads, analyses, titles and signs one input: one result per independent crash of its log (the
   * one the log ends in first), or one result saying why it could not be read; never throws.
   */
  static List<TriageResult> triage(InputFiles.Input input, InputStream stdin) {
    String path = input.path().toString();
    if (!input.ok()) {
      return List.of(TriageResult.unreadable(path, input.problem()));
    }
    try {
      CrashReport report = Ingest.read(List.of(input.path()), Strictness.LENIENT, stdin);
      Diagnosis d = new Analyzer().analyze(report);
      Instant seen =
          Inputs.isStdin(input.path())
              ? Instant.now()
              : Files.getLastModifiedTime(input.path()).toInstant();
      return TriageResult.all(path, d, seen);
    } catch (UnreadableInputException e) {
      String reason = oneLine(e.getMessage());
      for (String prefix : new String[] {path + ": ", Inputs.shown(input.path()) + ": "}) {
        if (reason.startsWith(prefix)) {
          reason = reason.substring(prefix.length());
        }
      }
      return List.of(TriageResult.unreadable(path, reason));
    } catch (IOException e) {
      return List.of(TriageResult.unreadable(path, oneLine(describe(e))));
    } catch (RuntimeException | StackOverflowError e) {
      return List.of(TriageResult.unreadable(path, "internal error: " + oneLine(describe(e))));
    } catch (OutOfMemoryError e) {
      return List.of(TriageResult.unreadable(path, Messages.outOfMemory()));
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    String kind =
        t instanceof java.nio.file.NoSuchFileException
            ? "no such file"
            : t instanceof java.nio.file.AccessDeniedException
                ? "permission denied"
                : t.getClass().getSimpleName();
    return m == null || t instanceof java.nio.file.FileSystemException ? kind : kind + ": " + m;
  }

  /** Collapses a message to one line. */
  static String oneLine(@Nullable String s) {
    return Messages.oneLine(s);
  }
}
