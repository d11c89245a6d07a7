package org.ktriage.cli;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
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

  private final Terminal terminal;

  RulesCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    // placeholder until the analysis rule book has an API to list and explain its rules
    if (explain != null) {
      terminal.err().println("ktriage: no rule '" + Messages.oneLine(explain) + "' in this build");
      return ExitCode.USAGE;
    }
    terminal.out().println("No rules are listed by this build yet.");
    return ExitCode.ANALYSED;
  }
}
