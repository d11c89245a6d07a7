package org.ktriage.ingest.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;

/**
 * One {@code bt} task block of a {@code crash} session, read line by line ({@link
 * CrashSessionParser} opens it on its {@code PID: … TASK: … CPU: … COMMAND: …} header).
 *
 * <p>Layout (crash x86_64.c): frames {@code #N [<sp>] <func> at <addr> [<module>]}, exception
 * blocks {@code [exception RIP: <func>+<decimal off>]} followed by register rows, stack switches
 * {@code --- <IRQ stack> ---}. An exception block ends the segment above it; a stack-switch line
 * names the segment it ends.
 */
final class CrashBacktrace {
  /** What one line was to the block. */
  enum Line {
    /** Part of the block. */
    TAKEN,
    /** Shaped as a frame but not crash output as printed (a number wider than 64 bits). */
    UNREAD_FRAME,
    /** Not part of the block, which ends here. */
    OTHER
  }

  private static final String HEX64 = CrashSessionParser.HEX64;
  private static final String OFFSET = "0x[0-9a-f]{1,16}(?![0-9a-f])|\\d{1,18}(?!\\d)";
  private static final Pattern FRAME =
      Pattern.compile(
          "#(?<n>\\d+) \\[(?<sp>[0-9a-f]+)\\] (?<func>[^\\s+]+)(?:\\+(?<off>"
              + OFFSET
              + "))? at (?<addr>"
              + HEX64
              + ")(?: \\[(?<mod>[\\w-]+)\\])?");

  /** A line shaped as a frame that {@link #FRAME} refuses (a number wider than 64 bits). */
  private static final Pattern FRAME_SHAPE =
      Pattern.compile("#\\d+ \\[[0-9a-f]+\\] \\S+ at [0-9a-f]+");

  private static final Pattern EXCEPTION = Pattern.compile("\\[exception RIP: (?<what>[^\\]]*)\\]");
  private static final Pattern EXC_SYM =
      Pattern.compile(
          "(?<func>[A-Za-z_.$][\\w.$]*)(?:\\+(?<off>" + OFFSET + "))?(?: \\[(?<mod>[\\w-]+)\\])?");
  private static final Pattern STACK_SWITCH = Pattern.compile("--- <(?<name>[^>]+)> ---");

  final int pid;
  final long task;
  final int cpu;
  final String comm;
  final SourceSpan start;
  final List<StackSegment> segments = new ArrayList<>();
  List<Frame> frames = new ArrayList<>();
  TraceBuilder.@Nullable PendingException pending;
  boolean lastNamed = true;
  boolean afterIrqStack;
  boolean panicking;
  int lastLine;

  CrashBacktrace(int pid, long task, int cpu, String comm, SourceSpan start) {
    this.pid = pid;
    this.task = task;
    this.cpu = cpu;
    this.comm = comm;
    this.start = start;
    this.lastLine = start.line();
  }

  void frame(Frame f) {
    if (pending != null) {
      flush(null);
    }
    frames.add(f);
    String fn = f.function();
    if (fn.equals("panic") || fn.endsWith("crash_kexec") || fn.equals("oops_end")) {
      panicking = true;
    }
  }

  void exception(TraceBuilder.PendingException e) {
    if (pending != null) {
      flush(null);
    }
    pending = e;
  }

  /** Ends the current segment; {@code marker} names it when the line was a stack switch. */
  void flush(@Nullable String marker) {
    if (frames.isEmpty() && pending == null) {
      if (marker != null && !segments.isEmpty() && !lastNamed) {
        StackSegment last = segments.remove(segments.size() - 1);
        segments.add(
            new StackSegment(markerContext(marker), marker, last.frames(), last.exception()));
        lastNamed = true;
        noteSwitch(marker);
      }
      return;
    }
    ContextKind ctx = marker != null ? markerContext(marker) : frameContext(frames, afterIrqStack);
    ExceptionFrame exc = pending == null ? null : pending.build();
    segments.add(new StackSegment(ctx, marker, frames, exc));
    lastNamed = marker != null;
    frames = new ArrayList<>();
    pending = null;
    if (marker != null) {
      noteSwitch(marker);
    }
  }

  private void noteSwitch(String marker) {
    if (marker.startsWith("IRQ")) {
      afterIrqStack = true;
    }
  }

  /** The CPU state this block shows, once it is over. */
  @Nullable CpuState cpuState() {
    flush(null);
    if (segments.isEmpty()) {
      return null;
    }
    return new CpuState(
        cpu,
        pid,
        comm,
        task,
        RegisterSet.empty(),
        segments,
        panicking,
        SourceSpan.lines(start.path(), start.line(), lastLine));
  }

  /** Context named by crash's stack-switch line. */
  static ContextKind markerContext(String marker) {
    String m = marker.toUpperCase(Locale.ROOT);
    if (m.startsWith("NMI")) {
      return ContextKind.NMI;
    }
    if (m.startsWith("IRQ")) {
      return ContextKind.HARDIRQ;
    }
    if (m.startsWith("SOFTIRQ")) {
      return ContextKind.SOFTIRQ;
    }
    if (m.contains("EXCEPTION") || m.contains("DOUBLEFAULT") || m.contains("MCE")) {
      return ContextKind.EXCEPTION;
    }
    return ContextKind.UNKNOWN;
  }

