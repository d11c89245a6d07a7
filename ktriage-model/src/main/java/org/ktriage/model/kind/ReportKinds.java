package org.ktriage.model.kind;

import static org.ktriage.model.kind.ReportRole.DELIMITED;
import static org.ktriage.model.kind.ReportRole.DIE;
import static org.ktriage.model.kind.ReportRole.JOINS_OOM;
import static org.ktriage.model.kind.ReportRole.OPENS;
import static org.ktriage.model.kind.ReportRole.PANIC;
import static org.ktriage.model.kind.ReportRole.TENTATIVE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.FailureClass;

/**
 * The table of report kinds: every header the kernel prints to open a report (x86_64, i386, arm64,
 * arm32, generic), most specific first, with its family, the class the header proves, its role when
 * a log is cut into reports and how the line is marked. A new kind of kernel report is one entry
 * here (with a {@link TitleFormat} when {@code linux-titles.yaml} has no format for it) plus a
 * corpus file. Sources: arch/x86/mm/fault.c, arch/x86/kernel/dumpstack.c and traps.c,
 * kernel/panic.c, lib/bug.c, kernel/watchdog*.c, kernel/hung_task.c, kernel/rcu/tree_stall.h,
 * mm/oom_kill.c, arch/x86/kernel/cpu/mce/core.c, mm/kasan, mm/kfence, lib/ubsan.c,
 * kernel/locking/lockdep.c, lib/list_debug.c, arch/arm64/mm/fault.c, arch/arm64/kernel/traps.c,
 * arch/arm/mm/fault.c, arch/arm/kernel/traps.c, arch/arm/lib/lib1funcs.S, arch/x86/kernel/nmi.c.
 */
public final class ReportKinds {
  private ReportKinds() {}

  /**
   * The class a family's header proves on its own; families not listed (sanitizers, slab, traps,
   * bare oopses, panics) leave it to the report body and the panic message.
   */
  private static final Map<String, FailureClass> FAMILY_CLASS =
      Map.ofEntries(
          Map.entry("kmsan", FailureClass.UNINIT_VALUE),
          Map.entry("kcsan", FailureClass.DATA_RACE),
          Map.entry("ubsan", FailureClass.UNDEFINED_BEHAVIOR),
          Map.entry("lockdep", FailureClass.DEADLOCK),
          // a subsystem's own assertion line (drbd, ZFS's SPL, Lustre): a failed assertion
          Map.entry("assertion", FailureClass.BUG),
          // unregister_netdevice waits for references that are never dropped (net/core/dev.c)
          Map.entry("refcount", FailureClass.HUNG_TASK));

  /** Die header: {@code Oops: 0002 [#1] …}, ≥v6.10 {@code Oops: Oops: …}, other trap names. */
  public static final String DIE_TEMPLATE =
      "(?:Oops: )?(?<str>Oops|invalid opcode|divide error|divide_error|int3|stack segment|bounds"
          + "|general protection fault(?:,? (?:probably )?for (?:non-canonical )?address {{HEX}})?"
          + "|segment-related general protection fault|kernel stack overflow \\(double-fault\\)"
          + "|double fault|alignment check|coprocessor segment overrun|invalid TSS"
          + "|segment not present|overflow|machine check|spurious interrupt bug"
          + "|simd exception|coprocessor error|control protection fault|invalid operand"
          + "): (?<err>[0-9a-f]{4,16})(?: \\[#(?<n>\\d+)\\])?";

  /** drbd's "ASSERTION %s FAILED in %s" titled by the function it names. */
  private static final TitleFormat DRBD_TITLE =
      new TitleFormat(
          "ASSERTION ",
          "ASSERTION .+ FAILED in (\\w+)",
          "ASSERTION FAILED in {1}",
          List.of(),
          List.of(),
          List.of());

