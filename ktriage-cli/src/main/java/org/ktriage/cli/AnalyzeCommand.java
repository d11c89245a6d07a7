package org.ktriage.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.Analyzer;
import org.ktriage.analysis.rule.RuleBook;
import org.ktriage.analysis.rule.RuleFileException;
import org.ktriage.ingest.Ingest;
import org.ktriage.ingest.Strictness;
import org.ktriage.ingest.input.Inputs;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.render.RenderOptions;
import org.ktriage.render.ReportFormat;
import org.ktriage.render.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code ktriage analyze}: reads the inputs of one crash, analyses them, renders the diagnosis. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Diagnose one crash: the first failure, its CPU and context, and why.",
      "",
      "Reports the cause chain, findings with evidence and the crash commands that confirm"
          + " them. Several inputs of one crash (a crash session and vmcore-dmesg.txt, or a kdump"
          + " directory) are merged."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:analysed (a crash found or not)",
      "1:analysed; the input contains no crash at all",
      "2:usage error",
      "3:unreadable or unsupported input (one-line reason on stderr); also an internal error"
    },
    footer = "")
final class AnalyzeCommand implements Callable<Integer> {

  /** Converts {@code --format} values by their ids. */
  static final class FormatConverter implements ITypeConverter<ReportFormat> {
    @Override
    public ReportFormat convert(String value) {
      try {
        return ReportFormat.fromId(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(Messages.oneLine(e.getMessage()));
      }
    }
  }

  /** When to colour the terminal report. */
  enum ColorMode {
    auto,
    always,
    never
  }

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "text (default), json or html")
  ReportFormat format = ReportFormat.TEXT;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "write the report to FILE instead of standard output")
  @Nullable Path output;

  @Option(
      names = "--rules",
      paramLabel = "DIR",
      description = "an extra directory of data rules (YAML) to run beside the built-in ones")
  @Nullable Path rules;

  @Option(
      names = "--system-map",
      paramLabel = "FILE",
      description = "the crashed kernel's System.map, to name addresses without symbols")
  @Nullable Path systemMap;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      description =
          "colour the text report: auto (default: when stdout is a terminal and NO_COLOR is"
              + " unset), always or never")
  ColorMode color = ColorMode.auto;

  @Parameters(
      arity = "1..*",
      paramLabel = "INPUT",
      description =
          "vmcore, vmcore-dmesg.txt, console log, journalctl -k output, crash session"
              + " transcript, a text with a crash pasted in, or a kdump directory; gzip, xz,"
              + " zstd, bzip2 or lz4 compressed; '-' reads standard input")
  List<Path> inputs = new ArrayList<>();

  private final Terminal terminal;
  private @Nullable RuleBook ruleBook;

  AnalyzeCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  private Analyzer analyzer() {
    return ruleBook == null ? new Analyzer() : new Analyzer(ruleBook);
  }

  @Override
  // the progress line is closed (erased) early before an error message; closing twice is harmless
  @SuppressWarnings("try")
  public Integer call() {
    Integer usage = checkOptions();
    if (usage != null) {
      return usage;
    }
    if (rules != null) {
      try {
        ruleBook = RuleFiles.withTeamRules(rules);
      } catch (IOException | RuleFileException e) {
        terminal.err().println("ktriage: --rules: " + Messages.oneLine(e.getMessage()));
        return ExitCode.USAGE;
      }
    }
    for (Path input : inputs) {
      String problem = unreadable(input);
      if (problem != null) {
        terminal.err().println("ktriage: cannot read " + shown(input) + ": " + problem);
        return ExitCode.UNREADABLE;
      }
    }
    if (inputs.stream().filter(Inputs::isStdin).count() > 1) {
      terminal.err().println("ktriage: standard input ('-') can be given once");
      return ExitCode.USAGE;
    }
    Diagnosis diagnosis;
    String rendered;
    try (Progress progress = new Progress(terminal)) {
      progress.stage(
          "reading " + (inputs.size() == 1 ? shown(inputs.get(0)) : inputs.size() + " inputs"));
      CrashReport report;
      try {
        report = Ingest.read(List.copyOf(inputs), Strictness.LENIENT, terminal.stdin(), systemMap);
      } catch (IOException | UncheckedIOException e) {
        progress.close(); // erase the progress line before the message
        terminal.err().println("ktriage: " + Messages.oneLine(e.getMessage()));
        return ExitCode.UNREADABLE;
      }
      progress.stage("analysing");
      diagnosis = analyzer().analyze(report);
      progress.stage("rendering");
      StringWriter buffer = new StringWriter();
      boolean colored =
          output == null
              && format == ReportFormat.TEXT
              && (color == ColorMode.always || (color == ColorMode.auto && terminal.colorWanted()));
      try {
        format
            .renderer(new RenderOptions(colored, VersionProvider.version()))
            .render(diagnosis, buffer);
      } catch (IOException e) {
        progress.close();
        terminal
            .err()
            .println("ktriage: cannot render the report: " + Messages.oneLine(e.getMessage()));
        return ExitCode.UNREADABLE;
      }
      rendered = buffer.toString();
    }
    if (output == null) {
      terminal.out().print(rendered);
      terminal.out().flush();
    } else {
      try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
        w.write(rendered);
      } catch (IOException e) {
        terminal
            .err()
            .println("ktriage: cannot write " + shown(output) + ": " + Messages.describe(e));
        return ExitCode.UNREADABLE;
      }
      if (terminal.stderrTty()) {
        terminal
            .err()
            .println("ktriage: wrote " + shown(output) + " — " + Verdict.headline(diagnosis));
      }
    }
    return ExitCode.of(diagnosis);
  }

  /** Checks option values that picocli cannot; prints the problem and returns 2, or null. */
  private @Nullable Integer checkOptions() {
    String problem = null;
    if (rules != null && !Files.isDirectory(rules)) {
      problem = "--rules " + shown(rules) + ": not a directory";
    } else if (systemMap != null && !Files.isRegularFile(systemMap)) {
      problem = "--system-map " + shown(systemMap) + ": not a file";
    } else if (output != null) {
      Path parent = output.toAbsolutePath().getParent();
      if (Files.isDirectory(output)) {
        problem = "-o " + shown(output) + ": is a directory";
      } else if (parent != null && !Files.isDirectory(parent)) {
        problem = "-o " + shown(output) + ": directory " + shown(parent) + " does not exist";
      }
    }
    if (problem != null) {
      terminal.err().println("ktriage: " + problem);
      terminal.err().println("Run 'ktriage analyze --help' for usage.");
      return ExitCode.USAGE;
    }
    return null;
  }

  /** Why an input cannot be read at all, or null when it can be handed to ingest. */
  private static @Nullable String unreadable(Path input) {
    if (Inputs.isStdin(input)) {
      return null;
    }
    if (!Files.exists(input)) {
      return "no such file or directory";
    }
    if (!Files.isReadable(input)) {
      return "permission denied";
    }
    if (!Files.isRegularFile(input) && !Files.isDirectory(input)) {
      return "not a regular file (a FIFO, device or socket is not read; pipe it in as '-'"
          + " instead)";
    }
    try {
      if (Files.isRegularFile(input) && Files.size(input) == 0) {
        return "the file is empty";
      }
    } catch (IOException e) {
      return Messages.describe(e);
    }
    return null;
  }

  private static String shown(Path p) {
    return Messages.oneLine(p.toString());
  }
}
