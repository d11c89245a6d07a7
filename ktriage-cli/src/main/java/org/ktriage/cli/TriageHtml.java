package org.ktriage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.Analyzer;
import org.ktriage.analysis.bucket.Bucket;
import org.ktriage.analysis.bucket.BucketTable;
import org.ktriage.analysis.bucket.MergeSuggestion;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.render.RenderOptions;
import org.ktriage.render.html.BucketsHtmlRenderer;
import org.ktriage.render.html.HtmlRenderer;
import org.ktriage.render.html.TriageRun;

/**
 * Writes {@code triage --format html}: the buckets page at the output path and, in a folder beside
 * it named after the page ({@code buckets.html} → {@code buckets-reports/}), each bucket's example
 * as a single-crash report named by its signature, linked from the page by a relative URL.
 */
final class TriageHtml {
  private final Path page;
  private final PrintWriter err;
  private final RenderOptions options = new RenderOptions(false, VersionProvider.version());

  TriageHtml(Path page, PrintWriter err) {
    this.page = page;
    this.err = err;
  }

  /** The folder of example reports beside {@code page}: its name without extension + "-reports". */
  static Path reportsDir(Path page) {
    String name = page.getFileName().toString().replaceFirst("\\.x?html?$", "");
    return page.resolveSibling(name + "-reports");
  }

  /** A file name for a signature: letters, digits, {@code .}, {@code _} and {@code -} only. */
  static String reportName(String signature) {
    return signature.replaceAll("[^A-Za-z0-9._-]", "_") + ".html";
  }

  /**
   * Writes the example reports, then the page; a report that cannot be written is said on stderr
   * and its bucket shows no link. Returns false (after saying why) when the page cannot be written.
   */
  boolean write(
      List<Bucket> buckets,
      List<MergeSuggestion> merges,
      BucketTable table,
      TriageCommand.Summary summary) {
    Map<String, String> links = new LinkedHashMap<>();
    Path dir = reportsDir(page);
    if (!buckets.isEmpty()) {
      try {
        Files.createDirectories(dir);
        // each example is read and analysed again (triage keeps no diagnosis), on all cores
        Map<String, String> problems = new ConcurrentHashMap<>();
        buckets.parallelStream()
            .forEach(
                b -> {
                  String problem =
                      writeReport(Path.of(b.examplePath()), dir.resolve(reportName(b.signature())));
                  if (problem != null) {
                    problems.put(b.signature(), problem);
                  }
                });
        for (Bucket b : buckets) {
          String problem = problems.get(b.signature());
          if (problem == null) {
            links.put(b.signature(), href(dir.getFileName() + "/" + reportName(b.signature())));
          } else {
            err.println("ktriage triage: no example report for " + b.signature() + ": " + problem);
          }
        }
      } catch (IOException e) {
        err.println("ktriage triage: cannot write " + dir + ": " + Messages.describe(e));
      }
    }
    TriageRun run =
        new TriageRun(
            buckets,
            table.seen(),
            links,
            merges,
            table.unreadable(),
            summary.inputs(),
            summary.crashes(),
            summary.noCrash());
    try (Writer w = Files.newBufferedWriter(page, StandardCharsets.UTF_8)) {
      new BucketsHtmlRenderer(options).render(run, w);
      return true;
    } catch (IOException | UncheckedIOException e) {
      err.println("ktriage triage: cannot write " + page + ": " + Messages.describe(e));
      return false;
    }
  }

  /** Reads, analyses and renders one example input; returns why not, or null when written. */
  private @Nullable String writeReport(Path input, Path report) {
    try {
      // standard input was consumed by the triage pass: "-" gets no page of its own
      CrashReport cr = Ingest.read(List.of(input), Strictness.LENIENT);
      Diagnosis d = new Analyzer().analyze(cr);
      try (Writer w = Files.newBufferedWriter(report, StandardCharsets.UTF_8)) {
        new HtmlRenderer(options).render(d, w);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return Messages.oneLine(Messages.describe(e));
    }
  }

  /**
   * A relative URL for a relative path (spaces, {@code #} and {@code ?} percent-encoded; a first
   * segment with a colon is prefixed by {@code ./} so it cannot read as a scheme).
   */
  static String href(String relativePath) {
    String first = relativePath.split("/", 2)[0];
    String path = first.contains(":") ? "./" + relativePath : relativePath;
    try {
      return new URI(null, null, path, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a relative path: " + relativePath, e);
    }
  }
}
