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

  /**
   * The stack of a task that is not running: the scheduler left a {@code struct
   * inactive_task_frame} at {@code thread.sp} (callee-saved registers, then the return address into
   * {@code __schedule}), and unwinding starts above it, as {@code __unwind_start} does.
   */
  public static CpuBacktrace forSleepingTask(KernelView k, OrcUnwinder unwinder, KernelTask task)
      throws UnreadableInputException {
    List<StackRange> stacks =
        List.of(new StackRange("task", task.stackBase(), task.stackBase() + threadSize(k)));
    BtfStruct frame = k.struct("inactive_task_frame");
    KernelObject f = KernelObject.read(k.memory(), frame, task.savedSp());
    long ip = f.unsigned("ret_addr");
    long sp = task.savedSp() + frame.size();
    List<UnwoundFrame> frames = new ArrayList<>();
    frames.add(unwinder.frame(task.savedSp() + frame.offset("ret_addr"), ip, stacks, null));
    OrcUnwinder.Result r = unwinder.continueFrom(ip, sp, f.unsigned("bp"), stacks, frames);
    return new CpuBacktrace(task.cpu(), task, r.frames(), r.stop(), false);
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
      List<UnwoundFrame> frames = refineStart(k, unwinder, stacks, scanned.frames());
      return new CpuBacktrace(cpu, task, frames, scanned.stop(), true);
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

  /**
   * Fixes the innermost frames of a scanned trace with the callers' call instructions: a first
   * frame whose caller made a direct call to another function is a stale return address (dropped);
   * while the first frame's own call is a direct call, the callee's frame is searched below it (the
   * highest slot holding a return address into the callee), which crosses frames ORC cannot
   * describe (e.g. after a call to a function that never returns, like {@code machine_kexec}).
   */
  static List<UnwoundFrame> refineStart(
      KernelView k, OrcUnwinder unwinder, List<StackRange> stacks, List<UnwoundFrame> frames) {
    List<UnwoundFrame> out = new ArrayList<>(frames);
    while (out.size() > 1 && !out.get(0).isException() && !out.get(1).isException()) {
      KernelSymbol target = directCallTarget(k, out.get(1).ip());
      KernelSymbol first = k.symbols().symbolize(out.get(0).ip());
      if (target == null || first == null || sameFunction(target.name(), first.name())) {
        break;
      }
      out.remove(0);
    }
    for (int guard = 0; guard < 16 && !out.isEmpty(); guard++) {
      UnwoundFrame top = out.get(0);
      KernelSymbol target = top.isException() ? null : directCallTarget(k, top.ip());
      StackRange stack = StackRange.find(stacks, top.slot());
      if (target == null || stack == null) {
        break;
      }
      UnwoundFrame callee = null;
      for (long slot = top.slot() - 8;
          Long.compareUnsigned(slot, stack.low()) >= 0 && top.slot() - slot <= 4096;
          slot -= 8) {
        long word;
        try {
          word = k.memory().readU64Le(slot);
        } catch (UnreadableInputException e) {
          break;
        }
        if (target.contains(word) && word != target.address()) {
          callee = unwinder.frame(slot, word, stacks, null).unreliable();
          break;
        }
      }
      if (callee == null) {
        break;
      }
      out.add(0, callee);
    }
    return out;
  }

  /**
   * The function a return address's call instruction calls directly ({@code e8 rel32} just before
   * it), or null for indirect calls and calls through the retpoline thunks.
   */
  static @Nullable KernelSymbol directCallTarget(KernelView k, long returnAddress) {
    byte[] code = new byte[5];
    try {
      k.memory().read(returnAddress - 5, code, 0, 5);
    } catch (UnreadableInputException e) {
      return null;
    }
    if ((code[0] & 0xff) != 0xe8) {
      return null;
    }
    int rel = (code[1] & 0xff) | (code[2] & 0xff) << 8 | (code[3] & 0xff) << 16 | code[4] << 24;
    long dest = returnAddress + rel;
    KernelSymbol target = k.symbols().symbolize(dest);
    if (target == null || target.address() != dest || isTrampoline(k, dest, target.name())) {
      return null;
    }
    return target;
  }

  /**
   * True for call targets that forward to a function decided at run time: retpoline thunks (between
   * {@code __indirect_thunk_start} and {@code __indirect_thunk_end}) and static-call trampolines.
   */
  static boolean isTrampoline(KernelView k, long dest, String name) {
    Long start = k.findSymbol("__indirect_thunk_start");
    Long end = k.findSymbol("__indirect_thunk_end");
    if (start != null
        && end != null
        && Long.compareUnsigned(dest, start) >= 0
        && Long.compareUnsigned(dest, end) < 0) {
      return true;
    }
    return name.startsWith("__x86_")
        || name.startsWith("__SCT__")
        || name.startsWith("__static_call")
        || name.contains("thunk");
  }

  /** True when two symbols are parts of one function ({@code foo}, {@code foo.cold}, ...). */
  static boolean sameFunction(String a, String b) {
    int da = a.indexOf('.');
    int db = b.indexOf('.');
    return (da < 0 ? a : a.substring(0, da)).equals(db < 0 ? b : b.substring(0, db));
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
