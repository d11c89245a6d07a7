package org.ktriage.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ktriage.ingest.input.Inputs;
import org.ktriage.ingest.kernel.DumpViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ktriage dump DUMP VIEW [ARGS]}: the raw kernel-object views of a dump, styled after the
 * {@code crash} commands of the same names ({@code mod}, {@code ps}, {@code bt [-a|PID]}, {@code
 * timer}, {@code sym ADDR}, {@code kmem ADDR}, {@code rd ADDR [COUNT]}, {@code struct NAME ADDR}).
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description =
        "Show kernel objects of a vmcore without debuginfo, like crash: mod, ps, bt [-a|PID],"
            + " timer, sym ADDR, kmem ADDR, rd ADDR [COUNT], struct NAME ADDR.")
final class DumpCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "DUMP",
      description = "the vmcore ('-': standard input; compressed ones are unwrapped)")
  Path dump = Path.of("");

  @Parameters(
      index = "1",
      paramLabel = "VIEW",
      description = "mod, ps, bt, timer, sym, kmem, rd, struct")
  String view = "";

  @picocli.CommandLine.Option(
      names = "--system-map",
      paramLabel = "FILE",
      description = "symbols for kernels without kallsyms in VMCOREINFO (before 6.0)")
  @org.jspecify.annotations.Nullable
  Path systemMap;

  @Parameters(index = "2..*", paramLabel = "ARG", description = "the view's arguments")
  List<String> args = new ArrayList<>();

  private final PrintWriter out;
  private final PrintWriter err;
  private final InputStream stdin;

  DumpCommand(Terminal terminal) {
    this.out = terminal.out();
    this.err = terminal.err();
    this.stdin = terminal.stdin();
  }

  @Override
  public Integer call() {
    List<String> lines;
    try (Inputs.Opened in = Inputs.open(dump, stdin);
        DumpViews views = DumpViews.open(in.file(), systemMap)) {
      switch (view) {
        case "mod" -> lines = views.mod();
        case "ps" -> lines = views.ps();
        case "timer" -> lines = views.timer();
        case "bt" -> {
          if (args.isEmpty() || args.get(0).equals("-a")) {
            lines = views.bt(null);
          } else {
            lines = views.bt(Integer.parseInt(args.get(0)));
          }
        }
        case "sym" -> lines = views.sym(address(0));
        case "kmem" -> lines = views.kmem(address(0));
        case "rd" ->
            lines = views.rd(address(0), args.size() > 1 ? Integer.parseInt(args.get(1)) : 1);
        case "struct" -> {
          if (args.size() != 2) {
            return usage("struct needs NAME ADDR");
          }
          lines = views.struct(args.get(0), address(1));
        }
        default -> {
          return usage("unknown view '" + view + "': mod, ps, bt, timer, sym, kmem, rd or struct");
        }
      }
    } catch (IllegalArgumentException e) {
      return usage(String.valueOf(e.getMessage()));
    } catch (IOException e) {
      err.println("ktriage: " + Messages.oneLine(e.getMessage()));
      return ExitCode.UNREADABLE;
    }
    for (String line : lines) {
      out.println(line);
    }
    out.flush();
    return ExitCode.ANALYSED;
  }

  private long address(int index) {
    if (args.size() <= index) {
      throw new IllegalArgumentException(view + " needs an address");
    }
    String a = args.get(index).toLowerCase(java.util.Locale.ROOT);
    if (a.startsWith("0x")) {
      a = a.substring(2);
    }
    try {
      return Long.parseUnsignedLong(a, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a hex address: " + args.get(index), e);
    }
  }

  private int usage(String message) {
    err.println("ktriage dump: " + Messages.oneLine(message));
    return ExitCode.USAGE;
  }
}
