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

  /**
   * Old trailer {@code RIP [<addr>] sym+off/size}; i386 before v4.x {@code EIP: [<addr>]
   * sym+off/size SS:ESP …} (arch/x86/kernel/dumpstack_32.c die()).
   */
  static final Pattern RIP_TRAILER =
      KernelMacros.compile(
          "(?:RIP|EIP):? +\\[<(?<addr>[0-9a-f]+)>\\] (?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+"
              + "(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?");

  /** The site a WARN() header names; see ReportBuilder#warnSite. */
  static final Pattern WARN_SITE =
      KernelMacros.compile(
          "^WARNING: (?:CPU: \\d+ PID: \\d+ )?at \\S+:\\d+ (?:0x[0-9a-f]+ )?(?<func>{{SYM}})"
              + "(?:\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+)?(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?(?:\\(\\)|\\s|$)");

  /** {@code BUG: failure at kernel/irq_work.c:135/irq_work_run_list()!} (asm-generic/bug.h). */
  static final Pattern GENERIC_BUG_SITE =
      KernelMacros.compile("^BUG: failure at \\S+:\\d+/(?<func>{{SYM}})\\(\\)!");

  /** i386 before v4.x: {@code EIP is at sym+off/size} (arch/x86/kernel/process_32.c). */
  static final Pattern EIP_IS_AT =
      KernelMacros.compile(
          "EIP is at (?:(?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+"
              + "(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?|0x(?<uaddr>[0-9a-f]+))");

  /**
   * The faulting program counter outside x86, each from its arch's show_regs(): arm64 {@code pc :
   * sym+off/size [mod]} or {@code pc : [<addr>] lr : …}, arm32 {@code PC is at sym+off/size}, riscv
   * {@code epc : sym+off/size} (v5.x+) or {@code sepc: addr ra : …} (v4.x, v5.0); a function name
   * alone where a paste cut the offsets.
   */
  static final Pattern ARM_PC =
      KernelMacros.compile(
          "(?:pc : |PC is at |epc : |sepc: )(?:\\[<(?<addr>[0-9a-f]+)>\\]|(?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+"
              + "(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?|(?:0x)?(?<uaddr>[0-9a-f]{8,16})\\b"
              // a paste that cut the offsets down to the function name
              + "|(?<bare>[A-Za-z_][A-Za-z0-9_.$]*)\\s*$)");

  /**
   * A line each architecture's kernel-fault handler prints between its fault message and die(), so
   * that a report whose first line was lost (a paste cut above it, a console that dropped it) still
   * shows the fault: x86 show_fault_oops ({@code #PF: supervisor instruction fetch in kernel mode},
   * {@code #PF: error_code(0x0010) - not-present page}), dump_pagetable ({@code PGD 0 P4D 0}, i386
   * {@code *pde = 00000000}) and, before v2.6.25, {@code printing eip:} with the bare address on
   * the next line; the tail of the old header when a console split its KERN_CONT pieces ({@code
   * NULL pointer dereference at virtual address 00000370}); arm64 die_kernel_fault →
   * mem_abort_decode ({@code Mem abort info:}, {@code ESR = 0x96000005}, {@code EC = …}, {@code FSC
   * = …}, {@code Data abort info:}, {@code WnR = 0}) and show_pte ({@code swapper pgtable: …},
   * {@code [0000000000000000] pgd=…}, {@code [dfffa00000000003] address between user and kernel
   * address ranges}), arm32 show_pte ({@code pgd = c0004000}, {@code [00000000] *pgd=…}); powerpc
   * __bad_page_fault ({@code Faulting instruction address: 0x…}); s390 dump_fault_info ({@code
   * Failing address: … TEID: …}, {@code Fault in home space mode while using kernel ASCE.}, {@code
   * AS:… R3:… S:… P:…}).
   */
  static final Pattern FAULT_INFO =
      Pattern.compile(
          "^(?:#PF: |(?:PGD|P4D|PUD|PMD) [0-9a-f]+\\b|\\*p(?:de|dpt|ml4e|te) = [0-9a-f]+"
              + "|printing eip:|[0-9a-f]{8}(?:[0-9a-f]{8})?$"
              + "|(?:kernel )?(?:NULL pointer dereference|paging request) at (?:virtual address )?[0-9a-f]"
              + "|Mem abort info:|Data abort info:|Abort info:"
              + "|(?:ESR|EC|IL|SET|FnV|EA|S1PTW|FSC|ISV|ISS2?|CM|WnR|TnD|TagAccess|GCS|Overlay"
              + "|DirtyBit|Xs|SAS|SSE|SRT|SF|AR|VNCR|LST) = "
              + "|(?:swapper|user) pgtable: |\\[[0-9a-f]{8,16}\\] |pgd = [0-9a-f]{8,16}$"
              + "|Faulting instruction address: 0x"
              + "|Failing address: [0-9a-f]+|Fault in \\w+ space mode while using"
              + "|AS:[0-9a-f]{16} R[23]:)");

  /** Fault-information lines kept before a die header (mem_abort_decode prints at most ~14). */
  static final int FAULT_INFO_MAX = 24;

  /** The lines {@link #ARM_PC} reads. */
  static final List<String> PC_PREFIXES = List.of("pc : ", "PC is at ", "epc : ", "sepc: ");

  /**
   * powerpc {@code NIP [c000000000ac0ce8] sym+off/size [mod]} (arch/powerpc/kernel/process.c
   * show_regs(), the faulting instruction).
   */
  static final Pattern PPC_NIP =
      KernelMacros.compile(
          "NIP \\[(?<addr>[0-9a-f]+)\\] \\.?(?:(?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+"
              + "(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?)?");

  /**
   * s390 {@code Krnl PSW : <mask> <addr> (sym+off/size [mod])} (arch/s390/kernel/dumpstack.c
   * show_registers(); {@code User PSW} for user mode).
   */
  static final Pattern S390_PSW =
      KernelMacros.compile(
          "(?<mode>Krnl|User) PSW : [0-9a-f]+ (?<addr>[0-9a-f]+)(?: \\((?:(?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+"
              + "(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?|[^)]*)\\))?");

  /**
   * powerpc {@code --- interrupt: 300 at sym+off/size}: the trace crosses an exception frame
   * (arch/powerpc/kernel/process.c show_stack()).
   */
  static final Pattern PPC_INTERRUPT =
      KernelMacros.compile(
          "--- interrupt: [0-9a-f]+ at \\.?(?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+"
              + "(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?");

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
          "\\[<(?<addr>[0-9a-f]+)>\\] ?\\((?<func>[^+)\\s]+)(?:\\+(?<off>0x[0-9a-f]+)/(?<size>0x[0-9a-f]+))?"
              + "(?: \\[(?<mod>[^\\]\\s]+)\\])?\\)");
  static final Pattern ADDR_FRAME = Pattern.compile("(?<q>\\? )?0x(?<addr>[0-9a-f]+)\\s*$");

  /**
   * powerpc {@code [sp] [pc] sym+off/size [mod] (unreliable)}; ELFv1 kernels print the dot symbol
   * ({@code .show_stack}). The first frame is marked unreliable when its saved LR may be stale.
   */
  static final Pattern PPC_FRAME =
      Pattern.compile(
          "\\[[0-9a-f]{8,16}\\] \\[(?<addr>[0-9a-f]{8,16})\\] \\.?(?<func>[^\\s+\\[\\]()<>]+)"
              + "\\+(?<off>0x[0-9a-f]+)/(?<size>0x[0-9a-f]+)(?: \\[(?<mod>[^\\]\\s]+)\\])?"
              + "(?<unreliable> \\(unreliable\\))?\\s*$");

  /**
   * A frame symbolized by scripts/decode_stacktrace.sh: {@code func (file:line)}, the offset
   * replaced by the source line, inlined callers listed inside the parentheses.
   */
  static final Pattern DECODED_FRAME =
      Pattern.compile(
          "(?<q>\\? )?(?<func>[A-Za-z_][A-Za-z0-9_.$]*)(?:\\+(?<off>0x[0-9a-f]+)/(?<size>0x[0-9a-f]+))?"
              + " \\([^\\s():]+\\.[chS]:\\d+(?::\\d+)?(?: [^)]*)?\\)(?: \\[(?<mod>[^\\]\\s]+)\\])?\\s*$");

  /** A debugger's frame number: drgn and gdb {@code #0 }. */
  static final Pattern DEBUGGER_FRAME_NUMBER = Pattern.compile("#\\d{1,4} +");

  /** gdb {@code 0xffffffff81234567 in func (args) at file:line} or {@code func (args) at …}. */
  static final Pattern GDB_FRAME =
      Pattern.compile(
          "(?:0x(?<addr>[0-9a-f]{1,16}) in )?(?<func>[A-Za-z_][A-Za-z0-9_.$]*) \\(.*\\)(?: at \\S+:\\d+| from \\S+)?\\s*$");

  /** drgn's source position after a frame: {@code (fs/foo.c:12:3)}. */
  static final Pattern SOURCE_SUFFIX = Pattern.compile(" \\([^\\s()]+:\\d+(?::\\d+)?\\)\\s*$");

  /**
   * Lines arm32's frame-pointer unwinder prints between frames: the saved registers ({@code
   * r10:b774ef05 r9:00000000 …}, arch/arm/kernel/traps.c dump_backtrace_stm()), an exception stack
   * and its words ({@code Exception stack(0x… to 0x…)}, {@code 7fa0: 00000000 …}).
   */
  static final Pattern ARM32_TRACE_EXTRA =
      Pattern.compile(
          "(?:r\\d{1,2}:[0-9a-f]{8}(?: r\\d{1,2}:[0-9a-f]{8})*|Exception stack\\(0x[0-9a-f]+ to 0x[0-9a-f]+\\)"
              + "|[0-9a-f]{4}:(?: (?:[0-9a-f]{8}|\\s{8}))+)\\s*");

  /**
   * An elision mark: {@code ...}, {@code [...]}, {@code [ ... ]}. The kernel never prints one
   * inside a trace (show_stack() prints every frame it unwinds); people cut frames this way when
   * they paste a trace into a mail or a ticket, and the frames after it are still the same trace.
   */
  static final Pattern ELISION = Pattern.compile("(?:\\[ ?(?:\\.{3}|…) ?\\]|\\.{3,}|…)\\s*");

  /** Whether a line inside a call trace carries no frame but belongs to it. */
  static boolean traceExtra(String text, int from) {
    return ARM32_TRACE_EXTRA.matcher(text).region(from, text.length()).matches()
        || text.startsWith("LR = ", from)
        || ELISION.matcher(text).region(from, text.length()).matches();
  }

  /**
   * A frame reduced to its function name ({@code schedule}, {@code raid5_make_request}), as a paste
   * keeps it when the offsets were stripped (or a tool such as the hung-task detector's consumers
   * printed symbols only). Only read indented, where a frame is expected: show_stack() indents
   * every frame it prints (printk_stack_address() in arch/x86/kernel/dumpstack.c prints {@code "
   * %pS"}); a word alone at the left edge is more likely prose.
   */
  static final Pattern BARE_NAME_FRAME =
      Pattern.compile(
          "(?<func>[A-Za-z_][A-Za-z0-9_]*(?:\\.(?:isra|constprop|part|cold|lto_priv)(?:\\.\\d+)?)*)\\s*");

  /** A frame of only a function name on an indented line, or null; see {@link #BARE_NAME_FRAME}. */
  static @Nullable Frame bareNameFrame(String text, int from, SourceSpan span) {
    if (from == 0 || from >= text.length()) {
      return null;
    }
    Matcher m = BARE_NAME_FRAME.matcher(text);
    m.region(from, text.length());
    if (!m.matches() || m.group("func").startsWith("__pfx_")) {
      return null;
    }
    return new Frame(m.group("func"), null, null, null, null, true, span);
  }

  /**
   * The function of a program-counter line that e-mail wrapping pushed to the next line: {@code
   * RIP: 0010:[<ffffffff833617ec>] [<ffffffff833617ec>]} then {@code icmp6_send+0x5fc/0x1e30
   * net/ipv6/icmp.c:451} (the x86 __show_regs() prints {@code [<ip>] %pS} on the one line).
   */
  static final Pattern WRAPPED_PC =
      KernelMacros.compile(
          "(?<func>{{SYM}})\\+(?<off>0x[0-9a-f]+)/0x[0-9a-f]+(?: \\[(?<mod>{{MOD}})[^\\]]*\\])?"
              + "(?: \\S+:\\d+)?\\s*");

  /** A module name alone on a line: the {@code [mod]} a wrap cut from the end of a frame. */
  static final Pattern WRAPPED_MODULE = KernelMacros.compile("\\s*\\[(?<mod>{{MOD}})\\]\\s*");

  /**
   * Another subsystem's message ({@code sd 1:0:0:0: rejecting I/O to offline device}:
   * dev_printk()'s {@code "<driver> <device>: "}, or pr_fmt()'s {@code "<module>: "}) printed by
   * another CPU or an interrupt while this report's trace was being printed: printk serializes
   * whole lines only, so such a line can fall between two frames of one trace.
   */
  static final Pattern FOREIGN_PRINTK = Pattern.compile("(?:[\\w.-]+ )?[\\w.:/-]+: \\S.*");

  static final Pattern MARKER =
      Pattern.compile(
          "<<?(?<close>/)?(?<name>IRQ|NMI|TASK|SOFTIRQ|EOI|EOE|#[A-Z]{2,3})>>?\\s*(?<rest>.*)");
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
          // powerpc show_regs() and die()
          "NIP:",
          "LR [",
          "REGS:",
          "MSR:",
          "CFAR:",
          "GPR",
          "Instruction dump:",
          "Faulting instruction address:",
          // s390 show_registers()
          "Krnl GPRS:",
          "Krnl Code:",
          "Last Breaking-Event-Address:",
          "Failing address:",
          // riscv show_regs()
          "ra : ",
          "status: ",
          // i386 before v4.x
          "EFLAGS: ",
          "printing eip:",
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
    if (from < 0 || from >= text.length()) {
      return false;
    }
    char c = text.charAt(from);
    String[] candidates = c < BODY_BY_FIRST_CHAR.length ? BODY_BY_FIRST_CHAR[c] : null;
    if (candidates == null) {
      return false;
    }
    for (String p : candidates) {
      if (text.startsWith(p, from)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link #BODY_PREFIXES} by their first (ASCII) character: a line is compared with the two or
   * three prefixes that can match it, not with all of them (this runs for every line of every
   * report, up to three times).
   */
  private static final String[][] BODY_BY_FIRST_CHAR = byFirstChar(BODY_PREFIXES);

  private static String[][] byFirstChar(List<String> prefixes) {
    String[][] by = new String[128][];
    for (String p : prefixes) {
      char c = p.charAt(0);
      if (c >= by.length) {
        throw new IllegalStateException("body prefix not ASCII: " + p);
      }
      String[] old = by[c];
      String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
      grown[grown.length - 1] = p;
      by[c] = grown;
    }
    return by;
  }

  /** A frame parsed from a trace line, or null ({@link TraceFrames}). */
  static @Nullable Frame frame(String text, int from, SourceSpan span) {
    return TraceFrames.frame(text, from, span);
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