  /** Every header rule, in match priority order. */
  public static final List<ReportKind> HEADERS =
      List.of(
          // x86 page faults (v5.1+ forms, then the old and interim ones)
          of(
              "null-deref",
              "BUG: kernel NULL pointer dereference",
              "BUG: kernel NULL pointer dereference, address: (?<addr>{{ADDR}})",
              OPENS),
          of(
              "page-fault",
              "BUG: unable to handle page fault",
              "BUG: unable to handle page fault for address: (?<addr>{{ADDR}})",
              OPENS),
          of(
              "page-fault",
              "BUG: unable to handle kernel",
              "BUG: unable to handle kernel (?:.*? at (?<addr>{{ADDR}}|\\s*\\(null\\)))?",
              OPENS),
          // powerpc ≥v5.2 (arch/powerpc/mm/fault.c bad_kernel_fault / __bad_page_fault): "BUG:
          // Kernel NULL pointer dereference on read at 0x00000000", "BUG: Unable to handle kernel
          // data access on write at 0x…", "BUG: Unable to handle kernel instruction fetch (NULL
          // pointer?)"
          of(
              "null-deref",
              "BUG: Kernel NULL pointer dereference",
              "BUG: Kernel NULL pointer dereference(?: on \\w+ at (?<addr>{{ADDR}}))?",
              OPENS),
          of(
              "page-fault",
              "BUG: Unable to handle kernel ",
              "BUG: Unable to handle kernel (?:.*? at (?<addr>{{ADDR}}))?",
              OPENS),
          of(
              "page-fault",
              "kernel tried to execute NX-protected page",
              "kernel tried to execute NX-protected page",
              OPENS),
          of(
              "page-fault",
              "unable to execute userspace code",
              "unable to execute userspace code",
              OPENS),
          // sanitizers: closed by a ==== line
          of("kasan", "BUG: KASAN: ", "BUG: KASAN: ", DELIMITED),
          of("kfence", "BUG: KFENCE: ", "BUG: KFENCE: ", DELIMITED),
          of("kmsan", "BUG: KMSAN: ", "BUG: KMSAN: ", DELIMITED),
          of("kcsan", "BUG: KCSAN: ", "BUG: KCSAN: ", DELIMITED),
          // KASAN before v4.4 spelled itself "KASan" ("BUG: KASan: use after free in f+0x1/0x2 at
          // addr …", mm/kasan/report.c v4.0-v4.3)
          of("kasan", "BUG: KASan: ", "BUG: KASan: ", DELIMITED),
          of("ubsan", "UBSAN: ", "UBSAN: \\S", DELIMITED),
          of("ubsan", "UBSAN: Undefined behaviour", "UBSAN: Undefined", DELIMITED),
          // lockups, stalls, hangs
          of("soft-lockup", "watchdog: BUG: soft lockup", "watchdog: BUG: soft", OPENS),
          of("soft-lockup", "NMI watchdog: BUG: soft lockup", "NMI watchdog: BUG: soft", OPENS),
          of("soft-lockup", "BUG: soft lockup", "BUG: soft lockup", OPENS),
          of(
              "hard-lockup",
              "NMI watchdog: Watchdog detected hard LOCKUP",
              "NMI watchdog: Watchdog detected hard LOCKUP",
              OPENS),
          of(
              "hard-lockup",
              "watchdog: Watchdog detected hard LOCKUP",
              "watchdog: Watchdog detected hard LOCKUP",
              OPENS),
          of(
              "hard-lockup",
              "Watchdog detected hard LOCKUP",
              "Watchdog detected hard LOCKUP",
              OPENS),
          // powerpc watchdog (arch/powerpc/kernel/watchdog.c watchdog_smp_panic/wd_lockup_ipi)
          of("hard-lockup", "Watchdog CPU:", "Watchdog CPU:\\d+ Hard LOCKUP", OPENS),
          // powerpc watchdog with its pr_fmt: "watchdog: CPU 15 Hard LOCKUP" (wd_lockup_ipi),
          // "watchdog: CPU 3 self-detected hard LOCKUP @ f" (watchdog_timer_interrupt),
          // "watchdog: CPU 2 detected hard LOCKUP on other CPUs 5" (watchdog_smp_panic)
          titled(
              "hard-lockup",
              "watchdog: CPU ",
              "watchdog: CPU \\d+ (?:self-detected |detected )?[Hh]ard LOCKUP",
              OPENS,
              new TitleFormat(
                  "watchdog: CPU ",
                  "watchdog: CPU \\d+ (?:self-detected |detected )?[Hh]ard LOCKUP",
                  // the stuck CPU spins in whatever it was doing: no function is named
                  "watchdog: hard LOCKUP",
                  List.of(),
                  List.of(),
                  List.of())),
          // the hard-lockup detector's message behind a prefix of another watchdog driver's
          // (kernel/watchdog_hld.c watchdog_overflow_callback "Watchdog detected hard LOCKUP on
          // cpu %d", vendor BookE watchdogs print it as "BookE Watchdog detected …")
          containing(
              "hard-lockup",
              "Watchdog detected hard LOCKUP on cpu",
              "\\w+ Watchdog detected hard LOCKUP on cpu \\d+",
              OPENS),
          // x86 NMI watchdog before v2.6.37 (arch/x86/kernel/apic/nmi.c die_nmi())
          of("hard-lockup", "NMI Watchdog detected LOCKUP", "NMI Watchdog detected LOCKUP", OPENS),
          of(
              "hung-task",
              "INFO: task ",
              // the seconds optional: a line cut after "more than" still opens the report
              "INFO: task (?<comm>.{1,64}):(?<pid>\\d+) blocked for more than"
                  + "(?: (?<seconds>\\d+) seconds)?",
              OPENS),
          of(
              "hung-task",
              "INFO: task ",
              "INFO: task (?<comm>.{1,64}):(?<pid>\\d+) can't die"
                  + "(?: for more than (?<seconds>\\d+) seconds)?",
              OPENS),
          of("rcu-stall", "rcu: INFO: ", "rcu: INFO: \\S+ .*stall", OPENS),
          of("rcu-stall", "INFO: rcu", "INFO: rcu.*(?:stall|detected)", OPENS),
          of("rcu-stall", "rcu: rcu_", "rcu: rcu_\\w+ kthread starved", OPENS),
          of("rcu-stall", "INFO: rcu_", "INFO: rcu_\\w+ kthread starved", OPENS),
          // a stalled CPU's line (kernel/rcu/tree_stall.h print_cpu_stall_info: "rcu:   3-....:
          // (24002 ticks this GP) idle=…", before v4.20 without the pr_fmt and the dashes) opens
          // the report when its headline was lost: it is printed only inside a stall warning
          of(
              "rcu-stall",
              "rcu: ",
              "rcu:\\s+\\d+-\\S{4}: \\(\\d+ (?:ticks this GP|GPs behind)\\) idle=",
              TENTATIVE),
          // lockdep and friends
          of("deadlock", "WARNING: possible ", "WARNING: possible ", OPENS),
          of("deadlock", "INFO: possible ", "INFO: possible ", OPENS),
          of("lockdep", "WARNING: inconsistent lock state", "WARNING: incons", OPENS),
          of("lockdep", "INFO: inconsistent lock state", "INFO: incons", OPENS),
          of("lockdep", "WARNING: suspicious RCU usage", "WARNING: susp", OPENS),
          of("lockdep", "INFO: suspicious RCU usage", "INFO: susp", OPENS),
          of("lockdep", "INFO: trying to register", "INFO: trying", OPENS),
          of("lockdep", "WARNING: held lock freed", "WARNING: held", OPENS),
          of("lockdep", "WARNING: lock held when", "WARNING: lock held", OPENS),
          of("lockdep", "WARNING: nested lock", "WARNING: nested lock", OPENS),
          of("lockdep", "WARNING: bad unlock", "WARNING: bad unlock", OPENS),
          of("lockdep", "WARNING: still has locks", "WARNING: still", OPENS),
          of("lockdep", "WARNING: HARDIRQ-", "WARNING: HARDIRQ-", OPENS),
          of("lockdep", "WARNING: SOFTIRQ-", "WARNING: SOFTIRQ-", OPENS),
          of("lockdep", "WARNING: kernel stack ", "WARNING: kernel stack ", OPENS),
          of("lockdep", "WARNING: bad usercopy", "WARNING: bad usercopy", OPENS),
          // WARN(): classic, 3.x, and the late-2025 reordered form
          of("warning", "WARNING: CPU: ", "WARNING: CPU: \\d+ PID: \\d+ at ", OPENS),
          of("warning", "WARNING: at ", "WARNING: at \\S+", OPENS),
          of("warning", "WARNING: ", "WARNING: \\S+:\\d+ at .*, CPU#\\d+", OPENS),
          of("warning", "WARNING: ", "WARNING: ", TENTATIVE),
          // BUG() and friends
          of("bug", "kernel BUG at ", "kernel BUG at ", OPENS),
          of("bug", "kernel BUG ", "kernel BUG ", TENTATIVE),
          of("stack-overflow", "BUG: ", "BUG: \\w* ?stack guard page", OPENS),
          of("stack-overflow", "PANIC: double fault", "PANIC: double fault", OPENS),
          of(
              "stack-overflow",
              "Insufficient stack space",
              "Insufficient stack space to handle exception",
              OPENS),
          of(
              "sleep-in-atomic",
              "BUG: scheduling while atomic",
              "BUG: scheduling while atomic",
              OPENS),
          of("sleep-in-atomic", "BUG: sleeping function", "BUG: sleeping function", OPENS),
          of("bad-page-state", "BUG: Bad page", "BUG: Bad page", OPENS),
          // kernel/fork.c check_mm(): an mm freed while it still counts page-table bytes (page
          // tables leaked or mis-accounted; beside "BUG: Bad rss-counter state"). v4.15+
          // (af5b0f6a09e4 "mm: consolidate page table accounting"); nr_ptes/nr_pmds before. One
          // line, no stack: the title names no function.
          titled(
              "bad-page-state",
              "BUG: non-zero ",
              "BUG: non-zero (?:pgtables_bytes|nr_ptes|nr_pmds) on freeing mm: -?\\d+",
              OPENS,
              new TitleFormat(
                  "BUG:",
                  "BUG: non-zero pgtables_bytes on freeing mm",
                  "BUG: non-zero pgtables_bytes on freeing mm",
                  List.of(),
                  List.of(),
                  List.of())),
          of("bug", "BUG: Bad ", "BUG: Bad ", OPENS),
          of("bug", "BUG: bad ", "BUG: bad ", OPENS),
          // lockdep before v4.15 framed its headline: "[ BUG: bad unlock balance detected! ]"
          of("lockdep", "[ BUG: ", "\\[ BUG: .*\\]", OPENS),
          of("lockdep", "[ INFO: ", "\\[ INFO: .*\\]", OPENS),
          of("lockdep", "[ WARNING: ", "\\[ WARNING: .*\\]", OPENS),
          // SLUB debug: "BUG kmalloc-8 (Tainted: G B): Object already free" (mm/slub.c slab_bug)
          of("slab", "BUG ", "BUG [\\w.:-]+ \\((?:Not tainted|Tainted:[^)]*)\\): [A-Z]", OPENS),
          // SLUB of 2.6 kernels printed no taint: "BUG %s: %s" (slab_bug), with the wordings of
          // check_bytes_and_report/check_object/check_slab/on_freelist/free_debug_processing
          of(
              "slab",
              "BUG ",
              "BUG [\\w.:-]+: (?:(?:Right |Left )?Redzone overwritten|Poison overwritten"
                  + "|Object padding overwritten|Padding overwritten|Object already free"
                  + "|Freepointer corrupt|Freechain corrupt|Invalid object pointer"
                  + "|Wrong object count|Objects remaining|Invalid slab|Not a valid slab page"
                  + "|Wrong number of objects|Redzone|Poison|Padding)",
              OPENS),
          of("bug", "BUG: spinlock ", "BUG: spinlock ", OPENS),
          of("bug", "BUG: rwlock ", "BUG: rwlock ", OPENS),
          of("bug", "BUG: workqueue ", "BUG: workqueue ", OPENS),
          of("bug", "BUG: using ", "BUG: using \\S+ in preemptible", OPENS),
          of("bug", "BUG: memory leak", "BUG: memory leak", OPENS),
          // BUG() of arches without their own (include/asm-generic/bug.h): LKL, some embedded
          of("bug", "BUG: failure at ", "BUG: failure at \\S+:\\d+/", OPENS),
          of("bug", "BUG: ", "BUG: \\S", TENTATIVE),
          of("bug", "INFO: ", "INFO: \\S", TENTATIVE),
          // A subsystem's own assertion line: the subsystem prints it and goes on with the broken
          // state (drbd) or dumps the asserting thread's stack and parks it (the SPL, Lustre), so
          // a later lockup, hang or oops of that task or CPU is its consequence. The function whose
          // check failed is named on the line as (?<func>) where the macro prints __func__.
          // drbd D_ASSERT()/expect() (drivers/block/drbd/drbd_int.h): drbd_err() "ASSERTION %s
          // FAILED in %s" with __func__, behind "drbd <resource>[/<vol> <minor>] [<peer>]: "
          // (drbd 9) or dev_err()'s "block drbd<minor>: " (mainline, drbd 8.x); mainline's older
          // D_ASSERT() printed "ASSERT( %s ) in %s:%d" with __FILE__ and __LINE__ instead.
          assertion(
              "drbd ", "drbd \\S+(?: \\S+){0,2}: ASSERTION .+ FAILED in (?<func>\\w+)", DRBD_TITLE),
          assertion(
              "block drbd", "block drbd\\d+: ASSERTION .+ FAILED in (?<func>\\w+)", DRBD_TITLE),
          assertion(
              "block drbd",
              "block drbd\\d+: ASSERT\\( .+ \\) in \\S+:\\d+",
              new TitleFormat(
                  "ASSERT( ",
                  "ASSERT\\( .+ \\) in (?:\\S+/)?([\\w.-]+):\\d+",
                  "ASSERT failed in {1}",
                  List.of(),
                  List.of(),
                  List.of())),
          // ZFS's SPL VERIFY()/ASSERT() (include/os/linux/spl/sys/debug.h spl_assert(), VERIFY3*
          // and VERIFY0*; module/os/linux/spl/spl-err.c spl_panic()): "VERIFY(%s) failed",
          // "VERIFY3(%s) failed (%lld == %lld)", "VERIFY0(%s) failed (%lld)", then "PANIC at
          // file:line:func()", spl_dumpstack() and the thread parked in TASK_UNINTERRUPTIBLE;
          // before 0.6.3 (spl_debug_bug()) behind SPLError's "pid:0:(file:line:func())" location,
          // ASSERT() spelled "ASSERTION(%s) failed"
          assertion(
              "SPLError: ",
              "SPLError: \\d+:\\d+:\\([\\w.-]+:\\d+:(?<func>\\w+)\\(\\)\\) (?:ASSERTION|VERIFY\\w*)\\("
                  + ".*\\) failed",
              new TitleFormat(
                  "SPLError: ",
                  "SPLError: \\d+:\\d+:\\([\\w.-]+:\\d+:(\\w+)\\(\\)\\) (ASSERTION|VERIFY)\\w*\\(.*\\) failed",
                  "{2} failed in {1}",
                  List.of(),
                  List.of(),
                  List.of())),
          splAssertion("VERIFY(", "VERIFY"),
          splAssertion("VERIFY3(", "VERIFY"),
          splAssertion("VERIFY0", "VERIFY"),
          splAssertion("ASSERTION(", "ASSERTION"),
          // Lustre's LASSERT()/LASSERTF() (libcfs/include/libcfs/libcfs_private.h):
          // libcfs_debug_msg() "ASSERTION( %s ) failed: " behind the console prefix "LustreError:
          // pid:ext:(file:line:func()) ", then lbug_with_loc() "LBUG", the stack, and panic("LBUG")
          // or the thread parked
          assertion(
              "LustreError: ",
              "LustreError: \\d+:\\d+:\\([\\w.-]+:\\d+:(?<func>\\w+)\\(\\)\\)"
                  + " ASSERTION\\( .* \\) failed",
              new TitleFormat(
                  "ASSERTION( ",
                  "\\([\\w.-]+:\\d+:(\\w+)\\(\\)\\) ASSERTION\\( .* \\) failed",
                  "ASSERTION failed in {1}",
                  List.of(),
                  List.of(),
                  List.of())),
          of("list-corruption", "list_add corruption", "list_add corruption", OPENS),
          of("list-corruption", "list_del corruption", "list_del corruption", OPENS),
          of("list-corruption", "list_add double add", "list_add double add", OPENS),
          of("vfs", "VFS: Busy inodes after unmount", "VFS: Busy inodes", OPENS),
          of(
              "refcount",
              "unregister_netdevice: waiting for",
              "unregister_netdevice: waiting for \\S+ to become free",
              OPENS),
          of("vfs", "VFS: Close: file count is 0", "VFS: Close: file count", OPENS),
          // general protection and other traps printed as the first line
          of("gpf", "general protection fault", DIE_TEMPLATE, DIE),
          of("gpf", "segment-related general", DIE_TEMPLATE, DIE),
          of("gpf", "Oops: general protection", DIE_TEMPLATE, DIE),
          of("divide-error", "divide error: ", DIE_TEMPLATE, DIE),
          of("divide-error", "Oops: divide error: ", DIE_TEMPLATE, DIE),
          of("divide-error", "divide_error: ", DIE_TEMPLATE, DIE),
          of("invalid-opcode", "invalid opcode: ", DIE_TEMPLATE, DIE),
          of("invalid-opcode", "Oops: invalid opcode: ", DIE_TEMPLATE, DIE),
          of("stack-overflow", "kernel stack overflow", DIE_TEMPLATE, DIE),
          of("stack-overflow", "Oops: kernel stack overflow", DIE_TEMPLATE, DIE),
          // a die header whose error code and counter went to the next line (a console or a paste
          // wrapped it): the trap name alone still opens the report
          of("gpf", "general protection fault", "general protection fault\\b", OPENS),
          of("gpf", "Oops: general protection", "Oops: general protection fault\\b", OPENS),
          // KASAN's decoding of a #GP's non-canonical address (mm/kasan/report.c
          // kasan_non_canonical_hook, called only from x86 die_addr() right after the #GP's die
          // header): a paste that kept this line and lost the header still shows the #GP
          of(
              "gpf",
              "KASAN: ",
              "KASAN: (?:null-ptr-deref|maybe wild-memory-access|probably user-memory-access)"
                  + " in range \\[",
              OPENS),
          of("trap", "stack segment: ", DIE_TEMPLATE, DIE),
          of("trap", "Oops: stack segment: ", DIE_TEMPLATE, DIE),
          of("trap", "int3: ", DIE_TEMPLATE, DIE),
          of("trap", "double fault: ", DIE_TEMPLATE, DIE),
          of("oops", "Oops: ", DIE_TEMPLATE, DIE),
          of("oops", "Oops", "Oops\\[#\\d+\\]", DIE),
          // powerpc die(): "Oops: Kernel access of bad area, sig: 11 [#1]"; riscv die(): "Oops
          // [#1]"
          of("oops", "Oops: ", "Oops: .{1,80}, sig: \\d+ \\[#\\d+\\]", DIE),
          of("oops", "Oops [#", "Oops \\[#\\d+\\]", DIE),
          // s390 die() of a program check: "illegal operation: 0001 ilc:1 [#1]"
          // (arch/s390/kernel/traps.c do_trap, arch/s390/kernel/dumpstack.c die)
          titled(
              "invalid-opcode",
              "illegal operation: ",
              "illegal operation: [0-9a-f]{4} ilc:\\d \\[#\\d+\\]",
              DIE,
              new TitleFormat(
                  "illegal operation",
                  "illegal operation: [0-9a-f]{4} ilc:\\d \\[#\\d+\\]",
                  "illegal operation",
                  List.of(),
                  List.of(),
                  List.of())),
          titled(
              "invalid-opcode",
              "privileged operation: ",
              "privileged operation: [0-9a-f]{4} ilc:\\d \\[#\\d+\\]",
              DIE,
              new TitleFormat(
                  "privileged operation",
                  "privileged operation: [0-9a-f]{4} ilc:\\d \\[#\\d+\\]",
                  "privileged operation",
                  List.of(),
                  List.of(),
                  List.of())),
          // mips die(): "Reserved instruction in kernel code[#1]:" (arch/mips/kernel/traps.c
          // do_ri); do_page_fault's no_context prints "CPU 0 Unable to handle kernel paging request
          // at virtual address …, epc == …, ra == …" first (arch/mips/mm/fault.c)
          of(
              "invalid-opcode",
              "Reserved instruction in kernel code",
              "Reserved instruction in kernel code\\[#\\d+\\]",
              DIE),
          // mips die_if_kernel() of the other traps taken in kernel mode (arch/mips/kernel/traps.c:
          // do_cpu on a coprocessor-unusable exception, do_bp on BUG() "Kernel bug detected",
          // do_tr, do_ov, do_fpe, do_ade): die() prints "%s[#%d]:"
          mipsDie("bug", "do_cpu invoked from kernel context!"),
          mipsDie("bug", "Kernel bug detected"),
          mipsDie("bug", "Break instruction in kernel code"),
          mipsDie("bug", "Trap instruction in kernel code"),
          mipsDie("page-fault", "Unhandled kernel unaligned access"),
          containing(
              "page-fault",
              "Unable to handle kernel paging request at virtual address",
              "CPU \\d+ Unable to handle kernel paging request at virtual address"
                  + " (?<addr>{{ADDR}})",
              OPENS),
          // arm64 / arm32
          of(
              "page-fault",
              "Unable to handle kernel ",
              "Unable to handle kernel (?:.*? at virtual address (?<addr>{{ADDR}}))?",
              OPENS),
          of("oops", "Internal error: ", "Internal error: .*\\[#\\d+\\]", DIE),
          of("page-fault", "Unhandled fault: ", "Unhandled fault: ", OPENS),
          of("trap", "Alignment trap: ", "Alignment trap: ", TENTATIVE),
          of("trap", "SError Interrupt on CPU", "SError Interrupt on CPU", OPENS),
          of("trap", "Bad mode in ", "Bad mode in .* handler detected", OPENS),
          // arm32 has no divide instruction; the kernel's division helpers branch to Ldiv0 on a
          // zero divisor, which calls __div0(): it prints this line and dump_stack(), then the
          // kernel goes on (arch/arm/lib/lib1funcs.S, arch/arm/kernel/traps.c __div0).
          titled(
              "divide-error",
              "Division by zero in kernel.",
              "Division by zero in kernel\\.",
              OPENS,
              new TitleFormat(
                  "Division by zero in kernel.",
                  "Division by zero in kernel",
                  "Division by zero in {1}",
                  List.of(),
                  List.of("$calltrace", "$stack"),
                  // the helpers that divided: the caller passed the zero divisor
                  List.of(
                      "^__div0$",
                      "^Ldiv0",
                      "^__aeabi_[ul]?[il]?div",
                      "^__(u)?divsi3$",
                      "^__do_div64$",
                      "^div(64)?_[us]64",
                      "^unwind_backtrace$"))),
          // OOM
          containing("oom", " invoked oom-killer: ", "\\S+ invoked oom-killer: ", OPENS),
          of("oom", "Out of memory: ", "Out of memory: Kill", JOINS_OOM),
          of("oom", "Out of memory (", "Out of memory \\(", JOINS_OOM),
          of("oom", "Memory cgroup out of memory", "Memory cgroup out of memory", JOINS_OOM),
          // MCE
          of(
              "mce",
              "mce: [Hardware Error]: CPU ",
              "mce: \\[Hardware Error\\]: CPU \\d+: Machine Check",
              OPENS),
          of(
              "mce",
              "[Hardware Error]: CPU ",
              "\\[Hardware Error\\]: CPU \\d+: Machine Check",
              OPENS),
          // an NMI no handler claimed and whose reason port (0x61) shows neither SERR nor IOCHK:
          // "Uhhuh. NMI received for unknown reason 2d on CPU 42." then "Dazed and confused, but
          // trying to continue", or panic "NMI: Not continuing" with unknown_nmi_panic
          // (arch/x86/kernel/nmi.c unknown_nmi_error; 2.4 kernels printed no " on CPU n"). Printed
          // from the NMI handler without a stack: the title names no function.
          titled(
              "mce",
              "Uhhuh. NMI received for unknown reason",
              "Uhhuh\\. NMI received for unknown reason [0-9a-f]{2}(?: on CPU \\d+)?\\.?",
              OPENS,
              new TitleFormat(
                  "Uhhuh. NMI received for unknown reason",
                  "Uhhuh\\. NMI received for unknown reason",
                  "Uhhuh. NMI received for unknown reason",
                  List.of(),
                  List.of(),
                  List.of())),
          // 2.6's NMI for a memory parity error or a PCI SERR (reason port 0x61 bit 7;
          // arch/i386/kernel/traps.c and arch/x86_64/kernel/traps.c mem_parity_error): "Uhhuh. NMI
          // received. Dazed and confused, but trying to continue" then "You probably have a
          // hardware problem with your RAM chips" (v2.6.35+ pci_serr_error prints "NMI: PCI system
          // error (SERR) for reason …" instead). Printed from the NMI handler without a stack.
          titled(
              "mce",
              "Uhhuh. NMI received. Dazed and confused",
              "Uhhuh\\. NMI received\\. Dazed and confused",
              OPENS,
              new TitleFormat(
                  "Uhhuh. NMI received. Dazed and confused",
                  "Uhhuh\\. NMI received\\. Dazed and confused",
                  "Uhhuh. NMI received. Dazed and confused",
                  List.of(),
                  List.of(),
                  List.of())),
          // grsecurity/PaX's size_overflow gcc plugin: an integer overflow in a size computation
          // (fs/exec.c report_size_overflow: "PAX: size overflow detected in function %s %s:%u
          // %s", then dump_stack())
          titled(
              "undefined-behavior",
              "PAX: size overflow detected in function ",
              "PAX: size overflow detected in function (?<func>{{SYM}})",
              OPENS,
              new TitleFormat(
                  "PAX: size overflow detected in function ",
                  "PAX: size overflow detected in function ({{SYM}})",
                  "PAX: size overflow in {1}",
                  List.of(),
                  List.of(),
                  List.of())),
          // syzkaller's executor reports its own failures on the console; syzbot files them
          of("fuzzer", "SYZFAIL: ", "SYZFAIL: ", OPENS),
          of("fuzzer", "SYZFATAL: ", "SYZFATAL: ", OPENS),
          // panic
          of(
              "panic",
              "Kernel panic - not syncing",
              "Kernel panic - not syncing:? ?(?<msg>.*)",
              PANIC));