  private static final Set<String> NMI_FRAMES =
      Set.of(
          "do_nmi",
          "nmi_handle",
          "default_do_nmi",
          "exc_nmi",
          "end_repeat_nmi",
          "nmi",
          "perf_event_nmi_handler",
          "crash_nmi_callback",
          "nmi_cpu_backtrace_handler");
  private static final Set<String> FAULT_FRAMES =
      Set.of(
          "page_fault",
          "do_page_fault",
          "__do_page_fault",
          "exc_page_fault",
          "asm_exc_page_fault",
          "page_fault_oops",
          "do_user_addr_fault",
          "do_kern_addr_fault",
          "no_context",
          "do_general_protection",
          "exc_general_protection",
          "asm_exc_general_protection",
          "do_invalid_op",
          "exc_invalid_op",
          "asm_exc_invalid_op",
          "do_error_trap",
          "do_trap",
          "do_divide_error",
          "exc_divide_error",
          "do_double_fault",
          "exc_double_fault",
          "general_protection",
          "invalid_op",
          "divide_error",
          "double_fault",
          "handle_bug");
  private static final Set<String> SOFTIRQ_FRAMES =
      Set.of("__do_softirq", "handle_softirqs", "do_softirq", "call_softirq", "run_ksoftirqd");
  private static final Set<String> IRQ_FRAMES =
      Set.of("irq_exit", "__irq_exit_rcu", "irq_exit_rcu", "do_IRQ", "handle_irq");

  /** Context of a segment no stack-switch line names, from the handler frames in it. */
  static ContextKind frameContext(List<Frame> frames, boolean afterIrqStack) {
    if (frames.isEmpty()) {
      return ContextKind.UNKNOWN;
    }
    boolean fault = false;
    boolean softirq = false;
    boolean irq = false;
    for (Frame f : frames) {
      String fn = f.function();
      if (NMI_FRAMES.contains(fn)) {
        return ContextKind.NMI;
      }
      fault |= FAULT_FRAMES.contains(fn);
      softirq |= SOFTIRQ_FRAMES.contains(fn);
      irq |=
          IRQ_FRAMES.contains(fn)
              || fn.startsWith("smp_apic_timer")
              || fn.startsWith("sysvec_")
              || fn.startsWith("__sysvec_");
    }
    if (fault) {
      return ContextKind.EXCEPTION;
    }
    if (afterIrqStack) {
      return ContextKind.TASK;
    }
    if (softirq) {
      return ContextKind.SOFTIRQ;
    }
    if (irq) {
      return ContextKind.HARDIRQ;
    }
    return ContextKind.TASK;
  }

  Line read(String t, SourceSpan span) {
    if (t.isEmpty()) {
      return Line.OTHER;
    }
    Matcher f = FRAME.matcher(t);
    if (f.lookingAt()) {
      String off = f.group("off");
      frame(
          new Frame(
              f.group("func"),
              off == null ? null : hexOffset(off),
              null,
              f.group("mod"),
              Long.parseUnsignedLong(f.group("addr"), 16),
              true,
              span));
      return Line.TAKEN;
    }
    if (FRAME_SHAPE.matcher(t).lookingAt()) {
      // crash prints 64-bit addresses as 16 hex digits at most (x86_64.c): such a frame is not
      // crash output as printed; it is skipped, counted and said, and the task block goes on
      return Line.UNREAD_FRAME;
    }
    Matcher e = EXCEPTION.matcher(t);
    if (e.lookingAt()) {
      String what = e.group("what").strip();
      Matcher s = EXC_SYM.matcher(what);
      boolean user = what.equals("user space");
      if (!user && s.matches() && !what.startsWith("unknown") && !what.startsWith("no symbolic")) {
        String off = s.group("off");
        exception(
            new TraceBuilder.PendingException(
                s.group("func"),
                off == null ? null : hexOffset(off),
                s.group("mod"),
                null,
                false,
                span));
      } else {
        exception(new TraceBuilder.PendingException(null, null, null, null, user, span));
      }
      return Line.TAKEN;
    }
    Matcher sw = STACK_SWITCH.matcher(t);
    if (sw.matches()) {
      flush(sw.group("name"));
      return Line.TAKEN;
    }
    Map<String, Long> regs = RegisterLine.parse(t, 0);
    if (regs != null && pending == null && (regs.containsKey("RIP") || regs.containsKey("PC"))) {
      // a register block crash could not name: an exception frame of unknown location
      exception(new TraceBuilder.PendingException(null, null, null, null, false, span));
    }
    if (regs != null && pending != null) {
      TraceBuilder.PendingException p = pending;
      if (p.ip == null && (regs.containsKey("RIP") || regs.containsKey("PC"))) {
        Long ip = regs.containsKey("RIP") ? regs.get("RIP") : regs.get("PC");
        TraceBuilder.PendingException withIp =
            new TraceBuilder.PendingException(
                p.function, p.offset, p.module, ip, p.userMode, p.source);
        withIp.registers.putAll(p.registers);
        pending = withIp;
        p = withIp;
      }
      p.registers.putAll(regs);
      return Line.TAKEN;
    }
    if (t.startsWith("WARNING: possibly bogus") || t.startsWith("bt: ")) {
      return Line.TAKEN;
    }
    return Line.OTHER;
  }

  /** crash prints exception offsets in decimal; the model keeps {@code 0x…}. */
  static String hexOffset(String off) {
    if (off.startsWith("0x")) {
      return off.toLowerCase(Locale.ROOT);
    }
    return "0x" + Long.toHexString(Long.parseLong(off));
  }
}
