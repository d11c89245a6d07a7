package org.ktriage.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.input.InputFormats;
import org.ktriage.ingest.input.Inputs;
import org.ktriage.ingest.printk.DmesgFormatter;
import org.ktriage.ingest.printk.KernelLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ktriage dmesg DUMP}: prints the kernel log of a dump in the text {@code makedumpfile
 * --dump-dmesg} prints (also for QEMU dumps with physical addresses only, which makedumpfile cannot
 * read).
 */
@Command(
    name = "dmesg",
    mixinStandardHelpOptions = true,
    description =
        "Print the kernel log of a vmcore (ELF, kdump-compressed, flattened, or the parts of a split"
            + " dump) as makedumpfile --dump-dmesg prints it.")
final class DmesgCommand implements Callable<Integer> {

  @Parameters(
      arity = "1..*",
      paramLabel = "DUMP",
      description =
          "the dump ('-': standard input; compressed ones are unwrapped); several files are the"
              + " parts of one split dump")
  List<Path> dumps = new ArrayList<>();

  @Option(
      names = "--caller-id",
      description = "add the printk caller column ([     T1] / [     C0]) after the time stamp")
  boolean callerIds;

  private final Terminal terminal;

  DmesgCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    List<Inputs.Opened> opened = new ArrayList<>();
    try {
      List<Path> files = new ArrayList<>();
      for (Path p : dumps) {
        Inputs.Opened in = Inputs.open(p, terminal.stdin());
        opened.add(in);
        if (!(in.format().reader() instanceof InputFormats.Dump)) {
          throw new UnreadableInputException(
              in.name() + ": not a dump (" + in.format().id() + "); dmesg reads vmcores");
        }
        files.add(in.file());
      }
      try (Vmcore v = Vmcore.open(files)) {
        KernelLog log = v.kernelLog();
        terminal.out().print(new DmesgFormatter(callerIds).format(log.records()));
        terminal.out().flush();
        return ExitCode.ANALYSED;
      } catch (IOException e) {
        String m = Messages.oneLine(e.getMessage());
        for (Inputs.Opened in : opened) {
          m = in.named(m);
        }
        throw new UnreadableInputException(m, e);
      }
    } catch (IOException e) {
      terminal.err().println("ktriage: " + Messages.oneLine(e.getMessage()));
      return ExitCode.UNREADABLE;
    } finally {
      for (Inputs.Opened in : opened) {
        try {
          in.close();
        } catch (IOException e) {
          // a leftover temporary file is harmless
        }
      }
    }
  }
}
