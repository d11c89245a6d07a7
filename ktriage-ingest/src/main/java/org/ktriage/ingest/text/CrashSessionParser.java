package org.ktriage.ingest.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;

/**
 * Reads {@code crash} utility output (with or without {@code crash> } prompts, also embedded in
 * prose): the {@code sys} banner, {@code bt}/{@code bt -a} task blocks, {@code mod} and {@code ps}
 * tables. Every other line (a {@code log} listing, surrounding text) is passed on to the log sink.
 *
 * <p>{@code bt} layout (crash x86_64.c): {@code PID: <pid> TASK: <hex> CPU: <n> COMMAND: "<comm>"},
 * frames {@code #N [<sp>] <func> at <addr> [<module>]}, exception blocks {@code [exception RIP:
 * <func>+<decimal off>]} followed by register rows, stack switches {@code --- <IRQ stack> ---}. An
 * exception block ends the segment above it; a stack-switch line names the segment it ends.
 */
public final class CrashSessionParser implements Consumer<LogRecord> {
  /** Column of the colon in {@code sys} rows (labels right-aligned to 12 characters). */
  private static final int SYS_COLON = 12;

  private static final Pattern PROMPT = Pattern.compile("crash(?:64)?> ?(?<cmd>.*)");
  private static final Set<String> SYS_LABELS =
      Set.of(
          "KERNEL",
          "DUMPFILE",
          "CPUS",
          "DATE",
          "UPTIME",
          "LOAD AVERAGE",
          "TASKS",
          "NODENAME",
          "RELEASE",
          "VERSION",
          "MACHINE",
          "MEMORY",
          "PANIC",
          "PID",
          "COMMAND",
          "TASK",
          "CPU",
          "STATE");
  // numbers wider than their Java type are not crash output (crash prints pids and CPUs as int,
  // addresses as 16 hex digits at most): such a line is not taken, never parsed into an overflow
  private static final String INT = "\\d{1,9}(?!\\d)";
  private static final String HEX64 = "[0-9a-f]{1,16}(?![0-9a-f])";
  private static final String OFFSET = "0x[0-9a-f]{1,16}(?![0-9a-f])|\\d{1,18}(?!\\d)";
  private static final Pattern BT_HEADER =
      Pattern.compile(
          "PID: (?<pid>"
              + INT
              + ")\\s+TASK: (?<task>"
              + HEX64
              + ")\\s+CPU: (?<cpu>"
              + INT
              + ")\\s+COMMAND: \"(?<comm>.*)\"");
  private static final Pattern BT_FRAME =
      Pattern.compile(
          "#(?<n>\\d+) \\[(?<sp>[0-9a-f]+)\\] (?<func>[^\\s+]+)(?:\\+(?<off>"
              + OFFSET
              + "))? at (?<addr>"
              + HEX64
              + ")(?: \\[(?<mod>[\\w-]+)\\])?");

  /** A line shaped as a frame that {@link #BT_FRAME} refuses (a number wider than 64 bits). */
  private static final Pattern BT_FRAME_SHAPE =
      Pattern.compile("#\\d+ \\[[0-9a-f]+\\] \\S+ at [0-9a-f]+");

  private static final Pattern EXCEPTION = Pattern.compile("\\[exception RIP: (?<what>[^\\]]*)\\]");
  private static final Pattern EXC_SYM =
      Pattern.compile(
          "(?<func>[A-Za-z_.$][\\w.$]*)(?:\\+(?<off>" + OFFSET + "))?(?: \\[(?<mod>[\\w-]+)\\])?");
  private static final Pattern STACK_SWITCH = Pattern.compile("--- <(?<name>[^>]+)> ---");
  private static final Pattern MOD_HEADER =
      Pattern.compile("MODULE\\s+NAME\\s+(?:BASE\\s+)?SIZE.*");
  private static final Pattern MOD_ROW =
      Pattern.compile(
          "(?<addr>[0-9a-f]{8,16})\\s+(?<name>[\\w-]+)\\s+(?:(?<base>[0-9a-f]{8,16})\\s+)?(?<size>\\d{1,18})(?:\\s.*)?");
  private static final Pattern PS_HEADER = Pattern.compile("PID\\s+PPID\\s+CPU\\s+TASK\\s+ST.*");
  private static final Pattern PS_ROW =
      Pattern.compile(
          "(?<run>>)?\\s*(?<pid>"
              + INT
              + ")\\s+(?<ppid>\\d+)\\s+(?<cpu>"
              + INT
              + ")\\s+(?<task>"
              + HEX64
              + ")\\s+"
              + "(?<st>[A-Z]{2})\\s+\\S+\\s+\\d+\\s+\\d+\\s+(?<comm>.*)");

