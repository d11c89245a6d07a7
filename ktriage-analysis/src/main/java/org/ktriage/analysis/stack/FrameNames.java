package org.ktriage.analysis.stack;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ktriage.model.ContextKind;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.kind.CloneSuffixes;
import org.ktriage.model.kind.ReportingFrames;

/**
 * Tables of kernel function names that mark stack boundaries: exception entries (x86_64 from 3.10
 * to 6.x and arm64), interrupt and NMI entries, softirq dispatchers and the bottoms of task stacks
 * (torvalds/linux — arch/x86/entry/entry_64.S, arch/x86/kernel/traps.c, kernel/softirq.c).
 */
public final class FrameNames {

  private FrameNames() {}

  /** Exception entry routine → failure class of the exception. */
  private static final Map<String, FailureClass> FAULT_ENTRIES =
      Map.ofEntries(
          Map.entry("page_fault", FailureClass.PAGE_FAULT),
          Map.entry("asm_exc_page_fault", FailureClass.PAGE_FAULT),
          Map.entry("exc_page_fault", FailureClass.PAGE_FAULT),
          Map.entry("do_page_fault", FailureClass.PAGE_FAULT),
          Map.entry("__do_page_fault", FailureClass.PAGE_FAULT),
          Map.entry("async_page_fault", FailureClass.PAGE_FAULT),
          Map.entry("general_protection", FailureClass.GPF),
          Map.entry("asm_exc_general_protection", FailureClass.GPF),
          Map.entry("exc_general_protection", FailureClass.GPF),
          Map.entry("do_general_protection", FailureClass.GPF),
          Map.entry("stack_segment", FailureClass.GPF),
          Map.entry("asm_exc_stack_segment", FailureClass.GPF),
          Map.entry("exc_stack_segment", FailureClass.GPF),
          Map.entry("do_stack_segment", FailureClass.GPF),
          Map.entry("invalid_op", FailureClass.INVALID_OPCODE),
          Map.entry("asm_exc_invalid_op", FailureClass.INVALID_OPCODE),
          Map.entry("exc_invalid_op", FailureClass.INVALID_OPCODE),
          Map.entry("do_invalid_op", FailureClass.INVALID_OPCODE),
          Map.entry("divide_error", FailureClass.DIVIDE_ERROR),
          Map.entry("asm_exc_divide_error", FailureClass.DIVIDE_ERROR),
          Map.entry("exc_divide_error", FailureClass.DIVIDE_ERROR),
          Map.entry("do_divide_error", FailureClass.DIVIDE_ERROR),
          Map.entry("double_fault", FailureClass.STACK_OVERFLOW),
          Map.entry("asm_exc_double_fault", FailureClass.STACK_OVERFLOW),
          Map.entry("exc_double_fault", FailureClass.STACK_OVERFLOW),
          Map.entry("do_double_fault", FailureClass.STACK_OVERFLOW),
          Map.entry("machine_check", FailureClass.MCE),
          Map.entry("asm_exc_machine_check", FailureClass.MCE),
          Map.entry("exc_machine_check", FailureClass.MCE),
          Map.entry("do_machine_check", FailureClass.MCE),
          Map.entry("el1h_64_sync", FailureClass.PAGE_FAULT),
          Map.entry("el1h_64_sync_handler", FailureClass.PAGE_FAULT),
          Map.entry("el1_sync", FailureClass.PAGE_FAULT),
          Map.entry("el1_abort", FailureClass.PAGE_FAULT),
          Map.entry("el1_da", FailureClass.PAGE_FAULT),
          Map.entry("do_mem_abort", FailureClass.PAGE_FAULT),
          Map.entry("el1_undef", FailureClass.INVALID_OPCODE));

  private static final Set<String> NMI_ENTRIES =
      Set.of(
          "nmi",
          "end_repeat_nmi",
          "repeat_nmi",
          "asm_exc_nmi",
          "exc_nmi",
          "do_nmi",
          "default_do_nmi",
          "nmi_handle");

  private static final Set<String> TRAP_ENTRIES =
      Set.of("int3", "asm_exc_int3", "exc_int3", "do_int3", "debug", "asm_exc_debug", "do_debug");

