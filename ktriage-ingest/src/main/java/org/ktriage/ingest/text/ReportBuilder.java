package org.ktriage.ingest.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.insn.FaultingInstructions;
import org.ktriage.model.ContextKind;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Frame;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.Taint;
import org.ktriage.model.kind.ReportKind;
import org.ktriage.model.kind.ReportRole;

/** Collects the lines and fields of one report while {@link OopsParser} feeds it. */
final class ReportBuilder {
  enum TraceState {
    NONE,
    IN,
    DONE
  }

  /** What one line did to the report. */
  enum Outcome {
    /** Part of the report (kept). */
    TAKEN,
    /** Not part of the report; the report stays open (before its trace). */
    GAP,
    /** Not part of the report, which is now over. */
    ENDED
  }

  static final int MAX_LINES = org.ktriage.ingest.bin.ReadLimits.LINES_PER_REPORT;
  static final int MAX_GAP = 60;

  /** Other messages in a row a call trace may hold between two of its frames. */
  static final int MAX_FOREIGN = 2;

  private static final java.util.regex.Pattern GP_ADDRESS =
      java.util.regex.Pattern.compile("address (0x[0-9a-f]+)");

  final ReportKind rule;
  final String headline;
  final @Nullable String caller;
  long startSeq;
  boolean tentative;
  final boolean delimited;
  boolean delimiterClosed;
  boolean endTrace;
  boolean endPanic;
  final List<LogRecord> lines = new ArrayList<>();
  int lastTaken;
  int gap;
  boolean oomKilled;
  boolean complete = true;

  /** The report reached {@link #MAX_LINES}; its later lines were not kept (said as a problem). */
  boolean capped;

  @Nullable String dieHeader;
  @Nullable String dieKind;
  @Nullable Integer dieCounter;
  @Nullable Long faultAddress;
  boolean headerAddress;
  @Nullable Integer cpu;
  @Nullable Integer pid;
  @Nullable String comm;
  @Nullable Taint taint;
  @Nullable String release;
  @Nullable String hardware;
  @Nullable String workqueue;
  TraceBuilder.@Nullable PendingException ip;
  @Nullable String code;
  @Nullable TraceBuilder trace;
  TraceState traceState = TraceState.NONE;
  boolean secondaryTrace;
  final List<KernelModule> modules = new ArrayList<>();
  boolean modulesOpen;
  @Nullable String lastUnloaded;
  @Nullable String panicMessage;

  /** Other subsystems' lines read in a row since the trace's last line ({@link #MAX_FOREIGN}). */
  int foreign;

  ReportBuilder(ReportKind rule, Matcher header, LogRecord first, @Nullable LogRecord cut) {
    this.rule = rule;
    this.headline = first.text().strip();
    this.caller = first.callerId();
    this.startSeq = first.seq();
    this.tentative = rule.role() == ReportRole.TENTATIVE;
    this.delimited = rule.role() == ReportRole.DELIMITED;
    if (cut != null) {
      lines.add(cut);
    }
    lines.add(first);
    lastTaken = lines.size();
    if (header.pattern().pattern().contains("(?<addr>")) {
      String a = header.group("addr");
      if (a != null) {
        faultAddress = a.contains("null") ? Long.valueOf(0) : ReportLine.hex(a.trim());
        headerAddress = faultAddress != null;
      }
    }
    if (rule.role() == ReportRole.DIE) {
      die(first.text().strip());
    }
    if (rule.role() == ReportRole.PANIC) {
      panicMessage = header.group("msg");
    }
  }