  /** A task the {@code ps} listing marks as running ({@code >}). */
  public record RunningTask(int pid, int cpu, long task, String comm) {}

  private final Consumer<LogRecord> logSink;
  private final Map<String, String> sys = new LinkedHashMap<>();
  private @Nullable SourceSpan panicSpan;
  private final Map<Integer, CpuState> cpus = new TreeMap<>();
  private final List<KernelModule> modules = new ArrayList<>();
  private final List<RunningTask> running = new ArrayList<>();
  private @Nullable String command;
  private @Nullable TaskBlock bt;
  private boolean inMod;
  private boolean inPs;
  private boolean sawSysBlock;
  private int crashLines;
  private int unreadFrames;
  private @Nullable SourceSpan firstUnreadFrame;

  public CrashSessionParser(Consumer<LogRecord> logSink) {
    this.logSink = logSink;
  }

  /** One {@code bt} task block being read. */
  private static final class TaskBlock {
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

    TaskBlock(int pid, long task, int cpu, String comm, SourceSpan start) {
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
      ContextKind ctx =
          marker != null ? markerContext(marker) : frameContext(frames, afterIrqStack);
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

  @Override
  public void accept(LogRecord r) {
    String text = r.text();
    int from = ReportBuilder.firstNonSpace(text);
    if (bt == null && !inMod && !inPs && !isLogCommand() && !mayBeCrash(text, from)) {
      // cheap path for ordinary log lines: no crash command output can start this way
      logSink.accept(r);
      return;
    }
    String t = text.substring(from).stripTrailing();
    Matcher pm = PROMPT.matcher(t);
    if (t.startsWith("crash") && pm.matches()) {
      endBlock();
      inMod = false;
      inPs = false;
      command = pm.group("cmd").strip();
      crashLines++;
      return;
    }
    if (isLogCommand()) {
      logSink.accept(r);
      return;
    }
    if (sysField(text, r.source())) {
      crashLines++;
      return;
    }
    Matcher h = BT_HEADER.matcher(t);
    if (h.lookingAt()) {
      endBlock();
      bt =
          new TaskBlock(
              Integer.parseInt(h.group("pid")),
              Long.parseUnsignedLong(h.group("task"), 16),
              Integer.parseInt(h.group("cpu")),
              h.group("comm"),
              r.source());
      crashLines++;
      return;
    }
    TaskBlock b = bt;
    if (b != null && btLine(b, t, r.source())) {
      b.lastLine = r.source().line();
      crashLines++;
      return;
    }
    if (b != null) {
      endBlock();
    }
    if (MOD_HEADER.matcher(t).matches()) {
      inMod = true;
      crashLines++;
      return;
    }
    if (inMod) {
      Matcher m = MOD_ROW.matcher(t);
      if (m.matches()) {
        String base = m.group("base");
        modules.add(
            new KernelModule(
                m.group("name"),
                "",
                base == null ? null : Long.parseUnsignedLong(base, 16),
                Long.parseLong(m.group("size")),
                r.source()));
        crashLines++;
        return;
      }
      inMod = false;
    }
    if (PS_HEADER.matcher(t).matches()) {
      inPs = true;
      crashLines++;
      return;
    }
    if (inPs) {
      Matcher m = PS_ROW.matcher(t);
      if (m.matches()) {
        if (m.group("run") != null) {
          String comm = m.group("comm").strip();
          if (comm.startsWith("[") && comm.endsWith("]")) {
            comm = comm.substring(1, comm.length() - 1);
          }
          running.add(
              new RunningTask(
                  Integer.parseInt(m.group("pid")),
                  Integer.parseInt(m.group("cpu")),
                  Long.parseUnsignedLong(m.group("task"), 16),
                  comm));
        }
        crashLines++;
        return;
      }
      inPs = false;
    }
    logSink.accept(r);
  }

  /** Whether the line could start crash output: a prompt, a {@code sys} row, a table header. */
  private static boolean mayBeCrash(String text, int from) {
    if (from >= text.length()) {
      return false;
    }
    char c = text.charAt(from);
    if (c == 'c') {
      return text.startsWith("crash", from);
    }
    if (c == 'P') {
      return text.startsWith("PID", from) || text.startsWith("PANIC: ", from);
    }
    if (c == 'M') {
      return text.startsWith("MODULE", from)
          || text.startsWith("MACHINE: ", from)
          || text.startsWith("MEMORY: ", from);
    }
    // sys rows: the label ends in column 12 (give or take a quoting space)
    for (int k = SYS_COLON - 2; k <= SYS_COLON + 1 && k + 1 < text.length(); k++) {
      if (text.charAt(k) == ':' && text.charAt(k + 1) == ' ') {
        return true;
      }
    }
    return false;
  }

  private boolean isLogCommand() {
    String c = command;
    return c != null && (c.equals("log") || c.startsWith("log ") || c.startsWith("dmesg"));
  }

  /** {@code sys} rows: labels right-aligned so that the colon is in column 12. */
  private boolean sysField(String text, SourceSpan span) {
    int colon = text.indexOf(": ");
    if (colon < SYS_COLON - 2 || colon > SYS_COLON + 1) {
      return false;
    }
    String label = text.substring(0, colon).strip();
    if (!SYS_LABELS.contains(label)) {
      return false;
    }
    String value = text.substring(colon + 2).strip();
    if (label.equals("KERNEL") || label.equals("DUMPFILE")) {
      sawSysBlock = true;
    }
    if (!sawSysBlock && !label.equals("PANIC") && !label.equals("RELEASE")) {
      return false;
    }
    if (label.equals("PANIC")) {
      panicSpan = span;
    }
    sys.putIfAbsent(label, value);
    return true;
  }

  private boolean btLine(TaskBlock b, String t, SourceSpan span) {
    if (t.isEmpty()) {
      return false;
    }
    Matcher f = BT_FRAME.matcher(t);
    if (f.lookingAt()) {
      String off = f.group("off");
      b.frame(
          new Frame(
              f.group("func"),
              off == null ? null : hexOffset(off),
              null,
              f.group("mod"),
              Long.parseUnsignedLong(f.group("addr"), 16),
              true,
              span));
      return true;
    }
    if (BT_FRAME_SHAPE.matcher(t).lookingAt()) {
      // crash prints 64-bit addresses as 16 hex digits at most (x86_64.c): such a frame is not
      // crash output as printed; it is skipped, counted and said, and the task block goes on
      unreadFrames++;
      if (firstUnreadFrame == null) {
        firstUnreadFrame = span;
      }
      return true;
    }
    Matcher e = EXCEPTION.matcher(t);
    if (e.lookingAt()) {
      String what = e.group("what").strip();
      Matcher s = EXC_SYM.matcher(what);
      boolean user = what.equals("user space");
      if (!user && s.matches() && !what.startsWith("unknown") && !what.startsWith("no symbolic")) {
        String off = s.group("off");
        b.exception(
            new TraceBuilder.PendingException(
                s.group("func"),
                off == null ? null : hexOffset(off),
                s.group("mod"),
                null,
                false,
                span));
      } else {
        b.exception(new TraceBuilder.PendingException(null, null, null, null, user, span));
      }
      return true;
    }
    Matcher sw = STACK_SWITCH.matcher(t);
    if (sw.matches()) {
      b.flush(sw.group("name"));
      return true;
    }
    Map<String, Long> regs = RegisterLine.parse(t, 0);
    if (regs != null && b.pending == null && (regs.containsKey("RIP") || regs.containsKey("PC"))) {
      // a register block crash could not name: an exception frame of unknown location
      b.exception(new TraceBuilder.PendingException(null, null, null, null, false, span));
    }
    if (regs != null && b.pending != null) {
      TraceBuilder.PendingException p = b.pending;
      if (p.ip == null && (regs.containsKey("RIP") || regs.containsKey("PC"))) {
        Long ip = regs.containsKey("RIP") ? regs.get("RIP") : regs.get("PC");
        TraceBuilder.PendingException withIp =
            new TraceBuilder.PendingException(
                p.function, p.offset, p.module, ip, p.userMode, p.source);
        withIp.registers.putAll(p.registers);
        b.pending = withIp;
        p = withIp;
      }
      p.registers.putAll(regs);
      return true;
    }
    if (t.startsWith("WARNING: possibly bogus") || t.startsWith("bt: ")) {
      return true;
    }
    return false;
  }

  /** crash prints exception offsets in decimal; the model keeps {@code 0x…}. */
  static String hexOffset(String off) {
    if (off.startsWith("0x")) {
      return off.toLowerCase(Locale.ROOT);
    }
    return "0x" + Long.toHexString(Long.parseLong(off));
  }

  private void endBlock() {
    TaskBlock b = bt;
    if (b == null) {
      return;
    }
    bt = null;
    b.flush(null);
    if (b.segments.isEmpty() || cpus.containsKey(b.cpu)) {
      return;
    }
    cpus.put(
        b.cpu,
        new CpuState(
            b.cpu,
            b.pid,
            b.comm,
            b.task,
            RegisterSet.empty(),
            b.segments,
            b.panicking,
            SourceSpan.lines(b.start.path(), b.start.line(), b.lastLine)));
  }

  /** True when any {@code crash} output was recognised. */
  public boolean sawCrashOutput() {
    return crashLines > 0
        && (sawSysBlock
            || !cpus.isEmpty()
            || bt != null
            || !modules.isEmpty()
            || !running.isEmpty());
  }

  /** {@code bt} frame lines not read (a number wider than its type), 0 when none. */
  public int unreadFrames() {
    return unreadFrames;
  }

  /** Where the first {@code bt} frame line not read is, or null. */
  public @Nullable SourceSpan firstUnreadFrame() {
    return firstUnreadFrame;
  }

  /** Ends the input. */
  public void finish() {
    endBlock();
  }

  /** {@code sys} fields by label ({@code RELEASE}, {@code PANIC}, …). */
  public Map<String, String> sys() {
    return Map.copyOf(sys);
  }

  /** Per-CPU stacks from {@code bt}; the panic CPU is marked from {@code sys} or its frames. */
  public List<CpuState> cpus() {
    Integer panicCpu = null;
    String c = sys.get("CPU");
    if (c != null && c.matches("\\d{1,9}")) {
      panicCpu = Integer.valueOf(c);
    }
    List<CpuState> out = new ArrayList<>();
    Set<Integer> seen = new java.util.HashSet<>();
    for (CpuState s : cpus.values()) {
      boolean panic = panicCpu != null ? s.cpu() == panicCpu : s.panicCpu();
      out.add(
          new CpuState(
              s.cpu(),
              s.pid(),
              s.comm(),
              s.taskAddress(),
              s.registers(),
              s.segments(),
              panic,
              s.source()));
      seen.add(s.cpu());
    }
    for (RunningTask t : running) {
      if (seen.add(t.cpu())) {
        out.add(
            new CpuState(
                t.cpu(),
                t.pid(),
                t.comm(),
                t.task(),
                RegisterSet.empty(),
                List.of(),
                panicCpu != null && panicCpu == t.cpu(),
                null));
      }
    }
    out.sort((a, b) -> Integer.compare(a.cpu(), b.cpu()));
    return out;
  }

  /** Modules from {@code mod}. */
  public List<KernelModule> modules() {
    return List.copyOf(modules);
  }

  /** Tasks {@code ps} marks as running. */
  public List<RunningTask> running() {
    return List.copyOf(running);
  }

  /** The panic from {@code sys}, or null. */
  public @Nullable PanicInfo panic() {
    String msg = sys.get("PANIC");
    if (msg == null) {
      return null;
    }
    String m = msg;
    int q1 = m.indexOf('"');
    int q2 = m.lastIndexOf('"');
    if (q1 >= 0 && q2 > q1) {
      m = m.substring(q1 + 1, q2);
    }
    Integer cpu = parseInt(sys.get("CPU"));
    String comm = sys.get("COMMAND");
    if (comm != null) {
      comm = comm.replace("\"", "").strip();
    }
    return new PanicInfo(m, cpu, comm, parseInt(sys.get("PID")), panicSpan);
  }

  private static @Nullable Integer parseInt(@Nullable String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    return i == 0 || i > 9 ? null : Integer.valueOf(t.substring(0, i));
  }

  /** The dump file line says the dump is partial ({@code [PARTIAL DUMP]}, {@code [INCOMPLETE]}). */
  public @Nullable String dumpNote() {
    String d = sys.get("DUMPFILE");
    if (d == null) {
      return null;
    }
    int b = d.indexOf('[');
    return b >= 0 ? d.substring(b).strip() : null;
  }
}