  // ---- Wordings: what a printed line says about the class, wherever it appears (the headline, a
  // die header, a line of the body, a panic message). The headers above say where a report starts;
  // these say what failed. FailureClassifier (analysis) is their engine: the first match wins.

  private static Wording wording(FailureClass c, String regex) {
    return new Wording(c, Pattern.compile(regex));
  }

  /**
   * Lines in a report's body that override its headline: they say what the headline could not
   * (KASAN decoding a #GP on a shadow address, sysrq-c before ≈v5.0 writing through NULL).
   */
  public static final List<Wording> BODY_OVERRIDES =
      List.of(
          wording(FailureClass.SYSRQ_CRASH, "\\bsysrq_handle_crash\\b"),
          wording(FailureClass.NULL_DEREF, "^KASAN: null-ptr-deref in range"));

  /** Headline, die-header and body patterns, most specific first. */
  public static final List<Wording> CLASS_WORDINGS =
      List.of(
          wording(FailureClass.SYSRQ_CRASH, "sysrq triggered crash"),
          wording(FailureClass.NULL_DEREF, "KASAN: null-ptr-deref"),
          wording(FailureClass.USE_AFTER_FREE, "(KASAN|KFENCE): [\\w-]*use-after-free"),
          wording(
              FailureClass.DOUBLE_FREE, "(KASAN|KFENCE): (double-free|invalid-free|invalid free)"),
          wording(FailureClass.OUT_OF_BOUNDS, "(KASAN|KFENCE): [\\w-]*out-of-bounds"),
          wording(FailureClass.OUT_OF_BOUNDS, "KFENCE: memory corruption"),
          wording(
              FailureClass.PAGE_FAULT, "(KASAN|KFENCE): (wild-memory-access|user-memory-access)"),
          wording(FailureClass.PAGE_FAULT, "KFENCE: invalid (read|write)"),
          wording(FailureClass.USE_AFTER_FREE, "KASAN: invalid-access"),
          wording(FailureClass.USE_AFTER_FREE, "KASan: use after free"),
          wording(FailureClass.OUT_OF_BOUNDS, "KASan: out of bounds"),
          wording(FailureClass.UNINIT_VALUE, "KMSAN: "),
          wording(FailureClass.DATA_RACE, "KCSAN: "),
          wording(FailureClass.MEMORY_LEAK, "BUG: memory leak|^unreferenced object 0x"),
          wording(FailureClass.OUT_OF_BOUNDS, "UBSAN: [\\w-]*out-of-bounds"),
          wording(FailureClass.UNDEFINED_BEHAVIOR, "UBSAN: "),
          wording(
              FailureClass.LIST_CORRUPTION,
              "list_(add|del) corruption|list_add double add|BUG: corrupted list"
                  + "|lib/list_debug\\.c|__list_(add|del)_entry_valid"),
          wording(
              FailureClass.DOUBLE_FREE,
              "Object already free|double free detected|double-free|BUG: double free"),
          wording(FailureClass.BAD_PAGE_STATE, "BUG: Bad (page state|page map|rss-counter)"),
          wording(
              FailureClass.STACK_OVERFLOW,
              "stack guard page (was )?hit|kernel stack overflow|double fault"
                  + "|stack-protector: Kernel stack is corrupted|corrupted stack end"
                  + "|Thread overran stack|stack guard hit|Insufficient stack space"),
          wording(
              FailureClass.MCE,
              "Machine Check Exception|Machine check: |Fatal machine check|\\[Hardware Error\\]"
                  + "|SError Interrupt|Fatal hardware error"),
          wording(FailureClass.NULL_DEREF, "NULL pointer dereference"),
          // powerpc ≥v5.2 below PAGE_SIZE (arch/powerpc/mm/fault.c bad_kernel_fault)
          wording(
              FailureClass.NULL_DEREF,
              "Unable to handle kernel instruction fetch \\(NULL pointer\\?\\)"),
          wording(
              FailureClass.PAGE_FAULT,
              "unable to handle kernel paging request|unable to handle page fault"
                  + "|Unable to handle kernel (paging request|access|execute|write|execution|read"
                  + "|data access|instruction fetch|pointer dereference)"
                  + "|BUG: unable to handle kernel|Unhandled fault|Bad pagetable"),
          wording(FailureClass.GPF, "general protection fault|^(Oops: )?stack segment: "),
          wording(
              FailureClass.BUG,
              "[Kk]ernel BUG at|kernel BUG\\b|BUG: failure at|Internal error: Oops - BUG"
                  + "|BUG: bad usercopy|usercopy: Kernel memory (exposure|overwrite) attempt"),
          wording(
              FailureClass.DIVIDE_ERROR, "divide error|^(Oops: )?divide_error: |Division by zero"),
          wording(
              FailureClass.INVALID_OPCODE,
              "invalid opcode|Undefined instruction|int3: "
                  // arm32 die() of do_undefinstr; mips do_ri
                  + "|Oops - undefined instruction|Reserved instruction in kernel code"
                  // s390 die() of a program check (arch/s390/kernel/traps.c)
                  + "|^(illegal|privileged) operation: [0-9a-f]{4} ilc:\\d"),
          wording(FailureClass.SOFT_LOCKUP, "soft lockup|softlockup"),
          wording(
              FailureClass.HARD_LOCKUP,
              "hard LOCKUP|Hard LOCKUP|hard lockup|Watchdog detected LOCKUP"),
          wording(
              FailureClass.RCU_STALL,
              "detected (expedited )?stalls? on CPU|self-detected stall|rcu.* kthread starved"
                  + "|RCU Stall|rcu detected stall|rcu_(sched|preempt|bh) detected stall"
                  // a stalled CPU's line (kernel/rcu/tree_stall.h print_cpu_stall_info)
                  + "|\\(\\d+ ticks this GP\\)"),
          wording(
              FailureClass.HUNG_TASK,
              "blocked for more than \\d+ seconds|hung_task|task hung|can't die for more than"
                  + "|waiting for \\w+ to become free"),
          wording(
              FailureClass.SLEEP_IN_ATOMIC,
              "scheduling while atomic|sleeping function called from invalid context"
                  + "|using smp_processor_id\\(\\) in preemptible|using __this_cpu_"
                  + "|workqueue leaked lock or atomic|Voluntary context switch within RCU"),
          // lock debugging's checks of a lock word (kernel/locking/spinlock_debug.c spin_bug,
          // rwlock_bug): a lock never initialised or overwritten ("bad magic"), released twice or
          // by another task or CPU is a misuse bug; "recursion" and "lockup suspected" are
          // deadlocks
          wording(
              FailureClass.BUG,
              "BUG: (?:spinlock|rwlock) (?:bad magic|already unlocked|wrong owner|wrong CPU)"),
          wording(
              FailureClass.DEADLOCK,
              "circular locking|recursive locking|inconsistent lock state|lock inversion"
                  + "|lock order detected|spinlock recursion|spinlock lockup|possible deadlock"
                  + "|bad unlock balance|held lock freed|still has locks held"
                  + "|nested lock was not taken|locking bug|BUG: (spinlock|rwlock)"
                  + "|workqueue lockup|lock held when returning|bad contention state"
                  + "|trying to register non-static key|MAX_LOCKDEP|MAX_STACK_TRACE_ENTRIES"
                  + "|lock held at task exit|Invalid wait context|lockdep"),
          wording(FailureClass.OOM, "invoked oom-killer|Out of memory|oom-kill:|panic_on_oom"),
          wording(
              FailureClass.WARNING,
              // lockdep_rcu_dereference() before v2.6.37 named the accessor it checked
              "suspicious RCU usage|suspicious rcu_dereference_check\\(\\) usage|refcount_t: |ODEBUG: "));

