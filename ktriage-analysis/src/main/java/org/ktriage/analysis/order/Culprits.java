package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.signature.Signature;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.analysis.text.GatedPattern;
import org.ktriage.model.CpuState;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.StackSegment;
import org.ktriage.model.kind.ReportingFrames;

/**
 * Which frame of a stack is to blame: the first reliable frame that does not report, print or
 * decide (panic, WARN, dump_stack, the scheduler a waiter sleeps in), and for a class whose
 * reported site is a checker or a wait primitive, the code that called it.
 */
public final class Culprits {

  private Culprits() {}

  /** Roles of the frames that print a report or panic, or take the exception that led to it. */
  private static final Set<ReportingFrames.Role> REPORT_PATH =
      Set.of(
          ReportingFrames.Role.PANIC,
          ReportingFrames.Role.REPORTER,
          ReportingFrames.Role.TRAP,
          ReportingFrames.Role.SANITIZER);

  /**
   * Classes a watchdog reports from its interrupt (kernel/watchdog.c, kernel/rcu/tree_stall.h): it
   * names whatever ran when it fired, so a leaf a busy loop keeps calling ({@link
   * ReportingFrames#isBusyWait}) hands the blame to the loop above it.
   */
  private static final Set<FailureClass> WATCHDOG_REPORTED =
      Set.of(FailureClass.SOFT_LOCKUP, FailureClass.HARD_LOCKUP, FailureClass.RCU_STALL);

  /**
   * True for a frame that is never the culprit of a report of class {@code c}: a reporting frame,
   * primitive or asserting core API ({@link ReportingFrames#isReporting}), or under a watchdog's
   * report a busy-wait leaf or the timer-interrupt path the watchdog itself runs from.
   */
  static boolean notCulprit(FailureClass c, String function) {
    String b = FrameNames.base(function);
    return ReportingFrames.isReporting(b)
        || (WATCHDOG_REPORTED.contains(c)
            && (ReportingFrames.isBusyWait(b) || ReportingFrames.isInterruptPath(b)));
  }

  /** Classes whose reported site is the detector or the wait, not the culprit. */
  private static final Set<FailureClass> DETECTED_BY_CHECKER =
      Set.of(FailureClass.HUNG_TASK, FailureClass.LIST_CORRUPTION);

  /**
   * True for the functions that stop the kernel: {@code panic()} (kernel/panic.c), its arm64/s390
   * spelling {@code vpanic()} and {@code nmi_panic()}, which the NMI watchdogs call. The one place
   * this question is answered in cause ordering.
   */
  static boolean isPanicFrame(String function) {
    return ReportingFrames.isPanic(FrameNames.base(function));
  }

  /** Index of the innermost panic frame, or -1. */
  static int panicIndex(List<Frame> frames) {
    for (int i = 0; i < frames.size(); i++) {
      if (isPanicFrame(frames.get(i).function())) {
        return i;
      }
    }
    return -1;
  }

  /** The first reliable frame that is not a reporting helper. */
  public static @Nullable Frame culprit(List<Frame> frames) {
    boolean anyReliable = frames.stream().anyMatch(Frame::reliable);
    for (Frame fr : frames) {
      if (anyReliable && !fr.reliable()) {
        continue;
      }
      if (!ReportingFrames.isReporting(FrameNames.base(fr.function())) && !unnamed(fr.function())) {
        return fr;
      }
    }
    return null;
  }

