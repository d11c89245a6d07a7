package org.ktriage.ingest.text;

import static org.ktriage.ingest.text.HeaderRule.Role.DELIMITED;
import static org.ktriage.ingest.text.HeaderRule.Role.DIE;
import static org.ktriage.ingest.text.HeaderRule.Role.JOINS_OOM;
import static org.ktriage.ingest.text.HeaderRule.Role.OPENS;
import static org.ktriage.ingest.text.HeaderRule.Role.PANIC;
import static org.ktriage.ingest.text.HeaderRule.Role.TENTATIVE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * The table of report headers the kernel prints (x86_64, arm64, arm32, generic), most specific
 * first. Sources: arch/x86/mm/fault.c, arch/x86/kernel/dumpstack.c and traps.c, kernel/panic.c,
 * lib/bug.c, kernel/watchdog*.c, kernel/hung_task.c, kernel/rcu/tree_stall.h, mm/oom_kill.c,
 * arch/x86/kernel/cpu/mce/core.c, mm/kasan, mm/kfence, lib/ubsan.c, kernel/locking/lockdep.c,
 * lib/list_debug.c, arch/arm64/mm/fault.c, arch/arm64/kernel/traps.c.
 */
public final class ReportFormats {
  private ReportFormats() {}

  /** Die header: {@code Oops: 0002 [#1] …}, ≥v6.10 {@code Oops: Oops: …}, other trap names. */
  public static final String DIE_TEMPLATE =
      "(?:Oops: )?(?<str>Oops|invalid opcode|divide error|divide_error|int3|stack segment|bounds"
          + "|general protection fault(?:,? (?:probably )?for (?:non-canonical )?address {{HEX}})?"
          + "|segment-related general protection fault|kernel stack overflow \\(double-fault\\)"
          + "|double fault|alignment check|coprocessor segment overrun|invalid TSS"
          + "|segment not present|overflow|machine check|spurious interrupt bug"
          + "|simd exception|coprocessor error|control protection fault|invalid operand"
          + "): (?<err>[0-9a-f]{4,16})(?: \\[#(?<n>\\d+)\\])?";

