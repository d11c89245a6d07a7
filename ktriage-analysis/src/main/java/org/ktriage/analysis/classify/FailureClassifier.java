package org.ktriage.analysis.classify;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.kind.ReportKinds;
import org.ktriage.model.kind.ReportRole;

/**
 * Classifies what the kernel printed (an oops headline, die header, report body or panic message)
 * into the {@link FailureClass} vocabulary, from ordered tables of patterns (formats.md §7,
 * playbook §1–§18); the first matching row wins.
 */
public final class FailureClassifier {

  /** One row: a pattern and the class it proves. */
  private record Row(FailureClass failureClass, Pattern pattern) {}

  private static Row row(FailureClass c, String regex) {
    return new Row(c, Pattern.compile(regex));
  }

  /**
   * Lines in a report's body that override its headline: they say what the headline could not
   * (KASAN decoding a #GP on a shadow address, sysrq-c before ≈v5.0 writing through NULL).
   */
  private static final List<Row> BODY_OVERRIDES =
      List.of(
          row(FailureClass.SYSRQ_CRASH, "\\bsysrq_handle_crash\\b"),
          row(FailureClass.NULL_DEREF, "^KASAN: null-ptr-deref in range"));

  /** Headline, die-header and body patterns, most specific first. */
  private static final List<Row> REPORT_ROWS =
      List.of(
          row(FailureClass.SYSRQ_CRASH, "sysrq triggered crash"),
          row(FailureClass.NULL_DEREF, "KASAN: null-ptr-deref"),
          row(FailureClass.USE_AFTER_FREE, "(KASAN|KFENCE): [\\w-]*use-after-free"),
          row(FailureClass.DOUBLE_FREE, "(KASAN|KFENCE): (double-free|invalid-free|invalid free)"),
          row(FailureClass.OUT_OF_BOUNDS, "(KASAN|KFENCE): [\\w-]*out-of-bounds"),
          row(FailureClass.OUT_OF_BOUNDS, "KFENCE: memory corruption"),
          row(FailureClass.PAGE_FAULT, "(KASAN|KFENCE): (wild-memory-access|user-memory-access)"),
          row(FailureClass.PAGE_FAULT, "KFENCE: invalid (read|write)"),
          row(FailureClass.USE_AFTER_FREE, "KASAN: invalid-access"),
          row(FailureClass.USE_AFTER_FREE, "KASan: use after free"),
          row(FailureClass.OUT_OF_BOUNDS, "KASan: out of bounds"),
          row(FailureClass.UNINIT_VALUE, "KMSAN: "),
          row(FailureClass.DATA_RACE, "KCSAN: "),
          row(FailureClass.MEMORY_LEAK, "BUG: memory leak|^unreferenced object 0x"),
          row(FailureClass.OUT_OF_BOUNDS, "UBSAN: [\\w-]*out-of-bounds"),
          row(FailureClass.UNDEFINED_BEHAVIOR, "UBSAN: "),
          row(
              FailureClass.LIST_CORRUPTION,
              "list_(add|del) corruption|list_add double add|BUG: corrupted list"
                  + "|lib/list_debug\\.c|__list_(add|del)_entry_valid"),
          row(
              FailureClass.DOUBLE_FREE,
              "Object already free|double free detected|double-free|BUG: double free"),
          row(FailureClass.BAD_PAGE_STATE, "BUG: Bad (page state|page map|rss-counter)"),
          row(
              FailureClass.STACK_OVERFLOW,
              "stack guard page (was )?hit|kernel stack overflow|double fault"
                  + "|stack-protector: Kernel stack is corrupted|corrupted stack end"
                  + "|Thread overran stack|stack guard hit|Insufficient stack space"),
          row(
              FailureClass.MCE,
              "Machine Check Exception|Machine check: |Fatal machine check|\\[Hardware Error\\]"
                  + "|SError Interrupt|Fatal hardware error"),
          row(FailureClass.NULL_DEREF, "NULL pointer dereference"),
          // powerpc ≥v5.2 below PAGE_SIZE (arch/powerpc/mm/fault.c bad_kernel_fault)
          row(
              FailureClass.NULL_DEREF,
              "Unable to handle kernel instruction fetch \\(NULL pointer\\?\\)"),
          row(
              FailureClass.PAGE_FAULT,
              "unable to handle kernel paging request|unable to handle page fault"
                  + "|Unable to handle kernel (paging request|access|execute|write|execution|read"
                  + "|data access|instruction fetch|pointer dereference)"
                  + "|BUG: unable to handle kernel|Unhandled fault|Bad pagetable"),
          row(FailureClass.GPF, "general protection fault|^(Oops: )?stack segment: "),
          row(
              FailureClass.BUG,
              "[Kk]ernel BUG at|kernel BUG\\b|BUG: failure at|Internal error: Oops - BUG"
                  + "|BUG: bad usercopy|usercopy: Kernel memory (exposure|overwrite) attempt"),
          row(FailureClass.DIVIDE_ERROR, "divide error|^(Oops: )?divide_error: |Division by zero"),
          row(
              FailureClass.INVALID_OPCODE,
              "invalid opcode|Undefined instruction|int3: "
                  // arm32 die() of do_undefinstr; mips do_ri
                  + "|Oops - undefined instruction|Reserved instruction in kernel code"
                  // s390 die() of a program check (arch/s390/kernel/traps.c)
                  + "|^(illegal|privileged) operation: [0-9a-f]{4} ilc:\\d"),
          row(FailureClass.SOFT_LOCKUP, "soft lockup|softlockup"),
          row(
              FailureClass.HARD_LOCKUP,
              "hard LOCKUP|Hard LOCKUP|hard lockup|Watchdog detected LOCKUP"),
          row(
              FailureClass.RCU_STALL,
              "detected (expedited )?stalls? on CPU|self-detected stall|rcu.* kthread starved"
                  + "|RCU Stall|rcu detected stall|rcu_(sched|preempt|bh) detected stall"
                  // a stalled CPU's line (kernel/rcu/tree_stall.h print_cpu_stall_info)
                  + "|\\(\\d+ ticks this GP\\)"),
          row(
              FailureClass.HUNG_TASK,
              "blocked for more than \\d+ seconds|hung_task|task hung|can't die for more than"
                  + "|waiting for \\w+ to become free"),
          row(
              FailureClass.SLEEP_IN_ATOMIC,
              "scheduling while atomic|sleeping function called from invalid context"
                  + "|using smp_processor_id\\(\\) in preemptible|using __this_cpu_"
                  + "|workqueue leaked lock or atomic|Voluntary context switch within RCU"),
          row(
              FailureClass.DEADLOCK,
              "circular locking|recursive locking|inconsistent lock state|lock inversion"
                  + "|lock order detected|spinlock recursion|spinlock lockup|possible deadlock"
                  + "|bad unlock balance|held lock freed|still has locks held"
                  + "|nested lock was not taken|locking bug|BUG: (spinlock|rwlock)"
                  + "|workqueue lockup|lock held when returning|bad contention state"
                  + "|trying to register non-static key|MAX_LOCKDEP|MAX_STACK_TRACE_ENTRIES"
                  + "|lock held at task exit|Invalid wait context|lockdep"),
          row(FailureClass.OOM, "invoked oom-killer|Out of memory|oom-kill:|panic_on_oom"),
          row(
              FailureClass.WARNING,
              // lockdep_rcu_dereference() before v2.6.37 named the accessor it checked
              "suspicious RCU usage|suspicious rcu_dereference_check\\(\\) usage|refcount_t: |ODEBUG: "),
          row(FailureClass.PAGE_FAULT, "^(Oops: )?Oops: [0-9a-f]{4}|Internal error: Oops: "),
          row(FailureClass.WARNING, "^WARNING: |^WARNING |\\bWARNING: CPU: |\\[ cut here \\]"),
          row(FailureClass.PAGE_FAULT, "^Oops[: ]|^Oops\\[#\\d+\\]|Internal error: "),
          row(FailureClass.BUG, "^BUG: |^BUG |kernel BUG"));

