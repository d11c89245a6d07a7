package org.ktriage.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.ReadLimits;
import org.ktriage.ingest.input.InputFormats;
import org.ktriage.ingest.input.Inputs;
import org.ktriage.ingest.text.OopsParser;
import org.ktriage.ingest.text.TextReader;
import org.ktriage.model.Completeness;
import org.ktriage.model.CrashReport;
import org.ktriage.model.InputFormat;
import org.ktriage.model.InputSource;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;

/**
 * Entry point of the ingest layer: sniffs each input's format, reads it (a text input here, a dump
 * through {@link VmcoreInput}, a kdump directory file by file), and merges all inputs of one crash
 * into one {@link CrashReport} ({@link ReportMerge}, which fills what the log implies with {@link
 * ImpliedFacts}).
 */
public final class Ingest {

  private Ingest() {}

  /**
   * Reads the inputs (files or kdump directories) of one crash; {@code -} is refused (no standard
   * input is given here).
   *
   * @throws UnreadableInputException when no input can be read at all
   */
  public static CrashReport read(List<Path> inputs, Strictness strictness)
      throws UnreadableInputException {
    return read(inputs, strictness, InputStream.nullInputStream());
  }

  /**
   * Reads the inputs (files, kdump directories, or {@code -} for {@code stdin}) of one crash, each
   * recognised through {@link InputFormats}.
   *
   * @throws UnreadableInputException when no input can be read at all
   */
  public static CrashReport read(List<Path> inputs, Strictness strictness, InputStream stdin)
      throws UnreadableInputException {
    return read(inputs, strictness, stdin, null);
  }

  /**
   * Reads the inputs of one crash, taking a dump's kernel symbols from {@code systemMap} when given
   * (kernels whose dumps carry no kallsyms).
   *
   * @throws UnreadableInputException when no input can be read at all
   */
  public static CrashReport read(
      List<Path> inputs, Strictness strictness, InputStream stdin, @Nullable Path systemMap)
      throws UnreadableInputException {
    return read(inputs, strictness, stdin, systemMap, ReadLimits.INFLATED_BYTES);
  }

  /**
   * Reads the inputs of one crash, each compressed container inflating at most {@code inflatedCap}
   * bytes: every command reads with {@link ReadLimits#INFLATED_BYTES}; a caller that bounds its own
   * work (the fuzz target of this entry) passes a smaller cap, which is then hit and said (a
   * problem of a PARTIAL report) as the production cap is on a larger input.
   *
   * @throws UnreadableInputException when no input can be read at all
   * @throws IllegalArgumentException when {@code inflatedCap} is not in 1..{@link
   *     ReadLimits#INFLATED_BYTES}
   */
  public static CrashReport read(
      List<Path> inputs,
      Strictness strictness,
      InputStream stdin,
      @Nullable Path systemMap,
      long inflatedCap)
      throws UnreadableInputException {
    if (inputs.isEmpty()) {
      throw new UnreadableInputException("no input given");
    }
    List<CrashReport> parts = new ArrayList<>();
    for (Path p : inputs) {
      if (!Inputs.isStdin(p) && Files.isDirectory(p)) {
        parts.add(readDirectory(p, strictness, systemMap, inflatedCap));
      } else {
        parts.add(readFile(p, strictness, stdin, systemMap, inflatedCap));
      }
    }
    CrashReport merged = ReportMerge.of(parts);
    if (strictness == Strictness.STRICT && merged.completeness().partial()) {
      throw new UnreadableInputException(
          "strict: " + String.join("; ", merged.completeness().problems()));
    }
    return merged;
  }

  /** Turns kernel log records (e.g. a log extracted from a dump) into reports, in log order. */
  public static List<Oops> parseOopses(List<LogRecord> records) {
    return OopsParser.parse(records);
  }