  /**
   * The generic headers' wordings, tried after {@link #CLASS_WORDINGS} and after the class of a
   * kind this table titles itself: a bare die header, {@code WARNING:} and {@code BUG:} say only
   * that something was reported.
   */
  public static final List<Wording> GENERIC_WORDINGS =
      List.of(
          wording(FailureClass.PAGE_FAULT, "^(Oops: )?Oops: [0-9a-f]{4}|Internal error: Oops: "),
          wording(FailureClass.WARNING, "^WARNING: |^WARNING |\\bWARNING: CPU: |\\[ cut here \\]"),
          wording(FailureClass.PAGE_FAULT, "^Oops[: ]|^Oops\\[#\\d+\\]|Internal error: "),
          wording(FailureClass.BUG, "^BUG: |^BUG |kernel BUG"));

  /** Panic messages ({@code Kernel panic - not syncing: <message>}) → the trigger they name. */
  public static final List<Wording> PANIC_WORDINGS =
      List.of(
          wording(FailureClass.HARD_LOCKUP, "(?i)hard lockup"),
          wording(FailureClass.SOFT_LOCKUP, "(?i)softlockup|soft lockup"),
          wording(FailureClass.HUNG_TASK, "hung_task|blocked tasks"),
          wording(FailureClass.RCU_STALL, "(?i)RCU Stall"),
          wording(FailureClass.WARNING, "panic_on_warn|warned too often"),
          wording(FailureClass.OOM, "(?i)out of memory|panic_on_oom"),
          wording(FailureClass.SYSRQ_CRASH, "sysrq triggered crash"),
          wording(
              FailureClass.MCE,
              "(?i)machine check|hardware error|SError|NMI: Not continuing|NMI IOCK error"),
          wording(
              FailureClass.STACK_OVERFLOW,
              "stack-protector|stack guard|stack overflow|corrupted stack end|double fault"
                  + "|Machine halted"),
          wording(FailureClass.LIST_CORRUPTION, "list_(add|del) corruption"));

