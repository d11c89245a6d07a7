package org.ktriage.ingest.dump;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.elf.ElfNote;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.kallsyms.KernelSymbol;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.Frame;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;

/**
 * Builds per-CPU states from NT_PRSTATUS notes: registers, CPU number (QEMU: pr_pid − 1; kdump:
 * note order), the panic CPU ({@code panic_cpu}, then {@code crashing_cpu} through kallsyms), and a
 * stack scan for kernel-text return addresses (frames unreliable, like {@code bt -t}) that follows
 * the x86_64 IRQ-stack link (the interrupted stack pointer stored in the top word of the IRQ stack,
 * found through the per-CPU {@code hardirq_stack_ptr}); on arm64 the frame-record chain from x29
 * instead ({@link Arm64FrameRecords}).
 */
final class CpuStateReader {
  private static final int STACK_SIZE = 16 * 1024;

  private final String path;
  private final String arch;
  private final List<ElfNote> notes;
  private final @Nullable KernelMemory memory;
  private final @Nullable KallsymsTable symbols;
  private final List<String> problems;
  private final long pacMask;

  CpuStateReader(
      String path,
      String arch,
      List<ElfNote> notes,
      @Nullable KernelMemory memory,
      @Nullable KallsymsTable symbols,
      long pacMask,
      List<String> problems) {
    this.pacMask = pacMask;
    this.path = path;
    this.arch = arch;
    this.notes = notes;
    this.memory = memory;
    this.symbols = symbols;
    this.problems = problems;
  }

  List<CpuState> read() {
    PrstatusLayout layout = arch.equals("arm64") ? PrstatusLayout.ARM64 : PrstatusLayout.X86_64;
    List<ElfNote> prstatus = new ArrayList<>();
    List<ElfNote> qemu = new ArrayList<>();
    for (ElfNote n : notes) {
      if (n.isPrstatus()) {
        prstatus.add(n);
      } else if (n.name().equals("QEMU")) {
        qemu.add(n);
      }
    }
    boolean qemuProducer = !qemu.isEmpty();
    Integer panicCpu = readIntSymbol("panic_cpu");
    if (panicCpu == null || panicCpu < 0) {
      panicCpu = readIntSymbol("crashing_cpu");
    }
    if ((panicCpu == null || panicCpu < 0) && prstatus.size() == 1) {
      panicCpu = qemuProducer ? PrstatusLayout.prPid(prstatus.get(0).desc()) - 1 : 0;
    }
    List<CpuState> out = new ArrayList<>();
    for (int i = 0; i < prstatus.size(); i++) {
      byte[] desc = prstatus.get(i).desc();
      int prPid = PrstatusLayout.prPid(desc);
      int cpu = qemuProducer && prPid > 0 ? prPid - 1 : i;
      Integer pid = qemuProducer ? null : prPid;
      Map<String, Long> regs = new LinkedHashMap<>(layout.registers(desc).values());
      if (qemuProducer && i < qemu.size()) {
        regs.putAll(PrstatusLayout.qemuControlRegisters(qemu.get(i).desc()));
      }
      RegisterSet rs = new RegisterSet(regs);
      SourceSpan span = SourceSpan.binary(path, "NT_PRSTATUS note " + i + " (CPU " + cpu + ")");
      List<StackSegment> segments = stack(cpu, rs, span);
      out.add(
          new CpuState(
              cpu,
              pid,
              null,
              currentTask(cpu),
              rs,
              segments,
              panicCpu != null && panicCpu == cpu,
              span));
    }
    out.sort(java.util.Comparator.comparingInt(CpuState::cpu));
    return out;
  }

  private @Nullable Integer readIntSymbol(String name) {
    KallsymsTable k = symbols;
    KernelMemory m = memory;
    if (k == null || m == null) {
      return null;
    }
    Long a = k.addressOf(name);
    if (a == null) {
      return null;
    }
    try {
      return (int) m.readU32(a, name);
    } catch (MissingMemoryException e) {
      return null;
    }
  }

  private @Nullable Long perCpu(int cpu, String name) {
    KallsymsTable k = symbols;
    KernelMemory m = memory;
    if (k == null || m == null) {
      return null;
    }
    Long offs = k.addressOf("__per_cpu_offset");
    Long var = k.addressOf(name);
    if (offs == null || var == null || cpu < 0 || cpu > 8192) {
      return null;
    }
    try {
      long base = m.readU64(offs + 8L * cpu, "__per_cpu_offset");
      return m.readU64(base + var, name);
    } catch (MissingMemoryException e) {
      return null;
    }
  }

  private @Nullable Long currentTask(int cpu) {
    return arch.equals("x86_64") ? perCpu(cpu, "current_task") : null;
  }

