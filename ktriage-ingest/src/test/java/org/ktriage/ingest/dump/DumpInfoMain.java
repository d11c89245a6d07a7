package org.ktriage.ingest.dump;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ktriage.model.CpuState;
import org.ktriage.model.Frame;
import org.ktriage.model.StackSegment;

/** Prints what {@link VmcoreReader} finds in a dump (development aid). */
public final class DumpInfoMain {
  private DumpInfoMain() {}

  public static void main(String[] args) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String a : args) {
      files.add(Path.of(a));
    }
    long t0 = System.nanoTime();
    DumpContents c = VmcoreReader.lenient().read(files);
    System.out.println(
        "format " + c.format() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    System.out.println("kernel " + c.kernel());
    System.out.println("log " + c.log().size() + " lines");
    System.out.println("completeness " + c.completeness());
    for (CpuState cpu : c.cpus()) {
      System.out.println(
          "CPU "
              + cpu.cpu()
              + " pid "
              + cpu.pid()
              + " panic "
              + cpu.panicCpu()
              + " task "
              + cpu.taskAddress()
              + " regs "
              + cpu.registers().values().size());
      for (StackSegment s : cpu.segments()) {
        System.out.println("  segment " + s.context() + " " + s.marker());
        for (Frame f : s.frames()) {
          System.out.println("    " + (f.reliable() ? "" : "? ") + f.where() + "/" + f.size());
        }
      }
    }
    Runtime rt = Runtime.getRuntime();
    System.out.println("heap used MB " + (rt.totalMemory() - rt.freeMemory()) / (1 << 20));
  }
}
