package org.ktriage.ingest.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Frame;
import org.ktriage.model.KernelModule;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.kind.KernelMacros;

/**
 * Patterns for the lines inside a report (context line, RIP/pc lines, frames, stack markers, module
 * list), kept apart from the engine in {@link ReportBuilder}.
 */
final class ReportLine {
  private ReportLine() {}

  static final Pattern CPU_LINE =
      Pattern.compile("CPU: (?<cpu>\\d+) (?:UID: \\d+ )?PID: (?<pid>\\d+) Comm: (?<rest>.*)");
  static final Pattern OLD_PID_LINE = Pattern.compile("Pid: (?<pid>\\d+), comm: (?<rest>.*)");
  static final Pattern PROCESS_LINE =
      Pattern.compile("Process (?<comm>.{1,20}?) \\(pid: (?<pid>\\d+), ");
  static final Pattern RELEASE = Pattern.compile("\\d+\\.\\d+[\\w.+~-]*");
  static final Pattern DIE = KernelMacros.compile(ReportFormats.DIE_TEMPLATE);
  static final Pattern ARM_DIE =
      Pattern.compile("Internal error: (?<str>.*): (?<err>[0-9a-f]+) \\[#(?<n>\\d+)\\]");

  /** {@code RIP: 0010:sym+0x1/0x2 [mod]}, old bracketed forms, user {@code RIP: 0033:0x7f…}. */
  static final Pattern RIP =
      KernelMacros.compile(
          "(?:RIP|EIP): (?<cs>[0-9a-f]{4}):(?:\\[<(?<addr>[0-9a-f]+)>\\]\\s+(?:\\[<[0-9a-f]+>\\]\\s+)?)?"
              + "(?:(?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?"
              + "|0x(?<uaddr>[0-9a-f]+))?");

  /** v4.10–v4.15 {@code IP: sym+off/size}, older {@code IP: [<addr>] sym+off/size}. */
  static final Pattern IP =
      KernelMacros.compile(
          "IP: (?:\\[<(?<addr>[0-9a-f]+)>\\]\\s+)?(?:(?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+"
              + "(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?)?");

  /** Old trailer {@code RIP [<addr>] sym+off/size}. */
  static final Pattern RIP_TRAILER =
      KernelMacros.compile(
          "(?:RIP|EIP) +\\[<(?<addr>[0-9a-f]+)>\\] (?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+"
              + "(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?");

  /**
   * arm64 {@code pc : sym+off/size [mod]} or {@code pc : [<addr>] lr : …}; old {@code PC is at}.
   */
  static final Pattern ARM_PC =
      KernelMacros.compile(
          "(?:pc : |PC is at )(?:\\[<(?<addr>[0-9a-f]+)>\\]|(?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+"
              + "(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?|0x(?<uaddr>[0-9a-f]+))");

  static final Pattern NEW_FRAME =
      Pattern.compile(
          "(?<q>\\? )?(?<func>[^\\s+\\[\\]()<>]+)\\+(?<off>0x[0-9a-f]+)/(?<size>0x[0-9a-f]+)"
              + "(?: \\[(?<mod>[^\\]\\s]+)(?: [0-9a-f]+)?\\])?\\s*$");
  static final Pattern OLD_FRAME =
      Pattern.compile(
          "(?<q1>\\? )?\\[<(?<addr>[0-9a-f]+)>\\] (?<q>\\? )?(?<func>[^\\s+\\[\\]()<>]+)"
              + "(?:\\+(?<off>0x[0-9a-f]+)/(?<size>0x[0-9a-f]+))?(?: \\[(?<mod>[^\\]\\s]+)\\])?");
  static final Pattern ARM32_FRAME =
      Pattern.compile(
          "\\[<(?<addr>[0-9a-f]+)>\\] \\((?<func>[^+)\\s]+)(?:\\+(?<off>0x[0-9a-f]+)/(?<size>0x[0-9a-f]+))?"
              + "(?: \\[(?<mod>[^\\]\\s]+)\\])?\\)");
  static final Pattern ADDR_FRAME = Pattern.compile("(?<q>\\? )?0x(?<addr>[0-9a-f]+)\\s*$");
  static final Pattern MARKER =
      Pattern.compile("<(?<close>/)?(?<name>IRQ|NMI|TASK|SOFTIRQ|EOI|#[A-Z]{2,3})>\\s*(?<rest>.*)");
  static final Pattern LAST_UNLOADED =
      Pattern.compile("\\[last unloaded: (?<name>[^\\]()\\s]+)(?:\\([A-Z+-]+\\))?\\]");
  static final Pattern MODULE_TOKEN =
      Pattern.compile("(?<name>[\\w-]+)(?:\\((?<taint>[A-Z+-]+)\\))?");
  static final Pattern MODULE_CONT =
      Pattern.compile(
          "[\\w-]+(?:\\([A-Z+-]+\\))?(?: [\\w-]+(?:\\([A-Z+-]+\\))?)*(?: \\[last unloaded: [^\\]]*\\])?\\s*");