  /**
   * Panic messages that only say an oops was fatal: {@code Fatal exception} (x86 oops_end,
   * arm64/s390/powerpc die after an exception in kernel mode; {@code … in interrupt} in an
   * interrupt) and {@code Oopsed too often} (kernel/panic.c check_panic_on_oops, oops_limit): the
   * oops before them names the class, so the wording proves none.
   */
  public static final Wording FATAL_EXCEPTION =
      wording(FailureClass.UNKNOWN, "^Fatal exception|Oopsed too often");

  /** A header that matched a line, with its match. */
  public record Match(ReportKind kind, Matcher matcher) {}

  /**
   * The first header matching {@code text} from {@code from}, or null ({@link ReportKindIndex}).
   */
  public static @Nullable Match match(String text, int from) {
    return ReportKindIndex.match(text, from);
  }

  /**
   * The first header of kind {@code family} anywhere in {@code text}, or null ({@link
   * ReportKindIndex#find}).
   */
  public static @Nullable Match find(String text, String family) {
    return ReportKindIndex.find(text, family);
  }

  /**
   * Whether a header may match the ASCII line {@code b[from..end)} ({@link
   * ReportKindIndex#mayMatch}): false means {@link #match} returns null on it.
   */
  public static boolean mayMatch(byte[] b, int from, int end) {
    return ReportKindIndex.mayMatch(b, from, end);
  }