  /**
   * For a class whose reported site is a checker (list debugging) or a wait primitive (a hung
   * task), the code that called it; null when the site itself is to blame.
   */
  static @Nullable Frame blamedCaller(
      FailureClass c, @Nullable String function, List<Frame> frames) {
    if (function == null) {
      return null;
    }
    String site = FrameNames.base(function);
    // a site that only reports, or a primitive or asserting API (ReportingFrames), blames its
    // caller; a checker or wait primitive of a detected class blames the code that called it
    boolean reporting = notCulprit(c, site);
    boolean checker = DETECTED_BY_CHECKER.contains(c) && Signature.isInfrastructure(function);
    if (!reporting && !checker) {
      return null;
    }
    // the site printed on the trace (arm64 and s390 start with it, a WARN's panic path runs
    // through it): its callers follow. The site named further out, past an ordinary caller and no
    // report path, is a recursion (device_del() called by a driver's disconnect that device_del()
    // itself ran), not the frame that failed: the callers then start at the top.
    int start = 0;
    boolean ordinaryFirst = false;
    boolean reportPath = false;
    for (int i = 0; i < frames.size(); i++) {
      Frame fr = frames.get(i);
      String b = FrameNames.base(fr.function());
      if (b.equals(site)) {
        start = ordinaryFirst && !reportPath ? 0 : i + 1;
        break;
      }
      Set<ReportingFrames.Role> roles = ReportingFrames.roles(b);
      reportPath |= roles.stream().anyMatch(REPORT_PATH::contains);
      ordinaryFirst |= fr.reliable() && !unnamed(fr.function()) && roles.isEmpty();
    }
    List<Frame> callers = frames.subList(start, frames.size());
    boolean anyReliable = callers.stream().anyMatch(Frame::reliable);
    for (Frame fr : callers) {
      if ((anyReliable && !fr.reliable()) || unnamed(fr.function())) {
        continue;
      }
      String b = FrameNames.base(fr.function());
      if (!notCulprit(c, b) && !(checker && Signature.isInfrastructure(fr.function()))) {
        return fr;
      }
    }
    return null;
  }

  /**
   * True for a frame that names no function: a bare address ({@code 0x…}) or an assembler local
   * label such as {@code .slowpath} (arch/x86/include/asm/qspinlock_paravirt.h's callee-save
   * thunk), which the unwinder prints when a return address lands past a symbol's end.
   */
  static boolean unnamed(String function) {
    return function.startsWith("0x") || function.startsWith(".");
  }

  /**
   * The accessing function a sanitizer's headline names: mm/kasan/report.c prints {@code "BUG:
   * KASAN: %s in %pS"} with the instrumented caller's address, mm/kmsan/report.c {@code "BUG:
   * KMSAN: %s in %pSr"}, mm/kfence/report.c {@code "BUG: KFENCE: %s in %pS"} and
   * kernel/kcsan/report.c {@code "BUG: KCSAN: %s in %ps / %ps"} (the first of the two).
   */
  private static final Pattern SANITIZER_HEADLINE =
      Pattern.compile(
          "\\b(?:KASAN|KMSAN|KFENCE|KCSAN): [^:]*? in ([A-Za-z_][\\w.$]*)(?:\\+(0x[0-9a-fA-F]+))?"
              + "(?:/0x[0-9a-fA-F]+)?(?:\\s+\\[([\\w-]+)\\])?(?=\\s|$)");

  /** The function, offset and module a sanitizer's headline names, or null. */
  static @Nullable Frame sanitizerHeadlineFrame(Oops o) {
    Matcher m = SANITIZER_HEADLINE.matcher(o.headline());
    if (!m.find()) {
      return null;
    }
    return new Frame(m.group(1), m.group(2), null, m.group(3), null, true, o.span());
  }

  /**
   * The target of an indirect call that failed its control-flow-integrity check: kernel/cfi.c
   * prints {@code "CFI failure (target: %pS):"} (v5.11-v5.19, before the WARN from
   * __cfi_check_fail()) or {@code "CFI failure at %pS (target: %pS; expected type: …)"}
   * (report_cfi_failure(), v6.1+). The target's prototype does not match the pointer type it was
   * called through, which is what the fix changes.
   */
  private static final Pattern CFI_TARGET =
      Pattern.compile("CFI failure (?:at \\S+ )?\\(target: ([A-Za-z_][\\w.$]*)\\+0x");

