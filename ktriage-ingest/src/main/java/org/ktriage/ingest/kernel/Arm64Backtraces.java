package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfStruct;
import org.ktriage.ingest.dump.Arm64FrameRecords;
import org.ktriage.model.RegisterSet;

/**
 * arm64 backtraces for {@code dump bt}, as {@code crash}'s arm64 {@code bt} shows them: the
 * frame-record chain ({@link Arm64FrameRecords}, the kernel's own {@code unwind_next_frame} in
 * arch/arm64/kernel/stacktrace.c) from a CPU's registers, or for a task that is not running from
 * the {@code thread.cpu_context} that {@code cpu_switch_to} (arch/arm64/kernel/entry.S) saved.
 *
 * <p>Exception frames: an exception from EL1 enters through a vector handler ({@code el1h_64_sync},
 * {@code el1h_64_irq}, … since v5.12; {@code el1_sync}, {@code el1_irq}, … before), whose {@code
 * kernel_entry} stores a frame record in {@code pt_regs->stackframe} holding the interrupted pc and
 * points x29 at it. So the record after one whose return address lies in such a handler is that
 * {@code pt_regs}'s, and the registers of the interrupted context are read from it.
 */
public final class Arm64Backtraces {
  private Arm64Backtraces() {}

  /** The backtrace of one CPU from its dump registers ({@code X29}, {@code SP}, {@code PC}). */
  public static Backtraces.CpuBacktrace forCpu(
      KernelView k, int cpu, RegisterSet note, @Nullable KernelTask task, long pacMask) {
    Long pc = note.get("PC");
    Long fp = note.get("X29");
    Long sp = note.get("SP");
    if (pc == null || fp == null) {
      return new Backtraces.CpuBacktrace(cpu, task, List.of(), OrcUnwinder.Stop.UNDEFINED, false);
    }
    List<StackRange> stacks = stacks(k, cpu, task);
    List<UnwoundFrame> frames = new ArrayList<>();
    frames.add(frame(k, sp == null ? fp : sp, pc, false, stacks, null));
    Long lr = note.get("LR");
    Arm64FrameRecords.Chain chain = walk(k, fp, sp == null ? 0 : sp, pacMask);
    if (lr != null) {
      long ret = Arm64FrameRecords.stripPac(lr, pacMask);
      boolean inChain = !chain.records().isEmpty() && chain.records().get(0).returnAddress() == ret;
      KernelSymbol at = k.symbols().symbolize(ret - 4);
      KernelSymbol atPc = k.symbols().symbolize(pc);
      boolean samePlace = at != null && atPc != null && at.address() == atPc.address();
      if (!inChain && !samePlace && at != null && at.type() != 'd' && at.type() != 'D') {
        // the function at pc may not have stored its frame record yet (or is a leaf)
        frames.add(frame(k, sp == null ? fp : sp, ret, true, stacks, null).unreliable());
      }
    }
    frames.addAll(frames(k, chain, stacks));
    return new Backtraces.CpuBacktrace(cpu, task, frames, stop(chain), false);
  }

  /**
   * The stack of a task that is not running: {@code cpu_switch_to} saved x19–x28, fp, sp and the
   * return address into {@code __switch_to} in {@code thread.cpu_context}; unwinding starts there,
   * as {@code get_wchan} and {@code dump_backtrace} of a blocked task do ({@code thread_saved_fp},
   * {@code thread_saved_pc}).
   */
  public static Backtraces.CpuBacktrace forSleepingTask(KernelView k, KernelTask task, long pacMask)
      throws UnreadableInputException {
    KernelObject t = k.read("task_struct", task.address());
    long fp = t.unsigned("thread.cpu_context.fp");
    long pc = Arm64FrameRecords.stripPac(t.unsigned("thread.cpu_context.pc"), pacMask);
    long sp = t.unsigned("thread.cpu_context.sp");
    List<StackRange> stacks = List.of(taskStack(k, task));
    List<UnwoundFrame> frames = new ArrayList<>();
    frames.add(frame(k, sp, pc, true, stacks, null));
    Arm64FrameRecords.Chain chain = walk(k, fp, sp, pacMask);
    frames.addAll(frames(k, chain, stacks));
    return new Backtraces.CpuBacktrace(task.cpu(), task, frames, stop(chain), false);
  }

