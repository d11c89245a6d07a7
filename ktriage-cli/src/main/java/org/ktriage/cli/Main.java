package org.ktriage.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code ktriage} command: parses the command line, runs a subcommand, returns its exit code.
 */
@Command(
    name = "ktriage",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Explains why a Linux kernel crashed, from a vmcore, vmcore-dmesg.txt, a console log,"
            + " journalctl -k output or a pasted crash session, without the debug vmlinux.",
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:analysed (a crash found or not)",
      "1:analysed; the input contains no crash at all",
      "2:usage error",
      "3:unreadable or unsupported input (one-line reason on stderr); also an internal error,"
          + " reported as such (KTRIAGE_DEBUG=1 shows its stack trace)"
    },
    footer = {"%nRun 'ktriage COMMAND --help' for a command's options.", ""})
public final class Main implements Callable<Integer> {

  /** The subcommands, one line each, sorted by command name. */
  static final List<Function<Terminal, Object>> SUBCOMMANDS =
      List.of(
          AnalyzeCommand::new, // analyze
          CollectCommand::new, // collect
          DmesgCommand::new, // dmesg
          DumpCommand::new, // dump
          RulesCommand::new, // rules
          ServeCommand::new, // serve
          TriageCommand::new); // triage

  @Spec CommandSpec spec = CommandSpec.create();

  private final Terminal terminal;

  Main(Terminal terminal) {
    this.terminal = terminal;
  }

  /** Runs ktriage in this process and exits with its exit code. */
  public static void main(String[] args) {
    Terminal terminal = Terminal.system();
    // a worker thread that runs out of heap outside a command's own handling would get the JVM's
    // "Exception in thread …" dump; it gets our one line, and the run ends with exit 3
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, t) -> {
          internalError(terminal, t);
          terminal.out().flush();
          Runtime.getRuntime().halt(ExitCode.UNREADABLE);
        });
    int code = run(terminal, args);
    terminal.out().flush();
    terminal.err().flush();
    System.exit(code);
  }

  /** Runs ktriage with the given streams and returns the exit code; never throws. */
  public static int run(Terminal terminal, String... args) {
    try {
      return commandLine(terminal).execute(args);
    } catch (Throwable t) { // the top: whatever escaped becomes one line, never a trace
      return internalError(terminal, t);
    } finally {
      terminal.out().flush();
      terminal.err().flush();
    }
  }

  static CommandLine commandLine(Terminal terminal) {
    CommandLine cl = new CommandLine(new Main(terminal));
    for (Function<Terminal, Object> sub : SUBCOMMANDS) {
      Object command = sub.apply(terminal);
      // crash's own spelling works after the view: "dump DUMP bt -a" (the view's arguments)
      if (command instanceof DumpCommand) {
        CommandLine dump = new CommandLine(command);
        dump.setUnmatchedOptionsArePositionalParams(true);
        cl.addSubcommand(dump);
      } else {
        cl.addSubcommand(command);
      }
    }
    cl.setExpandAtFiles(false); // an input may be named @something
    cl.setOut(terminal.out());
    cl.setErr(terminal.err());
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("ktriage: " + Messages.oneLine(ex.getMessage()));
          err.println(
              "Run '"
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help' for usage.");
          return ExitCode.USAGE;
        });
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> internalError(terminal, ex));
    return cl;
  }

  /** Reports an error that is ktriage's fault in one line (and the trace when debugging). */
  static int internalError(Terminal terminal, Throwable t) {
    PrintWriter err = terminal.err();
    if (t instanceof OutOfMemoryError) {
      err.println("ktriage: " + Messages.outOfMemory());
      err.flush();
      return ExitCode.UNREADABLE;
    }
    err.println(
        "ktriage: internal error: "
            + Messages.describe(t)
            + " (please report it with the input; KTRIAGE_DEBUG=1 shows the stack trace)");
    if (terminal.debug()) {
      t.printStackTrace(err);
    }
    err.flush();
    return ExitCode.UNREADABLE;
  }

  @Override
  public Integer call() {
    PrintWriter err = terminal.err();
    err.println("ktriage: a command is needed (" + commandNames() + ")");
    err.println("Run 'ktriage --help' for usage.");
    return ExitCode.USAGE;
  }

  private String commandNames() {
    return String.join(", ", spec.subcommands().keySet());
  }
}