  /**
   * {@link #mayMatch} on a line whose reader noted, in one pass, the positions of every char of
   * {@link #containsAnchors} in it ({@code marks[0..markCount)}, ascending, others allowed).
   */
  public static boolean mayMatch(byte[] b, int from, int end, int[] marks, int markCount) {
    return ReportKindIndex.mayMatch(b, from, end, marks, markCount);
  }

  /** The chars whose positions {@link #mayMatch(byte[], int, int, int[], int)} needs. */
  public static String containsAnchors() {
    return ReportKindIndex.CONTAINS_ANCHORS;
  }

  private static FailureClass classOf(String family) {
    FailureClass c = FAMILY_CLASS.get(family);
    if (c != null) {
      return c;
    }
    for (FailureClass f : FailureClass.values()) {
      if (f.id().equals(family)) {
        return f;
      }
    }
    return FailureClass.UNKNOWN;
  }

  /**
   * How a header line is marked: the panic line, WARN() and lockdep warnings, headers that open a
   * report only with a body after them left unmarked, every other header an oops.
   */
  private static LineKind lineKindOf(String family, String prefix, ReportRole role) {
    if (role == PANIC) {
      return LineKind.PANIC;
    }
    if (family.equals("warning") || prefix.startsWith("WARNING") || prefix.startsWith("[ WARN")) {
      return LineKind.WARNING;
    }
    if (role == TENTATIVE && !prefix.startsWith("BUG")) {
      return LineKind.NONE;
    }
    return LineKind.OOPS;
  }

