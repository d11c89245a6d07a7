package org.ktriage.ingest.text;

import java.util.Map;
import java.util.regex.Matcher;
import org.ktriage.model.ContextKind;
import org.ktriage.model.Frame;
import org.ktriage.model.SourceSpan;

/**
 * The lines of a report outside its call trace that carry fields: the trace heading, the task line
 * and its older spellings, taint, hardware, workqueue, modules, {@code Code:}, program-counter and
 * register lines, the die header. Each reader fills {@link ReportBuilder}'s fields and says whether
 * the line was one of its kind.
 */
final class ReportFields {
  private ReportFields() {}

  /** Lines outside the trace that carry fields. */
  static boolean read(ReportBuilder b, String text, int from, SourceSpan span) {
    return heading(b, text, from, span)
        || taskLine(b, text, from)
        || describing(b, text, from, span)
        || programCounterOrRegisters(b, text, from, span)
        || dieHeader(b, text, from);
  }

  private static boolean heading(ReportBuilder b, String text, int from, SourceSpan span) {
    if (!text.startsWith("Call Trace:", from)
        && !text.startsWith("Call trace:", from)
        && !text.startsWith("Backtrace:", from)) {
      return false;
    }
    if (b.traceState == ReportBuilder.TraceState.NONE || !b.hasTrace()) {
      // a heading after a heading with no frame: the first print was cut (a lockup's NMI
      // backtrace interrupting show_stack(), a paste that dropped the frames) and the trace
      // starts again
      TraceBuilder trace =
          new TraceBuilder(
              text.startsWith("Call Trace:", from) ? ContextKind.TASK : ContextKind.UNKNOWN);
      b.trace = trace;
      b.traceState = ReportBuilder.TraceState.IN;
      String rest = text.substring(from + text.substring(from).indexOf(':') + 1).strip();
      if (!rest.isEmpty()) {
        Frame f = ReportLine.frame(rest, 0, span);
        if (f != null) {
          trace.frame(f);
        }
      }
    } else {
      b.secondaryTrace = true;
    }
    b.modulesOpen = false;
    b.tentative = false;
    return true;
  }

  /**
   * The task line ({@code CPU: … PID: …}) and its older spellings ({@code Pid:}, {@code Process}).
   */
  private static boolean taskLine(ReportBuilder b, String text, int from) {
    char c = from < text.length() ? text.charAt(from) : '\0';
    if (c == 'C' && text.startsWith("CPU: ", from)) {
      Matcher m = ReportLine.CPU_LINE.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        if (b.cpu == null) {
          b.cpu = Integer.valueOf(m.group("cpu"));
          b.pid = Integer.valueOf(m.group("pid"));
          contextTail(b, m.group("rest"), true);
        }
        b.modulesOpen = false;
        b.tentative = false;
        return true;
      }
    }
    if (c == 'P' && text.startsWith("Pid: ", from)) {
      Matcher m = ReportLine.OLD_PID_LINE.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        if (b.pid == null) {
          b.pid = Integer.valueOf(m.group("pid"));
          contextTail(b, m.group("rest"), true);
        }
        b.tentative = false;
        return true;
      }
    }
    if (c == 'P' && text.startsWith("Process ", from)) {
      Matcher m = ReportLine.PROCESS_LINE.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        if (b.pid == null) {
          b.pid = Integer.valueOf(m.group("pid"));
        }
        if (b.comm == null) {
          b.comm = m.group("comm");
        }
        return true;
      }
    }
    return false;
  }

  /** Taint, hardware name, workqueue, module list and {@code Code:} lines. */
  private static boolean describing(ReportBuilder b, String text, int from, SourceSpan span) {
    char c = from < text.length() ? text.charAt(from) : '\0';
    if ((c == 'N' && text.startsWith("Not tainted ", from))
        || (c == 'T'
            && text.startsWith("Tainted: ", from)
            && !text.startsWith("Tainted: [", from))) {
      if (b.taint == null) {
        contextTail(b, text.substring(from), false);
      }
      return true;
    }
    if (c == 'H' && text.startsWith("Hardware name: ", from)) {
      if (b.hardware == null) {
        b.hardware = text.substring(from + 15).strip();
      }
      b.modulesOpen = false;
      return true;
    }
    if (c == 'W' && text.startsWith("Workqueue: ", from)) {
      if (b.workqueue == null) {
        b.workqueue = text.substring(from + 11).strip();
      }
      return true;
    }
    if (c == 'M' && text.startsWith("Modules linked in:", from)) {
      String list = text.substring(from + 18);
      if (b.modules.isEmpty()) {
        b.modules.addAll(ReportLine.modules(list, span));
        b.modulesOpen = true;
      }
      String lu = ReportLine.lastUnloaded(list);
      if (lu != null && b.lastUnloaded == null) {
        b.lastUnloaded = lu;
      }
      return true;
    }
    if (c == 'C' && text.startsWith("Code: ", from)) {
      if (b.code == null) {
        b.code = text.substring(from + 6).strip();
      }
      return true;
    }
    return false;
  }

  private static boolean programCounterOrRegisters(
      ReportBuilder b, String text, int from, SourceSpan span) {
    ProgramCounterLine.Read pc = ProgramCounterLine.read(text, from, span, b.ip);
    if (pc != null) {
      b.ip = pc.ip();
      if (pc.confirms()) {
        b.tentative = false;
      }
      return true;
    }
    Map<String, Long> regs = RegisterLine.parse(text, from);
    if (regs == null) {
      return false;
    }
    if (b.traceState == ReportBuilder.TraceState.DONE) {
      // the trailing "CR2:" line printed after the trace is the saved fault address
      if (!b.headerAddress && regs.containsKey("CR2") && b.pageFault()) {
        b.faultAddress = regs.get("CR2");
      }
      return true;
    }
    TraceBuilder.PendingException ip = b.ip;
    if (ip != null) {
      ip.registers.putAll(regs);
    } else if (regs.containsKey("CR2") || regs.containsKey("PSTATE") || regs.containsKey("SP")) {
      ip = new TraceBuilder.PendingException(null, null, null, null, false, span);
      ip.registers.putAll(regs);
      b.ip = ip;
    }
    if (b.faultAddress == null && regs.containsKey("CR2") && !b.endTrace && b.pageFault()) {
      b.faultAddress = regs.get("CR2");
    }
    return true;
  }

  private static boolean dieHeader(ReportBuilder b, String text, int from) {
    if (text.startsWith("Oops", from)
        || text.startsWith("Internal error: ", from)
        || ReportLine.DIE.matcher(text).region(from, text.length()).lookingAt()) {
      if (b.dieHeader == null) {
        b.die(text.substring(from).strip());
      }
      if (b.dieHeader != null) {
        b.tentative = false;
        return true;
      }
    }
    return false;
  }

  /** Takes the task line's tail ({@link TaskLine}): each field only while not yet known. */
  private static void contextTail(ReportBuilder b, String rest, boolean hasComm) {
    TaskLine.Tail t = TaskLine.read(rest, hasComm);
    if (t.taint() != null) {
      b.taint = t.taint();
    }
    if (hasComm && b.comm == null) {
      b.comm = t.comm();
    }
    if (b.release == null && t.release() != null) {
      b.release = t.release();
    }
  }
}