  private static final Set<String> SYSCALL_ENTRIES =
      Set.of(
          "entry_SYSCALL_64_after_hwframe",
          "entry_SYSCALL_64",
          "entry_SYSCALL_64_fastpath",
          "system_call_fastpath",
          "system_call",
          "entry_SYSENTER_compat",
          "entry_INT80_compat",
          "do_syscall_64",
          "el0_svc",
          "el0t_64_sync",
          "el0_sync");

  private static final Set<String> HARDIRQ_MARKERS =
      Set.of(
          "apic_timer_interrupt",
          "smp_apic_timer_interrupt",
          "local_apic_timer_interrupt",
          "hrtimer_interrupt",
          "__hrtimer_run_queues",
          "common_interrupt",
          "asm_common_interrupt",
          "do_IRQ",
          "handle_irq",
          "handle_irq_event",
          "handle_irq_event_percpu",
          "__handle_irq_event_percpu",
          "handle_edge_irq",
          "handle_fasteoi_irq",
          "handle_level_irq",
          "generic_handle_irq",
          "irq_exit",
          "irq_exit_rcu",
          "__irq_exit_rcu",
          "reschedule_interrupt",
          "call_function_interrupt",
          "call_function_single_interrupt",
          "irq_work_interrupt",
          "smp_call_function_interrupt",
          "smp_call_function_single_interrupt",
          "el1_interrupt",
          "el1h_64_irq",
          "el1h_64_irq_handler",
          "el1_irq",
          "gic_handle_irq",
          // arm64 (5.x-6.x) arch/arm64/kernel/entry-common.c do_interrupt_handler(), entry.S
          // call_on_irq_stack(); kernel/irq/irqdesc.c handle_domain_irq(),
          // generic_handle_domain_irq(); kernel/irq/chip.c handle_percpu_devid_irq();
          // drivers/clocksource/arm_arch_timer.c arch_timer_handler_{virt,phys}(): the per-CPU
          // timer interrupt the stall and lockup detectors run from
          "do_interrupt_handler",
          "call_on_irq_stack",
          "handle_domain_irq",
          "generic_handle_domain_irq",
          "handle_percpu_devid_irq",
          "arch_timer_handler_virt",
          "arch_timer_handler_phys",
          // Xen guests take interrupts as event-channel upcalls (drivers/xen/events/events_base.c
          // __xen_evtchn_do_upcall(), events_fifo.c, arch/x86/xen/time.c xen_timer_interrupt())
          "xen_evtchn_do_upcall",
          "__xen_evtchn_do_upcall",
          "xen_hvm_evtchn_do_upcall",
          "evtchn_fifo_handle_events",
          "__evtchn_fifo_handle_events",
          "handle_irq_for_port",
          "xen_do_hypervisor_callback",
          "xen_hvm_callback_vector",
          "xen_timer_interrupt",
          // x86 v5.8-v5.11 arch/x86/entry/entry_64.S: the switch to the interrupt stack
          "asm_call_irq_on_stack",
          "asm_call_sysvec_on_stack",
          "asm_call_on_stack",
          // arm64 v4.x-v5.x kernel/irq/irqdesc.c __handle_domain_irq()
          "__handle_domain_irq",
          // arm32 arch/arm/kernel/entry-armv.S __irq_svc (an interrupt taken in kernel mode) and
          // mips arch/mips/kernel/genex.S handle_int with the r4k timer's handler
          // (arch/mips/kernel/cevt-r4k.c c0_compare_interrupt)
          "__irq_svc",
          "handle_int",
          "c0_compare_interrupt");

  private static final List<String> HARDIRQ_PREFIXES =
      List.of("sysvec_", "asm_sysvec_", "__sysvec_");

  private static final Set<String> SOFTIRQ_MARKERS =
      Set.of(
          "__do_softirq",
          "handle_softirqs",
          "do_softirq",
          "do_softirq_own_stack",
          "call_softirq",
          "run_ksoftirqd",
          "run_timer_softirq",
          "__run_timers",
          "run_rebalance_domains",
          "net_rx_action",
          "net_tx_action",
          "tasklet_action",
          "tasklet_hi_action",
          "tasklet_action_common",
          "rcu_core",
          "rcu_core_si",
          "rcu_process_callbacks",
          "blk_done_softirq",
          "irq_poll_softirq",
          "hrtimer_run_softirq");

