package org.ktriage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ktriage.ingest.dump.Vmcore;
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
      description = "the dump; several files are the parts of one split dump")
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
    for (Path p : dumps) {
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        terminal
            .err()
            .println(
                "ktriage: cannot read "
                    + Messages.oneLine(p.toString())
                    + ": "
                    + (Files.exists(p) ? "not a readable file" : "no such file"));
        return ExitCode.UNREADABLE;
      }
    }
    try (Vmcore v = Vmcore.open(dumps)) {
      KernelLog log = v.kernelLog();
      terminal.out().print(new DmesgFormatter(callerIds).format(log.records()));
      terminal.out().flush();
      return ExitCode.ANALYSED;
    } catch (IOException e) {
      terminal.err().println("ktriage: " + Messages.oneLine(e.getMessage()));
      return ExitCode.UNREADABLE;
    }
  }
}