  /** Every header rule, in match priority order. */
  public static final List<HeaderRule> HEADERS =
      List.of(
          // x86 page faults (v5.1+ forms, then the old and interim ones)
          HeaderRule.of(
              "null-deref",
              "BUG: kernel NULL pointer dereference",
              "BUG: kernel NULL pointer dereference, address: (?<addr>{{ADDR}})",
              OPENS),
          HeaderRule.of(
              "page-fault",
              "BUG: unable to handle page fault",
              "BUG: unable to handle page fault for address: (?<addr>{{ADDR}})",
              OPENS),
          HeaderRule.of(
              "page-fault",
              "BUG: unable to handle kernel",
              "BUG: unable to handle kernel (?:.*? at (?<addr>{{ADDR}}|\\s*\\(null\\)))?",
              OPENS),
          HeaderRule.of(
              "page-fault",
              "kernel tried to execute NX-protected page",
              "kernel tried to execute NX-protected page",
              OPENS),
          HeaderRule.of(
              "page-fault",
              "unable to execute userspace code",
              "unable to execute userspace code",
              OPENS),
          // sanitizers: closed by a ==== line
          HeaderRule.of("kasan", "BUG: KASAN: ", "BUG: KASAN: ", DELIMITED),
          HeaderRule.of("kfence", "BUG: KFENCE: ", "BUG: KFENCE: ", DELIMITED),
          HeaderRule.of("kmsan", "BUG: KMSAN: ", "BUG: KMSAN: ", DELIMITED),
          HeaderRule.of("kcsan", "BUG: KCSAN: ", "BUG: KCSAN: ", DELIMITED),
          // KASAN before v4.4 spelled itself "KASan" and wrote "use after free in f+0x1/0x2 at
          // addr"
          // (mm/kasan/report.c, v4.0-v4.3)
          HeaderRule.of("kasan", "BUG: KASan: ", "BUG: KASan: ", DELIMITED),
          HeaderRule.of("ubsan", "UBSAN: ", "UBSAN: \\S", DELIMITED),
          HeaderRule.of("ubsan", "UBSAN: Undefined behaviour", "UBSAN: Undefined", DELIMITED),
          // lockups, stalls, hangs
          HeaderRule.of("soft-lockup", "watchdog: BUG: soft lockup", "watchdog: BUG: soft", OPENS),
          HeaderRule.of(
              "soft-lockup", "NMI watchdog: BUG: soft lockup", "NMI watchdog: BUG: soft", OPENS),
          HeaderRule.of("soft-lockup", "BUG: soft lockup", "BUG: soft lockup", OPENS),
          HeaderRule.of(
              "hard-lockup",
              "NMI watchdog: Watchdog detected hard LOCKUP",
              "NMI watchdog: Watchdog detected hard LOCKUP",
              OPENS),
          HeaderRule.of(
              "hard-lockup",
              "watchdog: Watchdog detected hard LOCKUP",
              "watchdog: Watchdog detected hard LOCKUP",
              OPENS),
          HeaderRule.of(
              "hard-lockup",
              "Watchdog detected hard LOCKUP",
              "Watchdog detected hard LOCKUP",
              OPENS),
          // powerpc watchdog (arch/powerpc/kernel/watchdog.c watchdog_smp_panic/wd_lockup_ipi)
          HeaderRule.of("hard-lockup", "Watchdog CPU:", "Watchdog CPU:\\d+ Hard LOCKUP", OPENS),
          // x86 NMI watchdog before v2.6.37 (arch/x86/kernel/apic/nmi.c die_nmi())
          HeaderRule.of(
              "hard-lockup", "NMI Watchdog detected LOCKUP", "NMI Watchdog detected LOCKUP", OPENS),
          HeaderRule.of(
              "hung-task", "INFO: task ", "INFO: task .{1,64}:\\d+ blocked for more than", OPENS),
          HeaderRule.of("hung-task", "INFO: task ", "INFO: task .{1,64}:\\d+ can't die", OPENS),
          HeaderRule.of("rcu-stall", "rcu: INFO: ", "rcu: INFO: \\S+ .*stall", OPENS),
          HeaderRule.of("rcu-stall", "INFO: rcu", "INFO: rcu.*(?:stall|detected)", OPENS),
          HeaderRule.of("rcu-stall", "rcu: rcu_", "rcu: rcu_\\w+ kthread starved", OPENS),
          HeaderRule.of("rcu-stall", "INFO: rcu_", "INFO: rcu_\\w+ kthread starved", OPENS),
          // lockdep and friends
          HeaderRule.of("deadlock", "WARNING: possible ", "WARNING: possible ", OPENS),
          HeaderRule.of("deadlock", "INFO: possible ", "INFO: possible ", OPENS),
          HeaderRule.of("lockdep", "WARNING: inconsistent lock state", "WARNING: incons", OPENS),
          HeaderRule.of("lockdep", "INFO: inconsistent lock state", "INFO: incons", OPENS),
          HeaderRule.of("lockdep", "WARNING: suspicious RCU usage", "WARNING: susp", OPENS),
          HeaderRule.of("lockdep", "INFO: suspicious RCU usage", "INFO: susp", OPENS),
          HeaderRule.of("lockdep", "INFO: trying to register", "INFO: trying", OPENS),
          HeaderRule.of("lockdep", "WARNING: held lock freed", "WARNING: held", OPENS),
          HeaderRule.of("lockdep", "WARNING: lock held when", "WARNING: lock held", OPENS),
          HeaderRule.of("lockdep", "WARNING: nested lock", "WARNING: nested lock", OPENS),
          HeaderRule.of("lockdep", "WARNING: bad unlock", "WARNING: bad unlock", OPENS),
          HeaderRule.of("lockdep", "WARNING: still has locks", "WARNING: still", OPENS),
          HeaderRule.of("lockdep", "WARNING: HARDIRQ-", "WARNING: HARDIRQ-", OPENS),
          HeaderRule.of("lockdep", "WARNING: SOFTIRQ-", "WARNING: SOFTIRQ-", OPENS),
          HeaderRule.of("lockdep", "WARNING: kernel stack ", "WARNING: kernel stack ", OPENS),
          HeaderRule.of("lockdep", "WARNING: bad usercopy", "WARNING: bad usercopy", OPENS),
          // WARN(): classic, 3.x, and the late-2025 reordered form
          HeaderRule.of("warning", "WARNING: CPU: ", "WARNING: CPU: \\d+ PID: \\d+ at ", OPENS),
          HeaderRule.of("warning", "WARNING: at ", "WARNING: at \\S+", OPENS),
          HeaderRule.of("warning", "WARNING: ", "WARNING: \\S+:\\d+ at .*, CPU#\\d+", OPENS),
          HeaderRule.of("warning", "WARNING: ", "WARNING: ", TENTATIVE),
          // BUG() and friends
          HeaderRule.of("bug", "kernel BUG at ", "kernel BUG at ", OPENS),
          HeaderRule.of("bug", "kernel BUG ", "kernel BUG ", TENTATIVE),
          HeaderRule.of("stack-overflow", "BUG: ", "BUG: \\w* ?stack guard page", OPENS),
          HeaderRule.of("stack-overflow", "PANIC: double fault", "PANIC: double fault", OPENS),
          HeaderRule.of(
              "stack-overflow",
              "Insufficient stack space",
              "Insufficient stack space to handle exception",
              OPENS),
          HeaderRule.of(
              "sleep-in-atomic",
              "BUG: scheduling while atomic",
              "BUG: scheduling while atomic",
              OPENS),
          HeaderRule.of(
              "sleep-in-atomic", "BUG: sleeping function", "BUG: sleeping function", OPENS),
          HeaderRule.of("bad-page-state", "BUG: Bad page", "BUG: Bad page", OPENS),
          HeaderRule.of("bug", "BUG: Bad ", "BUG: Bad ", OPENS),
          HeaderRule.of("bug", "BUG: bad ", "BUG: bad ", OPENS),
          // lockdep before v4.15 framed its headline: "[ BUG: bad unlock balance detected! ]"
          HeaderRule.of("lockdep", "[ BUG: ", "\\[ BUG: .*\\]", OPENS),
          HeaderRule.of("lockdep", "[ INFO: ", "\\[ INFO: .*\\]", OPENS),
          HeaderRule.of("lockdep", "[ WARNING: ", "\\[ WARNING: .*\\]", OPENS),
          // SLUB debug: "BUG kmalloc-8 (Tainted: G B): Object already free" (mm/slub.c slab_bug)
          HeaderRule.of(
              "slab", "BUG ", "BUG [\\w.:-]+ \\((?:Not tainted|Tainted:[^)]*)\\): [A-Z]", OPENS),
          HeaderRule.of("bug", "BUG: spinlock ", "BUG: spinlock ", OPENS),
          HeaderRule.of("bug", "BUG: rwlock ", "BUG: rwlock ", OPENS),
          HeaderRule.of("bug", "BUG: workqueue ", "BUG: workqueue ", OPENS),
          HeaderRule.of("bug", "BUG: using ", "BUG: using \\S+ in preemptible", OPENS),
          HeaderRule.of("bug", "BUG: memory leak", "BUG: memory leak", OPENS),
          // BUG() of arches without their own (include/asm-generic/bug.h): LKL, some embedded
          HeaderRule.of("bug", "BUG: failure at ", "BUG: failure at \\S+:\\d+/", OPENS),
          HeaderRule.of("bug", "BUG: ", "BUG: \\S", TENTATIVE),
          HeaderRule.of("bug", "INFO: ", "INFO: \\S", TENTATIVE),
          HeaderRule.of("list-corruption", "list_add corruption", "list_add corruption", OPENS),
          HeaderRule.of("list-corruption", "list_del corruption", "list_del corruption", OPENS),
          HeaderRule.of("list-corruption", "list_add double add", "list_add double add", OPENS),
          HeaderRule.of("vfs", "VFS: Busy inodes after unmount", "VFS: Busy inodes", OPENS),
          HeaderRule.of(
              "refcount",
              "unregister_netdevice: waiting for",
              "unregister_netdevice: waiting for \\S+ to become free",
              OPENS),
          HeaderRule.of("vfs", "VFS: Close: file count is 0", "VFS: Close: file count", OPENS),
          // general protection and other traps printed as the first line
          HeaderRule.of("gpf", "general protection fault", DIE_TEMPLATE, DIE),
          HeaderRule.of("gpf", "segment-related general", DIE_TEMPLATE, DIE),
          HeaderRule.of("gpf", "Oops: general protection", DIE_TEMPLATE, DIE),
          HeaderRule.of("divide-error", "divide error: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("divide-error", "Oops: divide error: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("divide-error", "divide_error: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("invalid-opcode", "invalid opcode: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("invalid-opcode", "Oops: invalid opcode: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("stack-overflow", "kernel stack overflow", DIE_TEMPLATE, DIE),
          HeaderRule.of("stack-overflow", "Oops: kernel stack overflow", DIE_TEMPLATE, DIE),
          HeaderRule.of("trap", "stack segment: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("trap", "Oops: stack segment: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("trap", "int3: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("trap", "double fault: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("oops", "Oops: ", DIE_TEMPLATE, DIE),
          HeaderRule.of("oops", "Oops", "Oops\\[#\\d+\\]", DIE),
          // powerpc die(): "Oops: Kernel access of bad area, sig: 11 [#1]"; riscv "Oops [#1]"
          HeaderRule.of("oops", "Oops: ", "Oops: .{1,80}, sig: \\d+ \\[#\\d+\\]", DIE),
          HeaderRule.of("oops", "Oops [#", "Oops \\[#\\d+\\]", DIE),
          // arm32 __div0() (arch/arm/kernel/traps.c): a division by zero in kernel code
          HeaderRule.of(
              "divide-error", "Division by zero in kernel", "Division by zero in kernel", OPENS),
          // arm64 / arm32
          HeaderRule.of(
              "page-fault",
              "Unable to handle kernel ",
              "Unable to handle kernel (?:.*? at virtual address (?<addr>{{ADDR}}))?",
              OPENS),
          HeaderRule.of("oops", "Internal error: ", "Internal error: .*\\[#\\d+\\]", DIE),
          HeaderRule.of("page-fault", "Unhandled fault: ", "Unhandled fault: ", OPENS),
          HeaderRule.of("trap", "Alignment trap: ", "Alignment trap: ", TENTATIVE),
          HeaderRule.of("trap", "SError Interrupt on CPU", "SError Interrupt on CPU", OPENS),
          HeaderRule.of("trap", "Bad mode in ", "Bad mode in .* handler detected", OPENS),
          // OOM
          HeaderRule.containing("oom", " invoked oom-killer: ", "\\S+ invoked oom-killer: ", OPENS),
          HeaderRule.of("oom", "Out of memory: ", "Out of memory: Kill", JOINS_OOM),
          HeaderRule.of("oom", "Out of memory (", "Out of memory \\(", JOINS_OOM),
          HeaderRule.of(
              "oom", "Memory cgroup out of memory", "Memory cgroup out of memory", JOINS_OOM),
          // MCE
          HeaderRule.of(
              "mce",
              "mce: [Hardware Error]: CPU ",
              "mce: \\[Hardware Error\\]: CPU \\d+: Machine Check",
              OPENS),
          HeaderRule.of(
              "mce",
              "[Hardware Error]: CPU ",
              "\\[Hardware Error\\]: CPU \\d+: Machine Check",
              OPENS),
          // syzkaller's executor reports its own failures on the console; syzbot files them
          HeaderRule.of("fuzzer", "SYZFAIL: ", "SYZFAIL: ", OPENS),
          HeaderRule.of("fuzzer", "SYZFATAL: ", "SYZFATAL: ", OPENS),
          // panic
          HeaderRule.of(
              "panic",
              "Kernel panic - not syncing",
              "Kernel panic - not syncing:? ?(?<msg>.*)",
              PANIC));

  /**
   * Not a header: the rule of a report made from a call trace, or a program-counter line, that came
   * with no header at all (a trace pasted into a commit message, an e-mail or a ticket). Used only
   * when the input holds no report with a header.
   */
  public static final HeaderRule TRACE_ONLY = HeaderRule.of("trace", "", "", OPENS);

  private static final List<List<HeaderRule>> BY_FIRST_CHAR = index();
  private static final List<HeaderRule> CONTAINING =
      HEADERS.stream().filter(r -> r.prefix().isEmpty()).toList();

  /** Rules by the first character of their prefix (ASCII only), for a cheap first check. */
  private static List<List<HeaderRule>> index() {
    Map<Character, List<HeaderRule>> m = new HashMap<>();
    for (HeaderRule r : HEADERS) {
      if (!r.prefix().isEmpty()) {
        m.computeIfAbsent(r.prefix().charAt(0), k -> new ArrayList<>()).add(r);
      }
    }
    List<List<HeaderRule>> byChar = new ArrayList<>();
    for (char c = 0; c < 128; c++) {
      byChar.add(List.copyOf(m.getOrDefault(c, List.of())));
    }
    return List.copyOf(byChar);
  }

  /**
   * Whether {@code literal} occurs within {@link #CONTAINS_REACH} characters of {@code from}: the
   * text before it is a task name ({@code comm}, at most 15 characters, TASK_COMM_LEN - 1).
   */
  private static boolean containsNear(String text, String literal, int from) {
    int last = Math.min(text.length() - literal.length(), from + CONTAINS_REACH);
    for (int k = from + 1; k <= last; k++) {
      if (text.charAt(k) == literal.charAt(0) && text.startsWith(literal, k)) {
        return true;
      }
    }
    return false;
  }

  /** How far into the line a {@code contains} rule's literal may start. */
  static final int CONTAINS_REACH = 24;

  /** A header rule that matched a line, with its match. */
  public record HeaderMatch(HeaderRule rule, Matcher matcher) {}

  /** The first header rule matching {@code text} from {@code from}, or null. */
  public static @Nullable HeaderMatch match(String text, int from) {
    if (from >= text.length()) {
      return null;
    }
    char first = text.charAt(from);
    List<HeaderRule> rules = first < 128 ? BY_FIRST_CHAR.get(first) : List.of();
    if (!rules.isEmpty()) {
      for (HeaderRule r : rules) {
        if (text.startsWith(r.prefix(), from)) {
          Matcher m = r.match(text, from);
          if (m != null) {
            return new HeaderMatch(r, m);
          }
        }
      }
    }
    for (HeaderRule r : CONTAINING) {
      if (containsNear(text, r.contains(), from)) {
        Matcher m = r.pattern().matcher(text);
        if (m.find(from)) {
          return new HeaderMatch(r, m);
        }
      }
    }
    return null;
  }
}