  private static final Set<String> TASK_BOTTOMS =
      Set.of(
          "ret_from_fork",
          "ret_from_fork_asm",
          "kthread",
          "start_secondary",
          "cpu_startup_entry",
          "do_idle",
          "rest_init",
          "start_kernel",
          "secondary_startup_64",
          "secondary_startup_64_no_verify",
          "worker_thread",
          "process_one_work",
          "smpboot_thread_fn");

  /** Spinlock acquisition functions: a CPU spinning here waits for a lock (first argument). */
  private static final List<String> SPINLOCK_PREFIXES =
      List.of(
          "_raw_spin_lock",
          "__ticket_spin_lock",
          "raw_spin_lock",
          "__raw_spin_lock",
          "_spin_lock",
          "queued_spin_lock_slowpath",
          "native_queued_spin_lock_slowpath",
          "__pv_queued_spin_lock_slowpath",
          "pv_queued_spin_lock_slowpath",
          "do_raw_spin_lock",
          "_raw_read_lock",
          "_raw_write_lock",
          "queued_read_lock_slowpath",
          "queued_write_lock_slowpath",
          "arch_spin_lock");

  /** Frames of the kernel's error path after an exception (no fixup: the fault is a failure). */
  private static final Set<String> ERROR_PATH =
      Set.of(
          "no_context",
          "__bad_area_nosemaphore",
          "bad_area_nosemaphore",
          "bad_area",
          "page_fault_oops",
          "kernelmode_fixup_or_oops",
          "oops_begin",
          "oops_end",
          "die",
          "__die",
          "__die_body",
          "die_addr",
          "handle_bug",
          "report_bug",
          "__warn",
          "show_fault_oops",
          "handle_stack_overflow",
          "do_kern_addr_fault",
          "spurious_kernel_fault",
          "__do_kernel_fault",
          "die_kernel_fault");

  /** Frames of a page fault being served normally (demand paging, a uaccess being resolved). */
  private static final Set<String> SERVED_FAULT =
      Set.of(
          "handle_mm_fault",
          "__handle_mm_fault",
          "do_user_addr_fault",
          "__do_fault",
          "filemap_fault",
          "do_anonymous_page",
          "handle_pte_fault",
          "do_fault",
          "lock_mm_and_find_vma",
          "fixup_exception");

  /**
   * Whether a fault whose handler ran these frames (innermost first) took the error path: true when
   * an error-path frame is there, false when the fault was being served normally, true when the
   * handler frames say neither.
   */
  public static boolean isErrorPath(List<Frame> handler) {
    boolean served = false;
    for (Frame f : handler) {
      String b = base(f.function());
      if (ERROR_PATH.contains(b)) {
        return true;
      }
      served |= SERVED_FAULT.contains(b);
    }
    return !served;
  }

  /** True when one of the frames is on the kernel's oops/die path (positive proof of failure). */
  public static boolean hasErrorPath(List<Frame> handler) {
    for (Frame f : handler) {
      String b = base(f.function());
      // The die path is often inlined: panic() called straight from do_trap or
      // exc_general_protection (lab bug-on and use-after-free crash backtraces, 6.1).
      if (ERROR_PATH.contains(b)
          || ReportingFrames.isPanic(b)
          || b.equals("crash_kexec")
          || b.equals("__crash_kexec")) {
        return true;
      }
    }
    return false;
  }

  /** Strips compiler suffixes ({@code .isra.0}, {@code .constprop.17}, {@code .cold}). */
  public static String base(String function) {
    return CloneSuffixes.strip(function);
  }

  /** The failure class of an exception entry routine, when it is one. */
  public static Optional<FailureClass> faultEntry(String function) {
    return Optional.ofNullable(FAULT_ENTRIES.get(base(function)));
  }

  /** The kind of entry a frame name marks, or empty when it is ordinary code. */
  public static Optional<EntryKind> entryKind(String function) {
    String f = base(function);
    if (FAULT_ENTRIES.containsKey(f)) {
      return Optional.of(EntryKind.FAULT);
    }
    if (NMI_ENTRIES.contains(f)) {
      return Optional.of(EntryKind.NMI);
    }
    if (TRAP_ENTRIES.contains(f)) {
      return Optional.of(EntryKind.TRAP);
    }
    if (SYSCALL_ENTRIES.contains(f)) {
      return Optional.of(EntryKind.SYSCALL);
    }
    if (isHardirq(f)) {
      return Optional.of(EntryKind.INTERRUPT);
    }
    return Optional.empty();
  }

