package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfMember;
import org.ktriage.ingest.btf.BtfStruct;
import org.ktriage.model.RegisterSet;

/**
 * The active stack of each CPU, like {@code crash bt -a}. A dump's CPU note holds either the live
 * registers (QEMU) or the registers of the context the crash interrupted (kdump saves the oops's
 * pt_regs for the panic CPU and the NMI's for the others); in the second case the frames of the
 * crash path sit above those registers on the CPU's exception, IRQ or task stack. So each stack is
 * scanned from its lowest address for a return address from which ORC unwinds into a {@code
 * pt_regs} equal to the note; the first such slot starts the trace, else the note's registers do.
 */
public final class Backtraces {
  /** THREAD_SIZE when the kernel's symbols cannot tell (x86_64 without KASAN). */
  static final long DEFAULT_THREAD_SIZE = 16 << 10;

  private Backtraces() {}

  /** One CPU's backtrace: the task, the frames innermost first, and why the unwind stopped. */
  public record CpuBacktrace(
      int cpu,
      @Nullable KernelTask task,
      List<UnwoundFrame> frames,
      OrcUnwinder.Stop stop,
      boolean fromStackScan) {
    public CpuBacktrace {
      frames = List.copyOf(frames);
    }
  }

  /** The stacks of a CPU: its exception stacks, its IRQ stack and its current task's stack. */
  public static List<StackRange> stacks(KernelView k, int cpu, @Nullable KernelTask task)
      throws UnreadableInputException {
    List<StackRange> out = new ArrayList<>();
    Long cea = k.findSymbol("cea_exception_stacks");
    BtfStruct ceaLayout = k.btf().findStruct("cea_exception_stacks");
    if (cea != null && ceaLayout != null) {
      long base = k.readPointer(k.perCpu(cea, cpu));
      for (BtfMember m : ceaLayout.members()) {
        if (m.name().endsWith("_stack") && !m.name().endsWith("_guard")) {
          long size = k.btf().sizeOf(m.typeId());
          long low = base + m.bitOffset() / 8;
          String name = m.name().substring(0, m.name().length() - "_stack".length());
          out.add(new StackRange(name + " exception", low, low + size));
        }
      }
    }
    long irqSize = 16 << 10;
    BtfStruct irqStack = k.btf().findStruct("irq_stack");
    if (irqStack != null) {
      irqSize = irqStack.size();
    }
    Long hot = k.findSymbol("pcpu_hot");
    Long irqPtrVar = k.findSymbol("hardirq_stack_ptr");
    long irqPtr = 0;
    if (hot != null && k.struct("pcpu_hot").hasMember("hardirq_stack_ptr")) {
      irqPtr = k.readPointer(k.perCpu(hot, cpu) + k.struct("pcpu_hot").offset("hardirq_stack_ptr"));
    } else if (irqPtrVar != null) {
      irqPtr = k.readPointer(k.perCpu(irqPtrVar, cpu));
    }
    if (irqPtr != 0) {
      // hardirq_stack_ptr points at the last word of the stack (top - 8).
      long top = irqPtr + 8;
      out.add(new StackRange("IRQ", top - irqSize, top));
    }
    if (task != null && task.stackBase() != 0) {
      out.add(new StackRange("task", task.stackBase(), task.stackBase() + threadSize(k)));
    }
    return out;
  }

  /** THREAD_SIZE from the init task's stack symbols, else the x86_64 default. */
  static long threadSize(KernelView k) {
    Long start = k.findSymbol("__start_init_task");
    if (start == null) {
      start = k.findSymbol("init_stack");
    }
    Long end = k.findSymbol("__end_init_task");
    if (start != null && end != null) {
      long size = end - start;
      if (size > 0 && size <= (1 << 20) && Long.bitCount(size) == 1) {
        return size;
      }
    }
    return DEFAULT_THREAD_SIZE;
  }

  /** The backtrace of one CPU from its dump registers. */
  public static CpuBacktrace forCpu(
      KernelView k, OrcUnwinder unwinder, int cpu, RegisterSet note, @Nullable KernelTask task)
      throws UnreadableInputException {
    List<StackRange> stacks = stacks(k, cpu, task);
    Long rip = note.get("RIP");
    Long rsp = note.get("RSP");
    Long rbp = note.get("RBP");
    if (rip == null || rsp == null) {
      return new CpuBacktrace(cpu, task, List.of(), OrcUnwinder.Stop.UNDEFINED, false);
    }
    OrcUnwinder.Result scanned = scan(k, unwinder, stacks, rip, rsp);
    if (scanned != null) {
      return new CpuBacktrace(cpu, task, scanned.frames(), scanned.stop(), true);
    }
    OrcUnwinder.Result direct = unwinder.unwind(rip, rsp, rbp == null ? 0 : rbp, stacks);
    return new CpuBacktrace(cpu, task, direct.frames(), direct.stop(), false);
  }

  private static OrcUnwinder.@Nullable Result scan(
      KernelView k, OrcUnwinder unwinder, List<StackRange> stacks, long rip, long rsp) {
    for (StackRange stack : stacks) {
      long size = stack.high() - stack.low();
      if (size <= 0 || size > (1 << 20)) {
        continue;
      }
      for (long slot = stack.low(); Long.compareUnsigned(slot, stack.high()) < 0; slot += 8) {
        if (stack.contains(rsp) && Long.compareUnsigned(slot, rsp) >= 0) {
          break;
        }
        long word;
        try {
          word = k.memory().readU64Le(slot);
        } catch (UnreadableInputException e) {
          slot = (slot | 0xfff) - 7;
          continue;
        }
        if (!unwinder.table().covers(word) || k.symbols().symbolize(word) == null) {
          continue;
        }
        OrcUnwinder.Result r = unwinder.unwindFromSlot(slot, word, stacks);
        if (reaches(r, rip, rsp)) {
          return r;
        }
      }
    }
    return null;
  }

  private static boolean reaches(OrcUnwinder.Result r, long rip, long rsp) {
    for (UnwoundFrame f : r.frames()) {
      Map<String, Long> regs = f.exceptionRegisters();
      if (regs != null
          && Long.valueOf(rip).equals(regs.get("RIP"))
          && Long.valueOf(rsp).equals(regs.get("RSP"))) {
        return true;
      }
    }
    return false;
  }
}