  /** A header that starts the line, from a template with {@link KernelMacros}. */
  static ReportKind of(String family, String prefix, String template, ReportRole role) {
    return new ReportKind(
        family,
        classOf(family),
        prefix,
        "",
        KernelMacros.compile(template),
        role,
        lineKindOf(family, prefix, role),
        null);
  }

  /** A header found anywhere near the start of the line by a literal. */
  static ReportKind containing(String family, String literal, String template, ReportRole role) {
    return new ReportKind(
        family,
        classOf(family),
        "",
        literal,
        KernelMacros.compile(template),
        role,
        lineKindOf(family, literal, role),
        null);
  }

  /**
   * A header of a kind that carries its own title (joining a header {@code linux-titles.yaml}
   * lists).
   */
  static ReportKind titled(
      String family, String prefix, String template, ReportRole role, TitleFormat title) {
    return new ReportKind(
        family,
        classOf(family),
        prefix,
        "",
        KernelMacros.compile(template),
        role,
        lineKindOf(family, prefix, role),
        title);
  }

  /**
   * A mips die() header, "{@code message}[#n]:" (arch/mips/kernel/traps.c die()), titled "{@code
   * message} in f" with the first frame of its call trace.
   */
  static ReportKind mipsDie(String family, String message) {
    String quoted = Pattern.quote(message);
    return titled(
        family,
        message,
        quoted + "\\[#\\d+\\]",
        DIE,
        new TitleFormat(
            message,
            quoted,
            message.replaceFirst("!$", "") + " in {1}",
            List.of(),
            List.of("$calltrace", "$stack"),
            List.of()));
  }