  /** Lines that belong to a report but carry no field we keep. */
  static final List<String> BODY_PREFIXES =
      List.of(
          "#PF: ",
          "#PF error",
          "PGD ",
          "P4D ",
          "PUD ",
          "PMD ",
          "PTE ",
          "Mem abort info:",
          "ESR = ",
          "EC = ",
          "SET = ",
          "FnV = ",
          "EA = ",
          "FSC = ",
          "Data abort info:",
          "ISV = ",
          "CM = ",
          "ISS",
          "user pgtable:",
          "swapper pgtable:",
          "[0",
          "Stack:",
          "task: ",
          "Dumping ftrace buffer",
          "(ftrace buffer empty)",
          "---------------",
          "Kernel Offset:",
          "Tainted: [",
          "Call Trace",
          "Call trace",
          "stack backtrace:",
          "irq event stamp:",
          "hardirqs last",
          "softirqs last",
          "lr : ",
          "LR is at",
          "sp : ",
          "pstate:",
          "note: ",
          "Read of size",
          "Write of size",
          "Freed by task",
          "Allocated by task",
          "The buggy address",
          "Memory state around",
          "page:",
          "flags:",
          "raw: ",
          "page dumped because",
          "Disabling lock",
          "other info that",
          "Possible unsafe",
          "*** DEADLOCK",
          "the existing dependency",
          "which lock already depends",
          "Chain exists of",
          "lock(",
          "-> #",
          "Mem-Info:",
          "Node ",
          "Free swap",
          "Total swap",
          "pages RAM",
          "pages reserved",
          "Tasks state",
          "[  pid  ]",
          "oom-kill:",
          "oom_reaper:",
          "Sending NMI",
          "NMI backtrace",
          "rcu: ",
          "\t",
          "(detected by",
          "(t=",
          "task:",
          "\"echo 0 >",
          "Showing all locks",
          "INFO: lockdep",
          "Not tainted",
          "Tainted: ",
          "RSP <",
          "PANIC: ",
          "Code: ",
          "Exception stack",
          "Backtrace:",
          "Process ",
          "Pid: ",
          "preempt_count",
          "in_atomic()",
          "Preemption disabled",
          "Modules linked in",
          "Hardware name",
          "CPU: ",
          "Workqueue: ",
          "BUG: ",
          "INFO: ",
          "WARNING: ",
          "Kernel panic",
          "---[ end",
          "------------[ cut here",
          "=====");

  static boolean isBody(String text, int from) {
    for (String p : BODY_PREFIXES) {
      if (text.startsWith(p, from)) {
        return true;
      }
    }
    return false;
  }

  /** A frame parsed from a trace line, or null. */
  static @Nullable Frame frame(String text, int from, SourceSpan span) {
    String t = text.substring(from).stripTrailing();
    if (t.startsWith("__pfx_")) {
      return null;
    }
    Matcher m = NEW_FRAME.matcher(t);
    if (m.matches()) {
      if (m.group("func").startsWith("__pfx_")) {
        return null;
      }
      return new Frame(
          m.group("func"),
          m.group("off"),
          m.group("size"),
          m.group("mod"),
          null,
          m.group("q") == null,
          span);
    }
    if (t.startsWith("[<") || t.startsWith("? [<")) {
      Matcher a = ARM32_FRAME.matcher(t);
      if (a.lookingAt()) {
        return new Frame(
            a.group("func"),
            a.group("off"),
            a.group("size"),
            a.group("mod"),
            Long.parseUnsignedLong(a.group("addr"), 16),
            true,
            span);
      }
      Matcher o = OLD_FRAME.matcher(t);
      if (o.lookingAt()) {
        return new Frame(
            o.group("func"),
            o.group("off"),
            o.group("size"),
            o.group("mod"),
            Long.parseUnsignedLong(o.group("addr"), 16),
            o.group("q") == null && o.group("q1") == null,
            span);
      }
    }
    Matcher ad = ADDR_FRAME.matcher(t);
    if (ad.matches()) {
      String hex = ad.group("addr");
      Long addr = hex.length() <= 16 ? Long.parseUnsignedLong(hex, 16) : null;
      return new Frame("0x" + hex, null, null, null, addr, ad.group("q") == null, span);
    }
    return null;
  }

  /** Modules from a {@code Modules linked in:} line or its continuation. */
  static List<KernelModule> modules(String list, SourceSpan span) {
    List<KernelModule> out = new ArrayList<>();
    String body = LAST_UNLOADED.matcher(list).replaceAll(" ");
    for (String tok : body.trim().split("\\s+", -1)) {
      if (tok.isEmpty()) {
        continue;
      }
      Matcher m = MODULE_TOKEN.matcher(tok);
      if (m.matches()) {
        String taint = m.group("taint");
        out.add(new KernelModule(m.group("name"), taint == null ? "" : taint, null, null, span));
      }
    }
    return out;
  }

  static @Nullable String lastUnloaded(String list) {
    Matcher m = LAST_UNLOADED.matcher(list);
    return m.find() ? m.group("name") : null;
  }

  static @Nullable Long hex(@Nullable String s) {
    if (s == null) {
      return null;
    }
    String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    if (h.isEmpty() || h.length() > 16) {
      return null;
    }
    try {
      return Long.parseUnsignedLong(h, 16);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
