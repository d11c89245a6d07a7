package org.ktriage.testkit.corpus;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Functions whose job is to report a failure, never to cause one: a culprit or primary that is one
 * of them is an invariant violation. The single list the runner uses; when the analysis layer has
 * its own reporting-frame table, point {@link #isReporting} at it.
 *
 * <p>Why each is a reporter, from the kernel sources: {@code dump_stack*}, {@code show_stack},
 * {@code show_trace_log_lvl}, {@code dump_backtrace}, {@code unwind_backtrace} and {@code
 * show_regs} print a backtrace (lib/dump_stack.c, arch/x86/kernel/dumpstack.c,
 * arch/arm64/kernel/stacktrace.c, arch/arm/kernel/traps.c); {@code panic}, {@code nmi_panic}
 * (kernel/panic.c), {@code __warn}, {@code warn_slowpath*} and {@code report_bug} (kernel/panic.c,
 * lib/bug.c) turn a failure into a message; {@code die}, {@code oops_end} and {@code __die}
 * (arch/x86/kernel/dumpstack.c) end an oops; {@code kasan_report}, {@code print_report}, {@code
 * __asan_*}/{@code __kasan_*} shims, {@code kfence_report_error}, {@code kmsan_report}, {@code
 * ubsan_*}/{@code __ubsan_handle_*} and {@code kcsan_report*} are the sanitizers' printers
 * (mm/kasan/report.c, mm/kfence/report.c, mm/kmsan/report.c, lib/ubsan.c, kernel/kcsan/report.c);
 * {@code __schedule_bug} and {@code __might_sleep}/{@code __might_resched} report a
 * scheduling-context bug of their caller (kernel/sched/core.c); {@code nmi_cpu_backtrace} and
 * {@code nmi_trigger_cpumask_backtrace} print other CPUs' stacks (lib/nmi_backtrace.c); {@code
 * sched_show_task} and {@code show_state_filter} print tasks (kernel/sched/core.c); {@code
 * lockdep_rcu_suspicious} and lockdep's {@code print_*} helpers print lockdep splats
 * (kernel/locking/lockdep.c); {@code watchdog_timer_fn} and {@code watchdog_overflow_callback} are
 * the lockup detectors (kernel/watchdog*.c); {@code check_hung_task}/{@code
 * check_hung_uninterruptible_tasks} the hung-task detector (kernel/hung_task.c); {@code
 * rcu_dump_cpu_stacks} and {@code print_cpu_stall} the RCU stall printers
 * (kernel/rcu/tree_stall.h).
 */
public final class ReportingFrames {
  private ReportingFrames() {}

  private static final Set<String> NAMES =
      Set.of(
          "dump_stack",
          "dump_stack_lvl",
          "show_stack",
          "show_trace_log_lvl",
          "show_regs",
          "__show_regs",
          "dump_backtrace",
          "dump_backtrace_log_lvl",
          "unwind_backtrace",
          "panic",
          "nmi_panic",
          "vpanic",
          "__warn",
          "__warn_printk",
          "report_bug",
          "die",
          "__die",
          "oops_end",
          "kasan_report",
          "__kasan_report",
          "kasan_report_invalid_free",
          "kasan_report_double_free",
          "print_report",
          "print_address_description",
          "kfence_report_error",
          "kmsan_report",
          "__msan_warning",
          "kcsan_report",
          "__schedule_bug",
          "__might_sleep",
          "__might_resched",
          "___might_sleep",
          "nmi_cpu_backtrace",
          "nmi_trigger_cpumask_backtrace",
          "arch_trigger_cpumask_backtrace",
          "sched_show_task",
          "show_state_filter",
          "lockdep_rcu_suspicious",
          "watchdog_timer_fn",
          "watchdog_overflow_callback",
          "check_hung_task",
          "check_hung_uninterruptible_tasks",
          "rcu_dump_cpu_stacks",
          "print_cpu_stall",
          "print_other_cpu_stall");

  /** Name families of reporters: warn_slowpath*, the sanitizer shims and printers. */
  private static final List<Pattern> FAMILIES =
      List.of(
          Pattern.compile("warn_slowpath\\w*"),
          Pattern.compile("dump_stack\\w*"),
          Pattern.compile("__(?:asan|kasan)_(?:report|load|store)\\w*"),
          Pattern.compile("kasan_report\\w*"),
          Pattern.compile("(?:__)?ubsan_\\w*|__ubsan_handle_\\w*"),
          Pattern.compile("kcsan_report\\w*"),
          Pattern.compile("print_(?:circular_bug|deadlock_bug|usage_bug|bad_irq_dependency)\\w*"));

  /** True when {@code function} (with or without {@code +off/size} or suffixes) is a reporter. */
  public static boolean isReporting(String function) {
    String base = Names.base(function);
    if (NAMES.contains(base)) {
      return true;
    }
    for (Pattern p : FAMILIES) {
      if (p.matcher(base).matches()) {
        return true;
      }
    }
    return false;
  }
}