  private static Arm64FrameRecords.Chain walk(KernelView k, long fp, long sp, long pacMask) {
    return Arm64FrameRecords.walk(
        a -> {
          try {
            return k.memory().readU64Le(a);
          } catch (UnreadableInputException e) {
            return null;
          }
        },
        fp,
        sp,
        pacMask);
  }

  private static List<UnwoundFrame> frames(
      KernelView k, Arm64FrameRecords.Chain chain, List<StackRange> stacks) {
    List<UnwoundFrame> out = new ArrayList<>();
    boolean nextIsPtRegs = false;
    for (Arm64FrameRecords.FrameRecord r : chain.records()) {
      Map<String, Long> regs = nextIsPtRegs ? ptRegs(k, r.fp()) : null;
      UnwoundFrame f = frame(k, r.fp(), r.returnAddress(), regs == null, stacks, regs);
      out.add(f);
      nextIsPtRegs = regs == null && isVectorHandler(f.function());
    }
    return out;
  }

  /**
   * True for the EL1 exception vector handlers that build a {@code pt_regs} (entry.S {@code
   * entry_handler}: {@code el1h_64_sync} … since v5.12, {@code el1_sync} … before).
   */
  static boolean isVectorHandler(@Nullable String function) {
    if (function == null) {
      return false;
    }
    return function.matches("el1[th]?_(64_)?(sync|irq|fiq|error)");
  }

  /**
   * The registers of the {@code pt_regs} whose {@code stackframe} record lies at {@code record}, by
   * their arm64 names; null when the kernel's BTF has no {@code pt_regs.stackframe} or the memory
   * cannot be read.
   */
  private static @Nullable Map<String, Long> ptRegs(KernelView k, long record) {
    try {
      BtfStruct layout = k.btf().findStruct("pt_regs");
      if (layout == null || !layout.hasMember("stackframe") || !layout.hasMember("pc")) {
        return null;
      }
      long base = record - layout.offset("stackframe");
      KernelObject regs = KernelObject.read(k.memory(), layout, base);
      Map<String, Long> out = new LinkedHashMap<>();
      out.put("PC", regs.unsigned("pc"));
      // user_pt_regs: u64 regs[31]; sp; pc; pstate (the anonymous union's first member)
      long regsOffset = layout.offset("regs");
      for (int i = 0; i <= 30; i++) {
        out.put(i == 30 ? "LR" : "X" + i, k.memory().readU64Le(base + regsOffset + 8L * i));
      }
      out.put("SP", regs.unsigned("sp"));
      out.put("PSTATE", regs.unsigned("pstate"));
      return out;
    } catch (UnreadableInputException | RuntimeException e) {
      return null;
    }
  }

  private static UnwoundFrame frame(
      KernelView k,
      long slot,
      long ip,
      boolean returnAddress,
      List<StackRange> stacks,
      @Nullable Map<String, Long> regs) {
    // a return address points after its call (bl): look up the call itself, as %pB does
    return UnwoundFrame.symbolized(k, slot, ip, returnAddress ? ip - 4 : ip, stacks, regs);
  }

  /** The CPU's IRQ stack ({@code irq_stack_ptr}, THREAD_SIZE bytes) and its task's stack. */
  private static List<StackRange> stacks(KernelView k, int cpu, @Nullable KernelTask task) {
    List<StackRange> out = new ArrayList<>();
    Long irq = k.findSymbol("irq_stack_ptr");
    if (irq != null) {
      try {
        long low = k.readPointer(k.perCpu(irq, cpu));
        if (low != 0) {
          out.add(new StackRange("IRQ", low, low + Backtraces.threadSize(k)));
        }
      } catch (UnreadableInputException | RuntimeException e) {
        // no IRQ stack named; the frames still unwind
      }
    }
    if (task != null && task.stackBase() != 0) {
      out.add(taskStack(k, task));
    }
    return out;
  }

  private static StackRange taskStack(KernelView k, KernelTask task) {
    return new StackRange("task", task.stackBase(), task.stackBase() + Backtraces.threadSize(k));
  }

  private static OrcUnwinder.Stop stop(Arm64FrameRecords.Chain chain) {
    return switch (chain.stop()) {
      case END_OF_STACK -> OrcUnwinder.Stop.END_OF_STACK;
      case BAD_RECORD -> OrcUnwinder.Stop.BAD_STACK;
      case TOO_DEEP -> OrcUnwinder.Stop.TOO_DEEP;
    };
  }
}