  /** Panic messages ({@code Kernel panic - not syncing: <message>}) → the trigger they name. */
  private static final List<Row> PANIC_ROWS =
      List.of(
          row(FailureClass.HARD_LOCKUP, "(?i)hard lockup"),
          row(FailureClass.SOFT_LOCKUP, "(?i)softlockup|soft lockup"),
          row(FailureClass.HUNG_TASK, "hung_task|blocked tasks"),
          row(FailureClass.RCU_STALL, "(?i)RCU Stall"),
          row(FailureClass.WARNING, "panic_on_warn|warned too often"),
          row(FailureClass.OOM, "(?i)out of memory|panic_on_oom"),
          row(FailureClass.SYSRQ_CRASH, "sysrq triggered crash"),
          row(
              FailureClass.MCE,
              "(?i)machine check|hardware error|SError|NMI: Not continuing|NMI IOCK error"),
          row(
              FailureClass.STACK_OVERFLOW,
              "stack-protector|stack guard|stack overflow|corrupted stack end|double fault"
                  + "|Machine halted"),
          row(FailureClass.LIST_CORRUPTION, "list_(add|del) corruption"));

  private FailureClassifier() {}

  /** Lines read from a report body to find overrides and a class when the headline has none. */
  private static final int BODY_LINES = 60;

