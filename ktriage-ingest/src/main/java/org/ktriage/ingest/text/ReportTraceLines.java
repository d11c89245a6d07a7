package org.ktriage.ingest.text;

import java.util.Map;
import java.util.regex.Matcher;
import org.ktriage.model.Frame;
import org.ktriage.model.SourceSpan;

/**
 * The lines a call trace holds while it is open: frames, {@code <IRQ>}-style markers, the nested
 * exception's program counter and registers, {@code Code:}, powerpc's interrupt frames; and the
 * function a wrapped program-counter line left for the next line.
 */
final class ReportTraceLines {
  private ReportTraceLines() {}

  /**
   * True when the line belongs to the open trace (a secondary trace's lines are read, not kept).
   */
  static boolean read(ReportBuilder b, String text, int from, SourceSpan span) {
    TraceBuilder tb = b.secondaryTrace ? null : b.trace;
    if (text.startsWith("<", from)) {
      Matcher m = ReportLine.MARKER.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        if (tb != null) {
          tb.marker(m.group("name"), m.group("close") != null);
        }
        String rest = m.group("rest");
        if (!rest.isEmpty()) {
          Frame f = ReportLine.frame(rest, 0, span);
          if (f != null && tb != null) {
            tb.frame(f);
          }
        }
        return true;
      }
    }
    Frame f = ReportLine.frame(text, from, span);
    if (f == null) {
      f = ReportLine.bareNameFrame(text, from, span);
    }
    if (f != null) {
      if (tb != null) {
        tb.frame(f);
      }
      return true;
    }
    return exceptionLine(b, tb, text, from, span)
        || ReportLine.traceExtra(text, from)
        || (tb != null && wrappedFrameModule(b, tb, text, from));
  }

  /**
   * A frame's {@code [mod]} that a console or a mail wrapped to the next line: %pS prints a module
   * symbol as {@code f+0xoff/0xsize [mod]} (kernel/kallsyms.c __sprint_symbol()), and a wrap at a
   * fixed width can leave the module alone on the next line. Only right after the frame it ends.
   */
  private static boolean wrappedFrameModule(
      ReportBuilder b, TraceBuilder tb, String text, int from) {
    Matcher m = ReportLine.WRAPPED_MODULE.matcher(text);
    m.region(from, text.length());
    return m.matches()
        && b.lastTaken == b.lines.size()
        && !b.lines.isEmpty()
        && tb.moduleOfLastFrame(m.group("mod"), b.lines.get(b.lines.size() - 1).source());
  }

  /** A nested exception's lines inside the trace: program counter, registers, Code:, ppc frames. */
  private static boolean exceptionLine(
      ReportBuilder b,
      @org.jspecify.annotations.Nullable TraceBuilder tb,
      String text,
      int from,
      SourceSpan span) {
    if (text.startsWith("RIP: ", from) || text.startsWith("EIP: ", from)) {
      TraceBuilder.PendingException e = ProgramCounterLine.rip(text, from, span);
      if (e != null) {
        if (tb != null) {
          tb.exception(e);
        }
        return true;
      }
    }
    Map<String, Long> regs = RegisterLine.parse(text, from);
    if (regs != null) {
      if (tb != null) {
        tb.registers(regs);
      }
      return true;
    }
    if (text.startsWith("Code: ", from)) {
      // arm64 __die() prints the trace (show_regs) before dump_kernel_instr()'s "Code: … (word)";
      // an x86 Code: line inside a trace belongs to a nested exception frame, not the report
      if (b.code == null && text.indexOf('(', from) > 0) {
        b.code = text.substring(from + 6).strip();
      }
      return true;
    }
    if (text.startsWith("--- interrupt: ", from)) {
      Matcher m = ReportLine.PPC_INTERRUPT.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        if (tb != null) {
          tb.exception(ProgramCounterLine.pending(m, span, false, null));
        }
        return true;
      }
    }
    return false;
  }

  /**
   * Names the function of a program-counter line that left it out because the line was wrapped:
   * only on the line right after it, only before the trace.
   */
  static boolean wrappedProgramCounter(ReportBuilder b, String text, int from) {
    TraceBuilder.PendingException e = b.ip;
    if (e != null && e.function != null && e.module == null && e.offset != null) {
      return wrappedProgramCounterModule(b, e, text, from);
    }
    if (e == null
        || e.function != null
        || e.userMode
        || e.source == null
        || b.traceState != ReportBuilder.TraceState.NONE
        || b.lastTaken != b.lines.size()
        || !e.source.equals(b.lines.get(b.lines.size() - 1).source())) {
      return false;
    }
    Matcher m = ReportLine.WRAPPED_PC.matcher(text);
    m.region(from, text.length());
    if (!m.matches()) {
      return false;
    }
    TraceBuilder.PendingException named =
        new TraceBuilder.PendingException(
            m.group("func"), m.group("off"), m.group("mod"), e.ip, false, e.source);
    named.registers.putAll(e.registers);
    b.ip = named;
    return true;
  }

  /**
   * The {@code [mod]} of a program-counter line ({@code RIP: 0010:f+0xoff/0xsize [mod]}) that a
   * console or a mail wrapped to the next line, as {@link #wrappedFrameModule} for a frame.
   */
  private static boolean wrappedProgramCounterModule(
      ReportBuilder b, TraceBuilder.PendingException e, String text, int from) {
    if (e.userMode
        || e.source == null
        || b.traceState != ReportBuilder.TraceState.NONE
        || b.lastTaken != b.lines.size()
        || b.lines.isEmpty()
        || !e.source.equals(b.lines.get(b.lines.size() - 1).source())) {
      return false;
    }
    Matcher m = ReportLine.WRAPPED_MODULE.matcher(text);
    m.region(from, text.length());
    if (!m.matches()) {
      return false;
    }
    TraceBuilder.PendingException named =
        new TraceBuilder.PendingException(
            e.function, e.offset, m.group("mod"), e.ip, false, e.source);
    named.registers.putAll(e.registers);
    b.ip = named;
    return true;
  }
}
