package org.ktriage.ingest.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.insn.CrashDisLine;
import org.ktriage.model.CpuState;
import org.ktriage.model.ExceptionFrame;
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
 * <p>A {@code bt} task block opens on {@code PID: <pid> TASK: <hex> CPU: <n> COMMAND: "<comm>"}
 * (crash x86_64.c) and is read by {@link CrashBacktrace} until a line that is not part of it.
 */
public final class CrashSessionParser implements Consumer<LogRecord> {
  /** Column of the colon in {@code sys} rows (labels right-aligned to 12 characters). */
  static final int SYS_COLON = 12;

  private static final Pattern PROMPT = Pattern.compile("crash(?:64)?> ?(?<cmd>.*)");
  static final Set<String> SYS_LABELS =
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
  static final String HEX64 = "[0-9a-f]{1,16}(?![0-9a-f])";
  private static final Pattern BT_HEADER =
      Pattern.compile(
          "PID: (?<pid>"
              + INT
              + ")\\s+TASK: (?<task>"
              + HEX64
              + ")\\s+CPU: (?<cpu>"
              + INT
              + ")\\s+COMMAND: \"(?<comm>.*)\"");
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

  /** {@code dis} lines (also quoted in prose), at most {@link #MAX_DIS_LINES}. */
  private final List<CrashDisLine> dis = new ArrayList<>();

  private static final int MAX_DIS_LINES = 4096;
  private @Nullable String command;
  private @Nullable CrashBacktrace bt;
  private boolean inMod;
  private boolean inPs;
  private boolean sawSysBlock;
  private int crashLines;
  private int unreadFrames;
  private @Nullable SourceSpan firstUnreadFrame;

  public CrashSessionParser(Consumer<LogRecord> logSink) {
    this.logSink = logSink;
  }

  @Override
  public void accept(LogRecord r) {
    String text = r.text();
    int from = ReportBuilder.firstNonSpace(text);
    if (bt == null && !inMod && !inPs && !isLogCommand() && !CrashShapes.mayStart(text, from)) {
      // cheap path for ordinary log lines: no crash command output can start this way
      logSink.accept(r);
      return;
    }
    String t = text.substring(from).stripTrailing();
    if (prompt(t)) {
      crashLines++;
      return;
    }
    if (isLogCommand()) {
      logSink.accept(r);
      return;
    }
    if (sysField(text, r.source())
        || backtrace(t, r.source())
        || moduleRow(t, r.source())
        || psRow(t)
        || disLine(t)) {
      crashLines++;
      return;
    }
    logSink.accept(r);
  }

  /** A {@code crash>} prompt: the command whose output follows. */
  private boolean prompt(String t) {
    Matcher pm = PROMPT.matcher(t);
    if (!t.startsWith("crash") || !pm.matches()) {
      return false;
    }
    endBlock();
    inMod = false;
    inPs = false;
    command = pm.group("cmd").strip();
    return true;
  }

  /** A {@code bt} header or a line of the backtrace it starts; any other line ends it. */
  private boolean backtrace(String t, SourceSpan source) {
    Matcher h = BT_HEADER.matcher(t);
    if (h.lookingAt()) {
      endBlock();
      bt =
          new CrashBacktrace(
              Integer.parseInt(h.group("pid")),
              Long.parseUnsignedLong(h.group("task"), 16),
              Integer.parseInt(h.group("cpu")),
              h.group("comm"),
              source);
      return true;
    }
    CrashBacktrace b = bt;
    if (b == null) {
      return false;
    }
    CrashBacktrace.Line line = b.read(t, source);
    if (line == CrashBacktrace.Line.OTHER) {
      endBlock();
      return false;
    }
    if (line == CrashBacktrace.Line.UNREAD_FRAME) {
      unreadFrames++;
      if (firstUnreadFrame == null) {
        firstUnreadFrame = source;
      }
    }
    b.lastLine = source.line();
    return true;
  }

  /** The {@code mod} table: its header, then a row per module. */
  private boolean moduleRow(String t, SourceSpan source) {
    if (MOD_HEADER.matcher(t).matches()) {
      inMod = true;
      return true;
    }
    if (!inMod) {
      return false;
    }
    Matcher m = MOD_ROW.matcher(t);
    if (!m.matches()) {
      inMod = false;
      return false;
    }
    String base = m.group("base");
    modules.add(
        new KernelModule(
            m.group("name"),
            "",
            base == null ? null : Long.parseUnsignedLong(base, 16),
            Long.parseLong(m.group("size")),
            source));
    return true;
  }

  /** The {@code ps} table: its header, then a row per task; the running ones are kept. */
  private boolean psRow(String t) {
    if (PS_HEADER.matcher(t).matches()) {
      inPs = true;
      return true;
    }
    if (!inPs) {
      return false;
    }
    Matcher m = PS_ROW.matcher(t);
    if (!m.matches()) {
      inPs = false;
      return false;
    }
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
    return true;
  }

  /** A line of {@code dis} output (kept up to {@link #MAX_DIS_LINES}). */
  private boolean disLine(String t) {
    if (!t.startsWith("0x") || dis.size() >= MAX_DIS_LINES) {
      return false;
    }
    CrashDisLine d = CrashDisLine.parse(t);
    if (d == null) {
      return false;
    }
    dis.add(d);
    return true;
  }

  /**
   * Whether a plain ASCII line (its prefixes read into {@code c}, {@code from} its text's first
   * non-blank) needs {@link #accept}: inside a {@code bt}, {@code mod}, {@code ps} or {@code log}
   * listing every line does; otherwise only one {@link CrashShapes#mayStart} lets through. When
   * false, {@link #accept} would only pass the line on to the log sink.
   */
  boolean wants(LineCursor c, int from) {
    return bt != null || inMod || inPs || isLogCommand() || CrashShapes.mayStart(c, from);
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

  private void endBlock() {
    CrashBacktrace b = bt;
    if (b == null) {
      return;
    }
    bt = null;
    CpuState state = b.cpuState();
    if (state != null) {
      cpus.putIfAbsent(state.cpu(), state);
    }
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
              withInstructions(s.segments()),
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

  /**
   * The segments with each exception frame given the instruction a {@code dis} line shows at its
   * RIP (or at its {@code func+off}): what an engineer reads with {@code dis -l <RIP>}.
   */
  private List<StackSegment> withInstructions(List<StackSegment> segments) {
    if (dis.isEmpty()) {
      return segments;
    }
    List<StackSegment> out = new ArrayList<>(segments.size());
    for (StackSegment s : segments) {
      ExceptionFrame e = s.exception();
      if (e != null && e.instruction() == null && !e.userMode()) {
        for (CrashDisLine d : dis) {
          if (d.isAt(e)) {
            e = e.withInstruction(d.resolve(e));
            break;
          }
        }
      }
      out.add(new StackSegment(s.context(), s.marker(), s.frames(), e));
    }
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