  /** The class of one report. */
  public static FailureClass classify(Oops oops) {
    return nullPage(oops, classifyReport(oops));
  }

  /**
   * The lowest address the kernel maps: x86 (arch/x86/mm/fault.c show_fault_oops), arm64
   * (arch/arm64/mm/fault.c die_kernel_fault), powerpc (arch/powerpc/mm/fault.c) and riscv call a
   * fault below PAGE_SIZE a NULL pointer dereference; 4 KiB is the smallest PAGE_SIZE.
   */
  private static final long NULL_PAGE_END = 0x1000;

  /**
   * The fault address of architectures whose fault message does not say NULL: s390 {@code Failing
   * address: …} (arch/s390/mm/fault.c dump_fault_info), ppc before v5.2 {@code … for data at
   * address 0x…}, arm32 and mips {@code … at virtual address …}.
   */
  private static final Pattern FAULT_ADDRESS =
      Pattern.compile(
          "(?:Failing address: |Unable to handle kernel .*? at (?:virtual )?address (?:0x)?)"
              + "([0-9a-fA-F]{1,16})\\b");

  /**
   * A page fault (or an illegal instruction) inside the first page is a NULL pointer dereference
   * whatever the architecture calls it: a read or write through a NULL pointer plus a small member
   * offset, or a call through a NULL function pointer (the program counter itself in page 0).
   */
  private static FailureClass nullPage(Oops oops, FailureClass c) {
    if (c != FailureClass.PAGE_FAULT && c != FailureClass.INVALID_OPCODE) {
      return c;
    }
    ExceptionFrame ip = oops.ip();
    if (ip != null
        && !ip.userMode()
        && ip.ip() != null
        && Long.compareUnsigned(ip.ip(), NULL_PAGE_END) < 0) {
      return FailureClass.NULL_DEREF;
    }
    if (c != FailureClass.PAGE_FAULT) {
      return c;
    }
    Long address = faultAddress(oops);
    return address != null && Long.compareUnsigned(address, NULL_PAGE_END) < 0
        ? FailureClass.NULL_DEREF
        : c;
  }

