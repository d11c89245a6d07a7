package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.KernelModule;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.StackSegment;

/**
 * Turns ORC backtraces and module lists into the model's records: a CPU's frames are cut into
 * {@link StackSegment}s at every exception frame (the registers of the interrupted context end a
 * segment), and each segment's context is named by the entry code that created it (table below).
 */
public final class ModelStacks {
  /** Entry symbols (prefixes) and the context of the frames that ran above them. */
  private static final Map<String, ContextKind> ENTRY_CONTEXT = new LinkedHashMap<>();

  static {
    ENTRY_CONTEXT.put("asm_exc_nmi", ContextKind.NMI);
    ENTRY_CONTEXT.put("end_repeat_nmi", ContextKind.NMI);
    ENTRY_CONTEXT.put("repeat_nmi", ContextKind.NMI);
    ENTRY_CONTEXT.put("nmi_", ContextKind.NMI);
    ENTRY_CONTEXT.put("asm_exc_", ContextKind.EXCEPTION);
    ENTRY_CONTEXT.put("asm_sysvec_", ContextKind.HARDIRQ);
    ENTRY_CONTEXT.put("asm_common_interrupt", ContextKind.HARDIRQ);
    ENTRY_CONTEXT.put("asm_spurious_interrupt", ContextKind.HARDIRQ);
    ENTRY_CONTEXT.put("common_interrupt", ContextKind.HARDIRQ);
    ENTRY_CONTEXT.put("apic_timer_interrupt", ContextKind.HARDIRQ);
  }

  /** Functions that run pending softirqs: a hard-IRQ segment holding one is softirq context. */
  private static final List<String> SOFTIRQ_RUNNERS =
      List.of("handle_softirqs", "__do_softirq", "do_softirq", "run_ksoftirqd");

  private ModelStacks() {}

  /** The CPU state with its stack replaced by the ORC backtrace's segments. */
  public static CpuState cpuState(CpuState fromNotes, Backtraces.CpuBacktrace bt) {
    KernelTask t = bt.task();
    return new CpuState(
        fromNotes.cpu(),
        t == null ? fromNotes.pid() : Integer.valueOf(t.pid()),
        t == null ? fromNotes.comm() : t.comm(),
        t == null ? fromNotes.taskAddress() : Long.valueOf(t.address()),
        fromNotes.registers(),
        segments(bt.frames()),
        fromNotes.panicCpu(),
        fromNotes.source());
  }

  /** Frames cut into segments, innermost first. */
  public static List<StackSegment> segments(List<UnwoundFrame> frames) {
    List<StackSegment> out = new ArrayList<>();
    List<UnwoundFrame> run = new ArrayList<>();
    for (UnwoundFrame f : frames) {
      if (f.isException()) {
        out.add(segment(run, f));
        run = new ArrayList<>();
      } else {
        run.add(f);
      }
    }
    if (!run.isEmpty()) {
      out.add(segment(run, null));
    }
    return out;
  }

  private static StackSegment segment(List<UnwoundFrame> run, @Nullable UnwoundFrame exception) {
    List<Frame> frames = new ArrayList<>();
    for (UnwoundFrame f : run) {
      frames.add(
          new Frame(
              f.function() == null ? "?" : f.function(),
              f.function() == null ? null : "0x" + Long.toHexString(f.offset()),
              null,
              f.module(),
              f.ip(),
              f.reliable(),
              null));
    }
    ContextKind context = ContextKind.UNKNOWN;
    String stack = run.isEmpty() ? null : run.get(run.size() - 1).stack();
    if (exception != null && !run.isEmpty()) {
      String entry = String.valueOf(run.get(run.size() - 1).function());
      for (Map.Entry<String, ContextKind> e : ENTRY_CONTEXT.entrySet()) {
        if (entry.startsWith(e.getKey())) {
          context = e.getValue();
          break;
        }
      }
      if (context == ContextKind.HARDIRQ) {
        for (UnwoundFrame f : run) {
          if (SOFTIRQ_RUNNERS.contains(f.function())) {
            context = ContextKind.SOFTIRQ;
          }
        }
      }
    } else if ("task".equals(stack)) {
      context = ContextKind.TASK;
    }
    // The marker names the stack the segment's innermost frame ran on.
    String first = run.isEmpty() ? null : run.get(0).stack();
    String marker =
        first == null ? null : first.equals("task") ? "TASK" : first.replace(" exception", "");
    ExceptionFrame ex = null;
    if (exception != null) {
      Map<String, Long> regs = exception.exceptionRegisters();
      Long cs = regs == null ? null : regs.get("CS");
      ex =
          new ExceptionFrame(
              exception.function(),
              exception.function() == null ? null : "0x" + Long.toHexString(exception.offset()),
              exception.module(),
              exception.ip(),
              cs != null && (cs & 3) != 0,
              new RegisterSet(regs == null ? Map.of() : regs),
              null);
    }
    return new StackSegment(context, marker, frames, ex);
  }

  /** Loaded modules as model records (core text base and size, like crash mod). */
  public static List<KernelModule> modules(List<LoadedModule> modules) {
    List<KernelModule> out = new ArrayList<>();
    for (LoadedModule m : modules) {
      out.add(new KernelModule(m.name(), "", m.base(), m.size(), null));
    }
    return out;
  }
}