  /**
   * The CFI failure's target function named in a report's lines or in the few log lines printed
   * just before its header (the line precedes the WARN's "cut here"), or null.
   */
  static @Nullable String cfiTarget(Oops o, List<LogRecord> log) {
    List<LogRecord> lines = o.lines();
    long first = lines.isEmpty() ? Long.MIN_VALUE : lines.get(0).seq();
    List<LogRecord> near = new ArrayList<>(lines);
    for (LogRecord r : log) {
      if (r.seq() < first && r.seq() >= first - 3) {
        near.add(r);
      }
    }
    for (LogRecord line : near) {
      Matcher m = CFI_TARGET.matcher(line.text());
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  /**
   * The link register's symbol in an arm, arm64 or powerpc register dump: arch/arm/kernel/process.c
   * __show_regs() prints {@code "LR is at %pS"}, arch/arm64/kernel/process.c {@code "lr : %pS"},
   * arch/powerpc/kernel/process.c show_regs() {@code "LR [%lx] %pS"} and, under an exception in a
   * trace, show_stack() {@code "--- interrupt: %lx at %pS\n LR = %pS"}. In a leaf routine that
   * faulted (a string or copy helper saves no frame), it is the return address into its caller.
   */
  static final GatedPattern LINK_REGISTER =
      GatedPattern.of(
          Pattern.compile(
              "(?:\\bLR is at |\\blr : (?:\\[<[0-9a-f]+>\\] )?|\\bLR \\[[0-9a-f]+\\] |\\bLR = )"
                  + "([A-Za-z_][\\w.$]*)\\+(0x[0-9a-f]+)"),
          List.of("LR is at ", "lr : ", "LR [", "LR = "));

  /** The function the link register points into, from a report's register dump, or null. */
  static @Nullable Frame linkRegisterFrame(Oops o) {
    for (LogRecord line : o.lines()) {
      if (!LINK_REGISTER.mayMatch(line.text())) {
        continue;
      }
      Matcher m = LINK_REGISTER.pattern().matcher(line.text());
      if (m.find()) {
        return new Frame(m.group(1), m.group(2), null, null, null, true, line.source());
      }
    }
    return null;
  }

  /**
   * The caller of a reported site that is a reporting frame, a primitive or a core API, when the
   * link register names it and the stack holds it: a leaf routine (a string or copy helper) saves
   * no return address, so powerpc's show_stack() marks the first frame it reads from the stack
   * {@code (unreliable)} (arch/powerpc/kernel/process.c) and arm's unwinder may skip it; the LR
   * register printed with the registers is the return address itself and confirms that frame. Null
   * when the site is ordinary code, the LR points into the site itself (a call it made already
   * returned) or into another reporting frame, or no frame of the stack is that function.
   */
  static @Nullable Frame callerInLinkRegister(
      FailureClass c, Oops o, String site, List<Frame> callers) {
    String siteBase = FrameNames.base(site);
    if (!notCulprit(c, siteBase)) {
      return null;
    }
    Frame lr = linkRegisterFrame(o);
    if (lr == null) {
      return null;
    }
    String lrBase = FrameNames.base(lr.function());
    if (lrBase.equals(siteBase) || notCulprit(c, lrBase) || unnamed(lrBase)) {
      return null;
    }
    for (Frame fr : callers) {
      String b = FrameNames.base(fr.function());
      if (b.equals(lrBase)) {
        return fr;
      }
      if (!b.equals(siteBase) && !notCulprit(c, b) && fr.reliable()) {
        return null; // a reliable ordinary frame comes first: the LR is not the site's caller
      }
    }
    return null;
  }

  /**
   * A symbol as {@code %pS} prints it in any report line (lib/vsprintf.c symbol_string(): {@code
   * func+0xoff/0xsize [module]}), after the optional {@code [<address>]} or {@code [address]}
   * columns of x86, s390 and powerpc traces and the {@code ? } mark x86's show_trace_log_lvl()
   * gives an address it could not prove is a return address.
   */
  private static final Pattern TEXT_FRAME =
      Pattern.compile(
          "(?:\\[<?[0-9a-fA-F]+>?\\]\\s*)*(\\?\\s+)?(?<![\\w.$])([A-Za-z_][\\w.$]*)\\+(0x[0-9a-fA-F]+)"
              + "/0x[0-9a-fA-F]+(?:\\s+\\[([\\w-]+)[^\\]]*\\])?");

  /**
   * Where a report's own stack ends and what follows is about other code: KASAN's allocation and
   * free stacks (mm/kasan/report.c print_track(): "Allocated by task", "Freed by task", "Last
   * potentially related work creation"), the object description ("The buggy address belongs to"),
   * KFENCE's (mm/kfence/report.c: "allocated by task", "freed by task").
   */
  static final GatedPattern TEXT_STACK_END =
      GatedPattern.of(
          Pattern.compile(
              "(?i)\\b(?:allocated by task|freed by task|last potentially related"
                  + "|the buggy address belongs|memory state around)"),
          List.of(
              "allocated by task",
              "freed by task",
              "last potentially related",
              "the buggy address belongs",
              "memory state around"));

  /**
   * True for a line after which a report prints other code than its own stack: KASAN's and KFENCE's
   * allocation and free stacks, the object description ({@link #TEXT_STACK_END}).
   */
  static boolean endsOwnStack(String text) {
    return TEXT_STACK_END.find(text);
  }

  /**
   * Lines that name code but not the failing stack: lockdep's irq-state trace
   * (kernel/locking/lockdep.c print_irqtrace_events(): "hardirqs last enabled at (N): …") and its
   * held-lock list (print_lock(): " #0: (lock){…}, at: …"); arm32's register provenance
   * (arch/arm/kernel/process.c __show_regs_alloc_free(): "Register r4 information: … allocated at
   * f+0x…", mm/util.c mem_dump_obj()), which says who allocated what a register points to.
   */
  private static final Pattern TEXT_NOT_STACK =
      Pattern.compile(
          "(?:irqs last\\s+(?:en|dis)abled at|^\\s*#\\d+:|^\\s*Register r?\\w+ information:)");

  /**
   * Lines after which the next line names code that is not the failing stack: kernel/sched/core.c
   * __might_resched() prints "Preemption disabled at:" and the ip that disabled preemption on a
   * line of its own (print_ip_sym()).
   */
  private static final Pattern TEXT_NEXT_NOT_STACK =
      Pattern.compile("(?i)^\\s*preemption disabled at:\\s*$");

  /**
   * Where a section about another task starts: kernel/rcu/tree_stall.h
   * rcu_check_gp_kthread_starvation() prints "RCU grace-period kthread stack dump:" and the
   * grace-period kthread's own stack (rcu_gp_kthread(), rcu_gp_fqs_loop(), sleeping), the starved
   * helper, not the stalled code.
   */
  static final Pattern TEXT_OTHER_TASK_START =
      Pattern.compile("(?i)RCU grace-period kthread stack dump:");

  /**
   * Where that section ends: tree_stall.h rcu_check_gp_kthread_wakeup() and rcu_dump_cpu_stacks()
   * go on with "Stack dump where RCU GP kthread last ran:", "Task dump for CPU n:"
   * (kernel/sched/core.c dump_cpu_task()) or "NMI backtrace for cpu n" (lib/nmi_backtrace.c), the
   * stalled CPUs' own stacks.
   */
  static final Pattern TEXT_OTHER_TASK_END =
      Pattern.compile(
          "(?i)(?:stack dump where rcu gp kthread last ran|task dump for cpu|nmi backtrace for cpu"
              + "|sending nmi from cpu)");

  /**
   * The culprit read from a report's own text when its parsed trace named none: the first symbol
   * the report prints, in print order, that is not in {@link ReportingFrames} (reporting,
   * primitives, interrupt plumbing), an exception, syscall or interrupt entry, or an unreliable
   * {@code ? } entry. Frames the compiler inlined ({@code f file.c:123 [inline]}, no offset) are
   * not symbols kallsyms printed and are passed over, as syzkaller's {@code {{FUNC}}} does. A
   * lockdep report prints the acquiring function first ("is trying to acquire lock: … at: f"), a
   * register dump its PC and LR (a call through a NULL pointer leaves the caller in the LR), a
   * trace its frames innermost first.
   *
   * @param lines the report's lines, and the lines that follow it up to the next report (a trace
   *     the readers did not take as frames ends the report's own lines early)
   */
  static @Nullable Frame fromText(List<LogRecord> lines) {
    return fromText(FailureClass.UNKNOWN, lines);
  }

  /**
   * {@link #fromText(List)} for a report of class {@code c}: a busy-wait leaf is passed over only
   * under a watchdog's report ({@link #notCulprit}).
   */
  static @Nullable Frame fromText(FailureClass c, List<LogRecord> lines) {
    boolean otherTask = false;
    int skip = 0;
    for (LogRecord line : lines) {
      String text = line.text();
      if (TEXT_STACK_END.find(text)) {
        break;
      }
      if (otherTask) {
        otherTask = !TEXT_OTHER_TASK_END.matcher(text).find();
        continue;
      }
      if (TEXT_OTHER_TASK_START.matcher(text).find()) {
        otherTask = true;
        continue;
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      if (TEXT_NEXT_NOT_STACK.matcher(text).find()) {
        skip = 1;
        continue;
      }
      if (OwnStack.IRQ_EVENT_STAMP.matcher(text).find()) {
        skip = OwnStack.IRQ_STATE_LINES;
        continue;
      }
      if (TEXT_NOT_STACK.matcher(text).find()) {
        continue;
      }
      Matcher m = TEXT_FRAME.matcher(text);
      while (m.find()) {
        String fn = m.group(2);
        String b = FrameNames.base(fn);
        if (m.group(1) == null
            && !unnamed(fn)
            && !inTable(c, b)
            && FrameNames.entryKind(b).isEmpty()
            && FrameNames.contextMarker(b).isEmpty()) {
          return new Frame(fn, m.group(3), null, m.group(4), null, true, line.source());
        }
      }
    }
    return null;
  }

  /**
   * True for a function the table names in any role (interrupt plumbing too), except a busy-wait
   * leaf outside a watchdog's report.
   */
  private static boolean inTable(FailureClass c, String b) {
    Set<ReportingFrames.Role> roles = ReportingFrames.roles(b);
    return !roles.isEmpty()
        && !(roles.equals(Set.of(ReportingFrames.Role.BUSY_WAIT))
            && !WATCHDOG_REPORTED.contains(c));
  }

  /** Most log lines read after a site's line for its callers: a stack is well under it. */
  private static final int MAX_LINES_AFTER_SITE = 200;

  /**
   * The caller of a site that is a reporting frame, a primitive or a core API, read from the text
   * printed after the site's register line when the readers took no frames from it: x86 show_regs()
   * prints {@code "RIP: %04x:%pS"} and, in an exception's trace, the callers follow the registers
   * (arch/x86/kernel/dumpstack.c show_trace_log_lvl() prints the stack after the saved frame). The
   * first symbol after that line that is not a reporting frame ({@link #fromText}), looking from
   * the report's first line on; null when no such line names the site.
   */
  static @Nullable Frame fromTextAfterSite(List<LogRecord> log, Oops o, String site) {
    List<LogRecord> own = o.lines();
    if (own.isEmpty()) {
      return null;
    }
    long first = own.get(0).seq();
    String named = FrameNames.base(site) + "+0x";
    for (int i = 0; i < log.size(); i++) {
      LogRecord r = log.get(i);
      if (r.seq() >= first && r.text().contains("RIP: ") && r.text().contains(named)) {
        return fromText(log.subList(i + 1, Math.min(log.size(), i + 1 + MAX_LINES_AFTER_SITE)));
      }
    }
    return null;
  }

  /** The frame that called panic() on a CPU, or null. */
  static @Nullable Frame panicCaller(@Nullable CpuState cpu) {
    if (cpu == null) {
      return null;
    }
    List<Frame> frames = framesOf(cpu);
    int at = panicIndex(frames);
    if (at < 0) {
      return null;
    }
    // the caller is whoever called panic(): a detector (the watchdog) is a caller too; only
    // further panic wrappers (nmi_panic) and unreliable or unnamed frames are passed over
    List<Frame> callers = frames.subList(at + 1, frames.size());
    boolean anyReliable = callers.stream().anyMatch(Frame::reliable);
    for (Frame fr : callers) {
      if ((anyReliable && !fr.reliable())
          || fr.function().startsWith("0x")
          || isPanicFrame(fr.function())) {
        continue;
      }
      return fr;
    }
    return null;
  }

  /** All frames of a CPU's stacks, innermost first. */
  static List<Frame> framesOf(CpuState cpu) {
    return flatten(cpu.segments());
  }

  /** All frames of a report's call trace, innermost first. */
  static List<Frame> framesOf(Oops o) {
    return flatten(o.trace());
  }

  private static List<Frame> flatten(List<StackSegment> segments) {
    List<Frame> frames = new ArrayList<>();
    for (StackSegment s : segments) {
      frames.addAll(s.frames());
    }
    return frames;
  }
}