  private static @Nullable Long faultAddress(Oops oops) {
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), BODY_LINES);
    for (int i = -1; i < limit; i++) {
      String t = i < 0 ? oops.headline() : lines.get(i).text();
      Matcher m = FAULT_ADDRESS.matcher(t);
      if (m.find()) {
        try {
          return Long.parseUnsignedLong(m.group(1), 16);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static FailureClass classifyReport(Oops oops) {
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), BODY_LINES);
    for (Row r : BODY_OVERRIDES) {
      for (int i = 0; i < limit; i++) {
        if (r.pattern().matcher(lines.get(i).text()).find()) {
          return r.failureClass();
        }
      }
      if (oops.ip() != null
          && oops.ip().function() != null
          && r.pattern().matcher(oops.ip().function()).find()) {
        return r.failureClass();
      }
    }
    FailureClass c = classifyText(oops.headline());
    if (c != FailureClass.UNKNOWN) {
      if (c == FailureClass.PAGE_FAULT && oops.headline().startsWith("Oops")) {
        // A bare die header: a body line may say more.
        FailureClass body = classifyLines(lines, limit);
        return body == FailureClass.UNKNOWN ? c : body;
      }
      if (c == FailureClass.EXPLICIT_PANIC) {
        return c;
      }
      return c;
    }
    if (oops.dieHeader() != null) {
      c = classifyText(oops.dieHeader());
      if (c != FailureClass.UNKNOWN) {
        return c;
      }
    }
    c = classifyLines(lines, limit);
    if (c != FailureClass.UNKNOWN) {
      return c;
    }
    c = kindClass(oops.headline());
    if (c != FailureClass.UNKNOWN) {
      return c;
    }
    if (oops.panicMessage() != null) {
      return classifyPanic(oops.panicMessage());
    }
    return FailureClass.UNKNOWN;
  }

  /**
   * The class the report-kind table gives the headline's kind, when the rows above know nothing of
   * it (a kind added as one table entry); headers that open a report only with a body prove
   * nothing.
   */
  private static FailureClass kindClass(String headline) {
    String t = headline.strip();
    ReportKinds.Match m = ReportKinds.match(t, 0);
    if (m == null || m.kind().role() == ReportRole.TENTATIVE) {
      return FailureClass.UNKNOWN;
    }
    return m.kind().failureClass();
  }

  private static FailureClass classifyLines(List<LogRecord> lines, int limit) {
    for (int i = 0; i < limit; i++) {
      FailureClass c = classifyText(lines.get(i).text());
      if (c != FailureClass.UNKNOWN && c != FailureClass.EXPLICIT_PANIC) {
        return c;
      }
    }
    return FailureClass.UNKNOWN;
  }

  /** The class a single printed line names, or UNKNOWN. */
  public static FailureClass classifyText(@Nullable String text) {
    if (text == null) {
      return FailureClass.UNKNOWN;
    }
    String t = text.strip();
    int panic = t.indexOf("Kernel panic - not syncing:");
    if (panic >= 0) {
      return classifyPanic(t.substring(panic + "Kernel panic - not syncing:".length()));
    }
    for (Row r : REPORT_ROWS) {
      if (r.pattern().matcher(t).find()) {
        return r.failureClass();
      }
    }
    return FailureClass.UNKNOWN;
  }

  /**
   * The trigger a panic message names; {@code Fatal exception} and oops headlines (crash's {@code
   * PANIC:} string) give the class of the report; any other message is an explicit panic.
   */
  public static FailureClass classifyPanic(String message) {
    String m = panicText(message);
    for (Row r : PANIC_ROWS) {
      if (r.pattern().matcher(m).find()) {
        return r.failureClass();
      }
    }
    if (m.startsWith("Fatal exception") || m.contains("Oopsed too often")) {
      return FailureClass.UNKNOWN;
    }
    for (Row r : REPORT_ROWS) {
      if (r.pattern().matcher(m).find()) {
        return r.failureClass();
      }
    }
    return FailureClass.EXPLICIT_PANIC;
  }

  /** The detector or policy a panic message names (lockup, stall, OOM, …), or UNKNOWN. */
  public static FailureClass panicDetector(String message) {
    String m = panicText(message);
    for (Row r : PANIC_ROWS) {
      if (r.pattern().matcher(m).find()) {
        return r.failureClass();
      }
    }
    return FailureClass.UNKNOWN;
  }

  /** True for panic messages that only say an oops was fatal (the oops names the class). */
  public static boolean isFatalException(String message) {
    String m = panicText(message);
    return m.startsWith("Fatal exception") || m.contains("Oopsed too often");
  }

  private static final String PANIC_PREFIX = "Kernel panic - not syncing:";

  /**
   * The message panic() was given, without the {@code Kernel panic - not syncing:} prefix that
   * crash's {@code PANIC:} string keeps.
   */
  public static String panicText(String message) {
    String m = message.strip();
    int at = m.indexOf(PANIC_PREFIX);
    return at >= 0 ? m.substring(at + PANIC_PREFIX.length()).strip() : m;
  }
}
