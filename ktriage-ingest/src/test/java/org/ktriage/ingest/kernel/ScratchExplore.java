package org.ktriage.ingest.kernel;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.dump.DumpContents;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.dump.VmcoreReader;
import org.ktriage.model.CpuState;

class ScratchExplore {
  @Test
  void explore() throws Exception {
    for (String name :
        List.of("timer-after-unload-qemu.vmcore", "timer-after-unload-kdump.vmcore")) {
      Path p = Path.of(System.getProperty("ktriage.shared"), "lab/fixtures", name);
      System.out.println("==== " + name);
      try (Vmcore v = Vmcore.open(p)) {
        long t0 = System.nanoTime();
        KernelView k = DumpKernel.open(v);
        System.out.println(
            "btf types "
                + k.btf().lastId()
                + " cpus "
                + k.cpuCount()
                + " in "
                + (System.nanoTime() - t0) / 1000000
                + " ms");
        List<LoadedModule> mods = ModuleList.read(k);
        for (LoadedModule m : mods) {
          System.out.printf(
              "%x %s %x %d %s %s%n",
              m.address(), m.name(), m.base(), m.size(), m.state(), m.regions());
        }
        for (KernelTask t : TaskList.read(k)) {
          System.out.println(t);
        }
        for (PendingTimer t : TimerWheel.pending(k, mods)) {
          System.out.println(t);
        }
        if (name.contains("kdump")) {
          OrcUnwinder u0 = new OrcUnwinder(k, OrcTable.read(k));
          for (long slot : new long[] {0xffffd13d400d0c38L, 0xffffd13d400d0c90L}) {
            long w = k.memory().readU64Le(slot);
            System.out.printf("slot %x word %x orc %s%n", slot, w, u0.table().find(w - 1));
            OrcUnwinder.Result r = u0.unwindFromSlot(slot, w, List.of());
            System.out.println(r.stop() + " " + r.frames());
          }
        }
        if (name.contains("kdump")) {
          for (long ra :
              new long[] {0xffffffff89245ae0L, 0xffffffff8886b39cL, 0xffffffff8887754fL}) {
            byte[] code = new byte[8];
            k.memory().read(ra - 8, code, 0, 8);
            System.out.printf(
                "ret %x code %s target %s%n",
                ra, java.util.HexFormat.of().formatHex(code), Backtraces.directCallTarget(k, ra));
          }
        }
        DumpContents dc = VmcoreReader.lenient().read(v);
        OrcUnwinder u = new OrcUnwinder(k, OrcTable.read(k));
        long[] cur = TaskList.currentTasks(k);
        for (CpuState c : dc.cpus()) {
          KernelTask task = null;
          for (KernelTask t : TaskList.read(k)) {
            if (t.address() == cur[c.cpu()]) task = t;
          }
          System.out.println("CPU " + c.cpu() + " regs " + c.registers());
          System.out.println("stacks " + Backtraces.stacks(k, c.cpu(), task));
          Backtraces.CpuBacktrace bt = Backtraces.forCpu(k, u, c.cpu(), c.registers(), task);
          System.out.println("scan=" + bt.fromStackScan() + " stop=" + bt.stop());
          for (UnwoundFrame f : bt.frames()) {
            System.out.printf(
                "  [%x] %s+0x%x at %x %s %s%n",
                f.slot(),
                f.function(),
                f.offset(),
                f.ip(),
                f.stack(),
                f.isException() ? "EXC" : "");
          }
        }
      }
    }
  }
}