  private static CrashReport readFile(
      Path p, Strictness strictness, InputStream stdin, @Nullable Path systemMap, long inflatedCap)
      throws UnreadableInputException {
    try (Inputs.Opened in = Inputs.open(p, stdin, inflatedCap)) {
      InputFormats f = in.format();
      if (f.reader() instanceof InputFormats.Dump) {
        return VmcoreInput.read(in, strictness, systemMap);
      }
      TextReader.TextResult t = TextReader.read(in.stream(), in.name());
      if (!t.kernelText()) {
        List<String> cut = in.problems();
        throw new UnreadableInputException(
            in.name()
                + ": no kernel log, oops report or crash output found"
                + (cut.isEmpty() ? "" : " (" + cut.get(0) + ")"));
      }
      return toReport(Path.of(in.name()), t, containerProblems(in));
    } catch (UnreadableInputException e) {
      throw e;
    } catch (IOException e) {
      throw new UnreadableInputException(Inputs.shown(p) + ": " + oneLine(e), e);
    }
  }

  /** What the input's containers could not give (cut, corrupt, capped): a PARTIAL report. */
  static Completeness containerProblems(Inputs.Opened in) {
    List<String> problems = in.problems();
    return problems.isEmpty() ? Completeness.whole() : new Completeness(true, problems);
  }

  private static CrashReport toReport(Path p, TextReader.TextResult t, Completeness containers) {
    PanicInfo panic = t.crashPanic();
    String lastUnloaded = null;
    List<KernelModule> modules = t.modules();
    for (Oops o : t.oopses()) {
      if (o.lastUnloaded() != null) {
        lastUnloaded = o.lastUnloaded();
      }
      if (t.modules().isEmpty() && !o.modules().isEmpty()) {
        modules = o.modules();
      }
    }
    return CrashReport.builder()
        .sources(List.of(new InputSource(p.toString(), t.format())))
        .kernel(t.kernel())
        .log(t.log())
        .oopses(t.oopses())
        .cpus(t.cpus())
        .panic(panic)
        .modules(modules)
        .lastUnloaded(lastUnloaded)
        .completeness(containers.plus(t.completeness()))
        .build();
  }

  private static CrashReport readDirectory(
      Path dir, Strictness strictness, @Nullable Path systemMap, long inflatedCap)
      throws UnreadableInputException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path f : ds) {
        if (Files.isRegularFile(f)) {
          files.add(f);
        }
      }
    } catch (IOException e) {
      throw new UnreadableInputException(dir + ": cannot list directory: " + oneLine(e), e);
    }
    files.sort(Comparator.comparing(Path::toString));
    List<CrashReport> parts = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
      boolean dump = name.startsWith("vmcore") && !name.endsWith(".txt");
      boolean text =
          name.endsWith(".txt")
              || name.endsWith(".log")
              || name.startsWith("dmesg")
              || name.startsWith("vmcore-dmesg");
      if (!dump && !text) {
        continue;
      }
      try {
        parts.add(readFile(f, strictness, InputStream.nullInputStream(), systemMap, inflatedCap));
      } catch (UnreadableInputException e) {
        if (dump) {
          problems.add(e.getMessage());
        }
      }
    }
    if (parts.isEmpty()) {
      throw new UnreadableInputException(
          dir
              + ": no vmcore-dmesg.txt, dmesg or crash output readable in this directory"
              + (problems.isEmpty() ? "" : " (" + problems.get(0) + ")"));
    }
    CrashReport merged = ReportMerge.of(parts);
    List<InputSource> sources = new ArrayList<>();
    sources.add(new InputSource(dir.toString(), InputFormat.KDUMP_DIRECTORY));
    sources.addAll(merged.sources());
    return merged.toBuilder()
        .sources(sources)
        .completeness(merged.completeness().plus(new Completeness(!problems.isEmpty(), problems)))
        .build();
  }

  static String oneLine(Exception e) {
    String m = e.getMessage();
    String s = m == null ? e.getClass().getSimpleName() : m;
    return s.replace('\n', ' ');
  }
}
