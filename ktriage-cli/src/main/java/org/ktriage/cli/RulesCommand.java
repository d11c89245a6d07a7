package org.ktriage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.rule.RuleBook;
import org.ktriage.analysis.rule.RuleExample;
import org.ktriage.analysis.rule.RuleFileException;
import org.ktriage.analysis.rule.RuleSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ktriage rules}: lists the rule book, or explains one rule. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "List the diagnosis rules, or explain one with --explain ID.")
final class RulesCommand implements Callable<Integer> {

  @Option(names = "--explain", paramLabel = "ID", description = "explain the rule with this id")
  @Nullable String explain;

  @Option(
      names = "--rules",
      paramLabel = "DIR",
      description = "include a team's data rules (YAML files in DIR)")
  @Nullable Path rules;

  private final Terminal terminal;

  RulesCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    RuleBook book;
    if (rules == null) {
      book = RuleBook.bundled();
    } else {
      if (!Files.isDirectory(rules)) {
        terminal
            .err()
            .println(
                "ktriage: --rules " + Messages.oneLine(rules.toString()) + ": not a directory");
        return ExitCode.USAGE;
      }
      try {
        book = RuleFiles.withTeamRules(rules);
      } catch (IOException | RuleFileException e) {
        terminal.err().println("ktriage: " + Messages.oneLine(e.getMessage()));
        return ExitCode.USAGE;
      }
    }
    PrintWriter out = terminal.out();
    if (explain == null) {
      int width = book.rules().stream().mapToInt(r -> r.id().length()).max().orElse(0);
      for (RuleSpec r : book.rules()) {
        out.printf(
            "%-" + width + "s  %-8s  %s  %s%n",
            r.id(),
            r.severity().id(),
            r.computed() ? "java" : "data",
            Messages.oneLine(r.summary()));
      }
      out.flush();
      return ExitCode.ANALYSED;
    }
    Optional<RuleSpec> found = book.explain(explain);
    if (found.isEmpty()) {
      terminal
          .err()
          .println(
              "ktriage: no rule '" + Messages.oneLine(explain) + "'; 'ktriage rules' lists them");
      return ExitCode.USAGE;
    }
    RuleSpec r = found.get();
    out.println(
        r.id()
            + " ("
            + r.severity().id()
            + ", "
            + (r.computed() ? "computed in Java" : "data rule")
            + ", from "
            + r.origin()
            + ")");
    out.println("  " + r.summary());
    out.println("  base confidence " + r.confidence());
    list(out, "Likely causes, most likely first", r.causes(), true);
    list(out, "Next steps", r.nextSteps(), false);
    list(out, "References", r.references(), false);
    if (!r.examples().isEmpty()) {
      out.println("Examples:");
      for (RuleExample e : r.examples()) {
        out.println("  " + (e.hit() ? "hit   " : "miss  ") + e.path());
      }
    }
    if (!r.notes().isBlank()) {
      out.println("Notes:");
      r.notes().strip().lines().forEach(l -> out.println("  " + l));
    }
    out.flush();
    return ExitCode.ANALYSED;
  }

  private static void list(
      PrintWriter out, String title, java.util.List<String> items, boolean numbered) {
    if (items.isEmpty()) {
      return;
    }
    out.println(title + ":");
    int n = 1;
    for (String item : items) {
      out.println("  " + (numbered ? n++ + ". " : "") + item);
    }
  }
}