  private List<StackSegment> stack(int cpu, RegisterSet regs, SourceSpan span) {
    KallsymsTable k = symbols;
    KernelMemory m = memory;
    Long pc = regs.get(arch.equals("arm64") ? "PC" : "RIP");
    Long sp = regs.get(arch.equals("arm64") ? "SP" : "RSP");
    if (k == null || pc == null) {
      return List.of();
    }
    List<StackSegment> segs = new ArrayList<>();
    List<Frame> first = new ArrayList<>();
    first.add(frame(k, pc, true, span));
    if (m == null || sp == null || Long.compareUnsigned(sp, 0xffff800000000000L) < 0) {
      segs.add(new StackSegment(ContextKind.UNKNOWN, null, first, null));
      return segs;
    }
    if (arch.equals("arm64")) {
      arm64Frames(k, m, regs, first, span);
      segs.add(new StackSegment(ContextKind.UNKNOWN, null, first, null));
      return segs;
    }
    Long irqTopWord = arch.equals("x86_64") ? perCpu(cpu, "hardirq_stack_ptr") : null;
    long cur = sp;
    boolean onIrq =
        irqTopWord != null
            && Long.compareUnsigned(cur, irqTopWord + 8 - STACK_SIZE) >= 0
            && Long.compareUnsigned(cur, irqTopWord + 8) < 0;
    if (onIrq && irqTopWord != null) {
      long top = irqTopWord + 8;
      scan(k, m, cur, top - 8, first, span);
      segs.add(new StackSegment(ContextKind.HARDIRQ, "IRQ", first, null));
      try {
        long link = m.readU64(irqTopWord, "IRQ stack link");
        if (Long.compareUnsigned(link, 0xffff800000000000L) >= 0 && (link & 7) == 0) {
          List<Frame> task = new ArrayList<>();
          scan(k, m, link, (link | (STACK_SIZE - 1)) + 1, task, span);
          segs.add(new StackSegment(ContextKind.TASK, "TASK", task, null));
        }
      } catch (MissingMemoryException e) {
        problems.add("CPU " + cpu + ": " + e.getMessage());
      }
    } else {
      scan(k, m, cur, (cur | (STACK_SIZE - 1)) + 1, first, span);
      segs.add(new StackSegment(ContextKind.UNKNOWN, null, first, null));
    }
    return segs;
  }

  /**
   * arm64: the frame-record chain from x29 ({@link Arm64FrameRecords}). The link register comes
   * first, marked unreliable, when it is kernel text and not the chain's first return address (the
   * function at pc may not have stored its record yet, or be a leaf).
   */
  private void arm64Frames(
      KallsymsTable k, KernelMemory m, RegisterSet regs, List<Frame> frames, SourceSpan span) {
    Long fp = regs.get("X29");
    Long sp = regs.get("SP");
    Long lr = regs.get("LR");
    Arm64FrameRecords.Chain chain =
        Arm64FrameRecords.walk(
            a -> {
              try {
                return m.readU64(a, "frame record");
              } catch (MissingMemoryException e) {
                return null;
              }
            },
            fp == null ? 0 : fp,
            sp == null ? 0 : sp,
            pacMask);
    if (lr != null) {
      long ret = Arm64FrameRecords.stripPac(lr, pacMask);
      boolean inChain = !chain.records().isEmpty() && chain.records().get(0).returnAddress() == ret;
      if (!inChain && k.isKernelText(ret)) {
        frames.add(frame(k, ret, false, span));
      }
    }
    for (Arm64FrameRecords.FrameRecord r : chain.records()) {
      frames.add(frame(k, r.returnAddress(), k.isKernelText(r.returnAddress()), span));
    }
  }

  private void scan(
      KallsymsTable k, KernelMemory m, long from, long to, List<Frame> frames, SourceSpan span) {
    long len = to - from;
    if (len <= 0 || len > STACK_SIZE) {
      return;
    }
    byte[] b = new byte[(int) len];
    try {
      long missing = m.readLenient(from, b, "stack");
      if (missing == len) {
        problems.add(String.format("stack at 0x%x is not in the dump", from));
        return;
      }
    } catch (MissingMemoryException e) {
      problems.add(e.getMessage());
      return;
    }
    for (int i = 0; i + 8 <= b.length; i += 8) {
      long w = Bytes.readU64Le(b, i);
      if (k.isKernelText(w)) {
        frames.add(frame(k, w, false, span));
      }
    }
  }

  private static Frame frame(KallsymsTable k, long addr, boolean reliable, SourceSpan span) {
    KernelSymbol s = k.lookup(addr);
    if (s == null) {
      return new Frame(String.format("0x%x", addr), null, null, null, addr, reliable, span);
    }
    return new Frame(
        s.name(),
        "0x" + Long.toHexString(s.offset()),
        s.size() > 0 ? "0x" + Long.toHexString(s.size()) : null,
        null,
        addr,
        reliable,
        span);
  }
}