  /**
   * The context a frame proves for the code it called, or empty when it proves nothing; fault
   * entries prove nothing (a fault handler runs in the context it interrupted).
   */
  public static Optional<ContextKind> contextMarker(String function) {
    String f = base(function);
    if (SOFTIRQ_MARKERS.contains(f)) {
      return Optional.of(ContextKind.SOFTIRQ);
    }
    if (NMI_ENTRIES.contains(f)) {
      return Optional.of(ContextKind.NMI);
    }
    if (isHardirq(f)) {
      return Optional.of(ContextKind.HARDIRQ);
    }
    if (SYSCALL_ENTRIES.contains(f) || TASK_BOTTOMS.contains(f)) {
      return Optional.of(ContextKind.TASK);
    }
    return Optional.empty();
  }

  private static boolean isHardirq(String f) {
    if (HARDIRQ_MARKERS.contains(f)) {
      return true;
    }
    for (String p : HARDIRQ_PREFIXES) {
      if (f.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** True for spinlock and rwlock acquisition functions. */
  public static boolean isSpinlock(String function) {
    String f = base(function).toLowerCase(Locale.ROOT);
    for (String p : SPINLOCK_PREFIXES) {
      if (f.startsWith(p.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The slab allocator's free path: {@code kfree}, {@code kmem_cache_free} and the SLUB functions
   * they inline or call to check and link the object (mm/slub.c, mm/slab_common.c, mm/util.c). A
   * BUG or fault stopped in one of them is the allocator refusing or choking on the pointer freed;
   * the code that freed it is the first caller outside.
   */
  public static boolean isSlabFree(String function) {
    return switch (base(function)) {
      case "kfree",
          "kfree_sensitive",
          "kvfree",
          "kvfree_sensitive",
          "kmem_cache_free",
          "kmem_cache_free_bulk",
          "__kmem_cache_free",
          "slab_free",
          "do_slab_free",
          "__slab_free",
          "slab_free_freelist_hook",
          "set_freepointer",
          "free_debug_processing",
          "free_to_partial_list",
          "on_freelist" ->
          true;
      default -> false;
    };
  }

  /**
   * Functions of the timer softirq that walk and run expired timers (kernel/time/timer.c). Generic
   * list helpers inlined into them ({@code hlist_move_list}, {@code __hlist_del}) are not timer
   * code: a fault there is the timer caller's, found one frame up.
   */
  public static boolean isTimerSoftirq(String function) {
    return switch (base(function)) {
      case "run_timer_softirq",
          "__run_timers",
          "call_timer_fn",
          "expire_timers",
          "collect_expired_timers",
          "__run_timer_base",
          "run_timer_base",
          "detach_timer" ->
          true;
      default -> false;
    };
  }

  /** Generic dispatchers that call a callback owned by someone else (notes the kind). */
  public static Optional<String> callbackDispatcher(String function) {
    return Optional.ofNullable(
        switch (base(function)) {
          case "run_timer_softirq",
              "__run_timers",
              "call_timer_fn",
              "expire_timers",
              "collect_expired_timers" ->
              "timer";
          case "__hrtimer_run_queues", "__run_hrtimer", "hrtimer_run_softirq" -> "hrtimer";
          case "process_one_work", "worker_thread" -> "work item";
          case "rcu_do_batch", "rcu_core", "rcu_process_callbacks", "rcu_core_si" -> "RCU callback";
          case "notifier_call_chain",
              "__blocking_notifier_call_chain",
              "atomic_notifier_call_chain",
              "raw_notifier_call_chain",
              "blocking_notifier_call_chain" ->
              "notifier";
          case "tasklet_action_common", "tasklet_action", "tasklet_hi_action" -> "tasklet";
          case "handle_irq_event_percpu", "__handle_irq_event_percpu" -> "IRQ handler";
          case "nf_hook_slow" -> "netfilter hook";
          case "proc_reg_read", "proc_reg_write", "seq_read", "kernfs_fop_read_iter" ->
              "file operation";
          default -> null;
        });
  }
}