  /** The program-counter lines that open a report without header (x86, powerpc, s390, others). */
  static final List<String> TRACE_ONLY_PC =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of("RIP: ", "EIP: ", "NIP [", "Krnl PSW : "),
              ReportLine.PC_PREFIXES.stream())
          .toList();

  /**
   * The first characters of {@link #TRACE_ONLY_PC}: one lookup rules out most lines of a long log
   * before any prefix is compared.
   */
  private static final String TRACE_ONLY_PC_FIRST =
      TRACE_ONLY_PC.stream()
          .map(p -> p.substring(0, 1))
          .distinct()
          .collect(java.util.stream.Collectors.joining());

  /**
   * Removes and returns the run of fault-information lines ({@link ReportLine#FAULT_INFO}) this
   * report ends with: the start of a fault whose message line was lost, printed after this report
   * (a WARN's body cut by a fault inside its own printing).
   */
  List<LogRecord> takeTrailingFaultInfo() {
    int i = lines.size();
    while (i > 1 && i > lines.size() - ReportLine.FAULT_INFO_MAX) {
      String t = lines.get(i - 1).text();
      int from = firstNonSpace(t);
      if (!ReportLine.FAULT_INFO.matcher(t).region(from, t.length()).lookingAt()) {
        break;
      }
      i--;
    }
    List<LogRecord> run = new ArrayList<>(lines.subList(i, lines.size()));
    lines.subList(i, lines.size()).clear();
    lastTaken = Math.min(lastTaken, lines.size());
    return run;
  }

  /** Puts lines the kernel printed for this report before its first line at its start. */
  void precededBy(List<LogRecord> before) {
    if (before.isEmpty()) {
      return;
    }
    lines.addAll(0, before);
    lastTaken = lines.size();
    startSeq = Math.min(startSeq, before.get(0).seq());
  }

  /**
   * A report without header opened by {@code first}, or null when the line is neither a call trace
   * heading, a frame nor a program-counter line.
   */
  static @Nullable ReportBuilder traceOnly(LogRecord first) {
    String text = first.text();
    int from = firstNonSpace(text);
    boolean heading =
        text.startsWith("Call Trace:", from)
            || text.startsWith("Call trace:", from)
            || text.startsWith("Backtrace:", from);
    Frame f = heading ? null : ReportLine.frame(text, from, first.source());
    boolean pcLine =
        !heading
            && f == null
            && from < text.length()
            && TRACE_ONLY_PC_FIRST.indexOf(text.charAt(from)) >= 0
            && ProgramCounterLine.startsWithAny(text, from, TRACE_ONLY_PC);
    if (!heading
        && !pcLine
        && (f == null
            || (f.address() != null && f.offset() == null && f.function().startsWith("0x")))) {
      return null;
    }
    ReportKind rule = ReportFormats.TRACE_ONLY;
    ReportBuilder b = new ReportBuilder(rule, rule.pattern().matcher(""), first, null);
    if (f != null) {
      b.trace = new TraceBuilder(ContextKind.UNKNOWN);
      b.traceState = TraceState.IN;
      b.trace.frame(f);
    } else {
      ReportFields.read(b, text, from, first.source());
    }
    return b;
  }

  /** Frames read so far, in every segment of the trace. */
  int frameCount() {
    if (trace == null) {
      return 0;
    }
    return trace.frameCount();
  }

  /** True once the report shows a body: context line, registers, trace or die header. */
  boolean hasBody() {
    return cpu != null
        || pid != null
        || taint != null
        || ip != null
        || dieHeader != null
        || traceState != TraceState.NONE;
  }

  /** CR2 holds this report's fault address only for page faults ({@code Oops:} die header). */
  boolean pageFault() {
    String f = rule.family();
    return f.equals("page-fault") || f.equals("null-deref") || "Oops".equals(dieKind);
  }

  boolean hasTrace() {
    return trace != null && !trace.isEmpty();
  }

  void die(String text) {
    Matcher m = ReportLine.DIE.matcher(text);
    Matcher a = ReportLine.ARM_DIE.matcher(text);
    if (m.lookingAt()) {
      dieHeader = text;
      dieKind = m.group("str");
      String n = m.group("n");
      dieCounter = n == null ? null : Integer.valueOf(n);
      Matcher gp = GP_ADDRESS.matcher(dieKind);
      if (faultAddress == null && gp.find()) {
        faultAddress = ReportLine.hex(gp.group(1));
        headerAddress = faultAddress != null;
      }
    } else if (a.lookingAt()) {
      dieHeader = text;
      dieCounter = Integer.valueOf(a.group("n"));
    }
  }

  void take(LogRecord r) {
    lines.add(r);
    lastTaken = lines.size();
    gap = 0;
  }

  /** Feeds one line that is not a new report header. */
  Outcome accept(LogRecord r) {
    String text = r.text();
    int from = firstNonSpace(text);
    SourceSpan span = r.source();
    if (lines.size() >= MAX_LINES) {
      capped = true;
      return Outcome.ENDED;
    }
    Outcome end = endMarker(r, text, from);
    if (end != null) {
      return end;
    }
    boolean traceOpen = traceState == TraceState.IN && !secondaryTrace;
    if (traceState == TraceState.IN || secondaryTrace) {
      if (ReportTraceLines.read(this, text, from, span)) {
        foreign = 0;
        take(r);
        return Outcome.TAKEN;
      }
      finishTrace();
    }
    if (endTrace) {
      return afterEndTrace(r, text, from, span);
    }
    if (ReportTraceLines.wrappedProgramCounter(this, text, from)) {
      take(r);
      return Outcome.TAKEN;
    }
    if (ReportFields.read(this, text, from, span)) {
      take(r);
      return Outcome.TAKEN;
    }
    if (modulesOpen && ReportLine.MODULE_CONT.matcher(text.substring(from)).matches()) {
      modules.addAll(ReportLine.modules(text.substring(from), span));
      String lu = ReportLine.lastUnloaded(text);
      if (lu != null) {
        lastUnloaded = lu;
      }
      take(r);
      return Outcome.TAKEN;
    }
    modulesOpen = false;
    if (delimited) {
      take(r);
      return Outcome.TAKEN;
    }
    return outsideFields(r, text, from, span, traceOpen);
  }

  /** The end markers: {@code ---[ end trace}, {@code ---[ end Kernel panic}, a closing rule. */
  private @Nullable Outcome endMarker(LogRecord r, String text, int from) {
    if (text.startsWith("---[ end trace", from)) {
      finishTrace();
      endTrace = true;
      take(r);
      return Outcome.TAKEN;
    }
    if (text.startsWith("---[ end Kernel panic", from)) {
      finishTrace();
      endPanic = true;
      take(r);
      return Outcome.ENDED;
    }
    if (delimited && text.startsWith("=====", from)) {
      take(r);
      delimiterClosed = true;
      return Outcome.ENDED;
    }
    return null;
  }

  /**
   * After "---[ end trace": the register block printed again, Code:, the panic; no new fields
   * except the faulting RIP when the report showed none (its head was not captured).
   */
  private Outcome afterEndTrace(LogRecord r, String text, int from, SourceSpan span) {
    if (ip == null && text.startsWith("RIP: ", from)) {
      ip = ProgramCounterLine.rip(text, from, span);
    }
    if (RegisterLine.parse(text, from) != null
        || text.startsWith("RIP: ", from)
        || ReportLine.isBody(text, from)) {
      take(r);
      return Outcome.TAKEN;
    }
    return Outcome.ENDED;
  }

  /**
   * A line that is neither a trace line nor a field: another message inside the trace, the first
   * frame of a trace without heading, a body line, or a gap.
   */
  private Outcome outsideFields(
      LogRecord r, String text, int from, SourceSpan span, boolean traceOpen) {
    if (traceState == TraceState.DONE) {
      if (traceOpen
          && foreign < MAX_FOREIGN
          && ReportLine.FOREIGN_PRINTK.matcher(text).region(from, text.length()).matches()) {
        // another CPU's or an interrupt's message between two frames: the trace may go on
        foreign++;
        traceState = TraceState.IN;
        gap++;
        lines.add(r);
        return Outcome.GAP;
      }
      return Outcome.ENDED;
    }
    if (traceState == TraceState.NONE && hasBody() && !ReportLine.isBody(text, from)) {
      // a trace whose heading the paste dropped, its frames cut down to the function names
      Frame bare = ReportLine.bareNameFrame(text, from, span);
      if (bare != null) {
        trace = new TraceBuilder(ContextKind.UNKNOWN);
        traceState = TraceState.IN;
        trace.frame(bare);
        take(r);
        return Outcome.TAKEN;
      }
    }
    if (traceState == TraceState.NONE
        && ((hasBody() && text.indexOf(") from [<", from) > 0)
            || (text.startsWith("[<", from)
                && ReportLine.ARM32_FRAME.matcher(text).region(from, text.length()).lookingAt()))) {
      // arm32's unwinder prints its frames with no heading ("[<pc>] (f) from [<lr>] (g+0x1/0x2)",
      // dump_backtrace_entry() in arch/arm/kernel/traps.c; only the frame-pointer unwinder
      // prints "Backtrace:"), as under a hung task's sched_show_task(); before v3.x each entry
      // was "[<pc>] (f+0x1/0x2)" alone. The "[<pc>] (" form is arm32's own, so it opens a trace
      // even where the report printed no context line (__might_sleep(), spin_dump())
      Frame f = ReportLine.frame(text, from, span);
      if (f != null) {
        trace = new TraceBuilder(ContextKind.UNKNOWN);
        traceState = TraceState.IN;
        trace.frame(f);
        take(r);
        return Outcome.TAKEN;
      }
    }
    if (ReportLine.isBody(text, from)) {
      take(r);
      return Outcome.TAKEN;
    }
    gap++;
    lines.add(r);
    if (gap > MAX_GAP) {
      return Outcome.ENDED;
    }
    return Outcome.GAP;
  }

  private void finishTrace() {
    if (traceState == TraceState.IN) {
      traceState = TraceState.DONE;
    }
    secondaryTrace = false;
  }

  static int firstNonSpace(String s) {
    return firstNonSpace(s, 0);
  }

  static int firstNonSpace(String s, int from) {
    int i = from;
    int n = s.length();
    // a tab is a blank: reports pasted into tickets and commit messages are often tab-indented
    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** Drops the unrecognized lines after the last line taken. */
  void trimGap() {
    while (lines.size() > lastTaken) {
      lines.remove(lines.size() - 1);
    }
  }

  Oops build(int index, boolean complete) {
    trimGap();
    LogRecord first = lines.get(0);
    LogRecord last = lines.get(lines.size() - 1);
    SourceSpan span =
        SourceSpan.lines(first.source().path(), first.source().line(), last.source().line());
    TraceBuilder.PendingException site =
        ip == null ? ProgramCounterLine.warnSite(rule, headline, first.source()) : ip;
    ExceptionFrame ipFrame = site == null ? null : site.build();
    return Oops.builder(index, headline, span)
        .dieHeader(dieHeader)
        .dieCounter(dieCounter)
        .faultAddress(faultAddress)
        .cpu(cpu)
        .pid(pid)
        .comm(comm)
        .taint(taint)
        .release(release)
        .hardware(hardware)
        .workqueue(workqueue)
        .ip(ipFrame)
        .code(code)
        .trace(trace == null ? List.of() : trace.build())
        .modules(modules)
        .lastUnloaded(lastUnloaded)
        .panicMessage(panicMessage)
        .complete(complete)
        .lines(lines)
        .faultingInstruction(FaultingInstructions.fromCodeLine(code, ipFrame, faultAddress))
        .build();
  }
}