  /**
   * A subsystem's own assertion line ({@code family} "assertion", class BUG): a report of its own,
   * titled by {@code title}.
   */
  static ReportKind assertion(String prefix, String template, TitleFormat title) {
    return titled("assertion", prefix, template, OPENS, title);
  }

  /**
   * The SPL's assertion line that starts with {@code prefix} ("VERIFY(", "VERIFY3(", "VERIFY0(P)",
   * "ASSERTION("), titled "{@code word} failed in f" with the function spl_panic() names on its
   * next line, "PANIC at file:line:func()" (module/os/linux/spl/spl-err.c).
   */
  static ReportKind splAssertion(String prefix, String word) {
    String head = Pattern.quote(prefix) + (prefix.endsWith("(") ? "" : "P?\\(");
    return assertion(
        prefix,
        head + ".+\\) failed",
        new TitleFormat(
            prefix,
            head + ".+\\) failed.*\\n(?:.*\\n)?.*PANIC at [\\w.-]+:\\d+:(\\w+)\\(\\)",
            word + " failed in {1}",
            List.of(),
            List.of(),
            List.of()));
  }

  /**
   * Not a header: the kind of a report made from a call trace or a program-counter line that came
   * with no header at all (a trace pasted into a commit message, an e-mail or a ticket). Ingest
   * uses it only when the input holds no report with a header.
   */
  public static final ReportKind TRACE_ONLY = of("trace", "", "", ReportRole.OPENS);

  /** The title formats the kinds carry themselves, in table order. */
  public static List<TitleFormat> titleFormats() {
    List<TitleFormat> out = new ArrayList<>();
    for (ReportKind k : HEADERS) {
      if (k.title() != null) {
        out.add(k.title());
      }
    }
    return List.copyOf(out);
  }
}
