package org.ktriage.model.kind;

import static org.ktriage.model.kind.ReportingFrames.Role.ALLOCATOR;
import static org.ktriage.model.kind.ReportingFrames.Role.ARGUMENT;
import static org.ktriage.model.kind.ReportingFrames.Role.ASSERTING;
import static org.ktriage.model.kind.ReportingFrames.Role.BUSY_WAIT;
import static org.ktriage.model.kind.ReportingFrames.Role.DEBUG;
import static org.ktriage.model.kind.ReportingFrames.Role.HELPER;
import static org.ktriage.model.kind.ReportingFrames.Role.INTERRUPT;
import static org.ktriage.model.kind.ReportingFrames.Role.KEXEC;
import static org.ktriage.model.kind.ReportingFrames.Role.LOCKING;
import static org.ktriage.model.kind.ReportingFrames.Role.PANIC;
import static org.ktriage.model.kind.ReportingFrames.Role.REPORTER;
import static org.ktriage.model.kind.ReportingFrames.Role.SANITIZER;
import static org.ktriage.model.kind.ReportingFrames.Role.SCHEDULER;
import static org.ktriage.model.kind.ReportingFrames.Role.TRACING;
import static org.ktriage.model.kind.ReportingFrames.Role.TRAP;
import static org.ktriage.model.kind.ReportingFrames.Role.UNWINDER;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one table of frames that are not the culprit of the report they appear in: frames whose job
 * is to report (backtrace printers, panic, WARN and sanitizer reporters, lockup and stall
 * detectors), to trap, or primitives and core APIs whose caller is to blame (lock primitives, list
 * debugging, refcount, might_sleep). Titles, signatures and the primary choice read it alike; each
 * entry names where the kernel defines the function. Patterns are anchored regexes over the
 * function name without compiler suffixes.
 */
public final class ReportingFrames {
  private ReportingFrames() {}

  /** Why a frame is not the culprit. */
  public enum Role {
    /** panic() and its wrappers. */
    PANIC,
    /** Prints a report, a backtrace, or waits while others print one. */
    REPORTER,
    /** Exception entry and the die/oops path. */
    TRAP,
    /** A sanitizer's check or report path; the instrumented caller made the access. */
    SANITIZER,
    /** A lock primitive; the caller took the lock. */
    LOCKING,
    /** A core API asserting on its caller's misuse. */
    ASSERTING,
    /**
     * A subsystem-core entry point that acts on the object (or index) its caller passes and trusts
     * it: a NULL, released or out-of-range argument faults inside it, and the caller passed it (a
     * driver's device, queue or PHY, a CPU number). The fix is in the caller.
     */
    ARGUMENT,
    /** Lockdep, debugobjects, fault injection: checkers that call into a report. */
    DEBUG,
    /** The timer interrupt a stall detector runs from. */
    INTERRUPT,
    /** Allocator and free paths. */
    ALLOCATOR,
    /** String, memory and user-copy helpers. */
    HELPER,
    /** Where a sleeping task sits; never where it failed. */
    SCHEDULER,
    /** The crash-dump path after panic. */
    KEXEC,
    /**
     * A leaf a polling or spinning loop calls over and over (a pause or halt instruction, a delay,
     * a clock, MMIO or port read, the interrupt-enable a pending timer interrupt lands on): a
     * lockup or stall watchdog interrupts whatever runs (kernel/watchdog.c, kernel/rcu/
     * tree_stall.h), and the function that keeps calling it is the one that does not stop.
     */
    BUSY_WAIT,
    /**
     * Plumbing the function tracer splices into a stack (kernel/trace/fgraph.c, arch/ {@literal
     * *}/kernel/entry-ftrace.S or mcount*.S): the graph tracer's return trampoline stands in for
     * the traced function's real caller, the mcount/fentry callers run for the traced function.
     */
    TRACING,
    /**
     * A stack unwinder a backtrace printer or a stack depot runs (arch/x86/kernel/unwind_orc.c,
     * arch/s390/kernel/unwind_bc.c): it walks a stack to print or save it. Not a title skip:
     * syzkaller titles a fault inside the unwinder by the unwinder.
     */
    UNWINDER
  }

  /** One entry: a role and an anchored regex. */
  public record Entry(Role role, Pattern pattern) {}

  private static Entry e(Role role, String regex) {
    return new Entry(role, Pattern.compile(regex));
  }

  /** The table, grouped by where the kernel defines the functions. */
  public static final List<Entry> ENTRIES =
      List.of(
          // kernel/panic.c panic(), vpanic(), nmi_panic()
          e(PANIC, "^panic$"),
          e(PANIC, "^vpanic$"),
          e(PANIC, "^nmi_panic$"),
          // lib/dump_stack.c dump_stack(), dump_stack_lvl(), __dump_stack()
          e(REPORTER, "^dump_stack"),
          // arch/x86/kernel/dumpstack.c show_stack(), show_trace_log_lvl(); arch/arm/kernel/traps.c
          // show_stack()
          e(REPORTER, "^show_stack"),
          e(REPORTER, "^show_trace"),
          // arch/x86/kernel/process_64.c show_regs(), __show_regs()
          e(REPORTER, "^show_regs"),
          e(REPORTER, "^__show_regs"),
          // kernel/sched/core.c sched_show_task()
          e(REPORTER, "^sched_show_task"),
          e(REPORTER, "^_?sched_show_task$"),
          // arch/arm64/kernel/stacktrace.c dump_backtrace(); arch/arm/kernel/traps.c
          // dump_backtrace()
          e(REPORTER, "^dump_backtrace"),
          // kernel/printk/printk.c printk(), _printk(), vprintk()
          e(REPORTER, "^printk"),
          e(REPORTER, "^_printk"),
          e(REPORTER, "^vprintk"),
          // kernel/printk/printk.c console_unlock(), console_flush_all(),
          // console_emit_next_record(), call_console_drivers(), msg_print_text(),
          // record_print_text(), print_prefix(), print_time(): printing a message out
          e(
              REPORTER,
              "^(console_unlock|console_flush_all|console_emit_next_record|call_console_drivers"
                  + "|msg_print_text|record_print_text|print_prefix|print_time)$"),
          // kernel/panic.c __warn(), __warn_printk(), warn_slowpath_fmt/null/common(),
          // check_panic_on_warn()
          e(REPORTER, "^__warn$"),
          e(REPORTER, "^__warn_printk$"),
          e(REPORTER, "^warn_slowpath"),
          e(REPORTER, "^check_panic_on_warn$"),
          // lib/bug.c report_bug()
          e(REPORTER, "^report_bug$"),
          // arch/x86/kernel/traps.c fixup_bug(), handle_bug(), do_trap(), do_error_trap(),
          // do_int3*(), exc_*
          e(TRAP, "^fixup_bug$"),
          e(TRAP, "^handle_bug$"),
          e(TRAP, "^do_trap$"),
          e(TRAP, "^do_error_trap$"),
          e(TRAP, "^do_int3"),
          e(TRAP, "^exc_"),
          // arch/x86/kernel/dumpstack.c die(), __die*(), oops_begin(), oops_end()
          e(TRAP, "^die$"),
          e(TRAP, "^__die"),
          e(TRAP, "^oops_end$"),
          e(TRAP, "^oops_begin$"),
          // arch/x86/entry/entry_64.S and idtentry.h asm_exc_*, asm_sysvec_*, common_interrupt,
          // invalid_op, page_fault, general_protection
          e(TRAP, "^asm_exc_"),
          e(TRAP, "^asm_sysvec_"),
          e(TRAP, "^sysvec_"),
          e(TRAP, "^asm_common_interrupt$"),
          e(TRAP, "^common_interrupt$"),
          e(TRAP, "^invalid_op$"),
          e(TRAP, "^page_fault$"),
          e(TRAP, "^general_protection$"),
          e(TRAP, "^do_general_protection$"),
          // arch/x86/mm/fault.c page_fault_oops(), kernelmode_fixup_or_oops(), no_context(),
          // bad_area*(), do_kern_addr_fault(), do_user_addr_fault(), handle_page_fault(),
          // do_page_fault()
          e(TRAP, "^page_fault_oops$"),
          e(TRAP, "^kernelmode_fixup_or_oops$"),
          e(TRAP, "^no_context$"),
          e(TRAP, "^__bad_area"),
          e(TRAP, "^bad_area"),
          e(TRAP, "^do_kern_addr_fault$"),
          e(TRAP, "^do_user_addr_fault$"),
          e(TRAP, "^handle_page_fault$"),
          e(TRAP, "^do_page_fault$"),
          // kernel/crash_core.c and kexec_core.c crash_kexec(), __crash_kexec();
          // arch/x86/kernel/machine_kexec_64.c machine_kexec(); arch/x86/include/asm/kexec.h
          // crash_setup_regs()
          e(KEXEC, "^crash_kexec$"),
          e(KEXEC, "^__crash_kexec$"),
          e(KEXEC, "^machine_kexec$"),
          e(KEXEC, "^crash_setup_regs$"),
          // mm/kasan/report.c kasan_report(), print_report(), print_address_description();
          // mm/kasan/generic.c __asan_load*/__asan_store*
          e(SANITIZER, "^kasan_report"),
          e(SANITIZER, "^__kasan_report"),
          // every other kasan_*/__kasan_* hook (mm/kasan/common.c, generic.c, report.c) checks,
          // poisons or records for its instrumented caller; mm/kasan/init.c
          // kasan_{add,remove}_zero_shadow() and kasan_populate_*() and mm/kasan/shadow.c
          // kasan_{release,depopulate}_vmalloc*() manage shadow memory and can be at fault
          e(SANITIZER, "^_*kasan_(?!(add|remove)_zero_shadow|populate|release_vmalloc|depopulate)"),
          e(SANITIZER, "^__asan_"),
          // mm/kasan/sw_tags.c __hwasan_load*/__hwasan_store*, the compiler's outlined
          // __hwasan_check_* shims (software tag-based KASAN on arm64)
          e(SANITIZER, "^__hwasan_"),
          e(SANITIZER, "^print_report$"),
          e(SANITIZER, "^print_address_description"),
          // mm/kmsan/instrumentation.c __msan_*, kmsan_*
          e(SANITIZER, "^kmsan_"),
          e(SANITIZER, "^__msan_"),
          // lib/ubsan.c __ubsan_handle_*, ubsan_*
          e(SANITIZER, "^ubsan_"),
          e(SANITIZER, "^__ubsan_"),
          // arch/arm64/mm/fault.c do_mem_abort(), do_translation_fault(), __do_kernel_fault(),
          // die_kernel_fault(); arch/arm64/kernel/entry-common.c el1_abort(), el1h_64_sync*
          e(TRAP, "^el1_abort$"),
          e(TRAP, "^el1h_64_sync"),
          e(TRAP, "^do_mem_abort$"),
          e(TRAP, "^do_translation_fault$"),
          e(TRAP, "^do_kernel_fault$"),
          e(TRAP, "^__do_kernel_fault$"),
          e(TRAP, "^die_kernel_fault$"),
          e(TRAP, "^arm64_"),
          // arch/arm64/kernel/traps.c bug_handler(), arch/arm64/kernel/debug-monitors.c
          // call_break_hook(), brk_handler()
          e(TRAP, "^bug_handler$"),
          e(TRAP, "^call_break_hook$"),
          e(TRAP, "^brk_handler$"),
          // kernel/watchdog.c watchdog_timer_fn(); kernel/watchdog_perf.c
          // watchdog_overflow_callback(); kernel/events/core.c __perf_event_overflow()
          e(REPORTER, "^watchdog_timer_fn$"),
          e(REPORTER, "^watchdog_overflow_callback$"),
          e(REPORTER, "^__perf_event_overflow$"),
          // lib/nmi_backtrace.c nmi_cpu_backtrace(), nmi_trigger_cpumask_backtrace();
          // arch/x86/kernel/apic/hw_nmi.c arch_trigger_cpumask_backtrace()
          e(REPORTER, "^nmi_cpu_backtrace"),
          e(REPORTER, "^nmi_trigger_cpumask_backtrace$"),
          e(REPORTER, "^arch_trigger_cpumask_backtrace$"),
          // kernel/rcu/tree_stall.h rcu_dump_cpu_stacks(), print_cpu_stall(), check_cpu_stall(),
          // print_other_cpu_stall()
          e(REPORTER, "^rcu_dump_cpu_stacks$"),
          e(REPORTER, "^print_cpu_stall"),
          e(REPORTER, "^check_cpu_stall"),
          e(REPORTER, "^print_other_cpu_stall$"),
          // kernel/rcu/tree.c rcu_sched_clock_irq(), rcu_pending(), rcu_check_callbacks() (<4.20)
          e(INTERRUPT, "^rcu_sched_clock_irq$"),
          e(INTERRUPT, "^rcu_check_callbacks$"),
          e(INTERRUPT, "^rcu_pending$"),
          // kernel/locking/lockdep.c lockdep_*(), __lock_acquire(), lock_acquire(),
          // print_usage_bug(), mark_lock*(), debug_check_no_locks_*()
          e(DEBUG, "^lockdep_"),
          e(DEBUG, "^__lock_acquire$"),
          e(DEBUG, "^lock_acquire$"),
          e(DEBUG, "^print_usage_bug$"),
          e(DEBUG, "^mark_lock"),
          e(DEBUG, "^debug_check_no_locks"),
          // lib/bust_spinlocks.c bust_spinlocks(); mm/oom_kill.c dump_header()
          e(REPORTER, "^bust_spinlocks$"),
          e(REPORTER, "^dump_header$"),
          // kernel/locking/lockdep.c report path: print_circular_bug(), check_noncircular(),
          // check_prev_add(), check_prevs_add(), validate_chain(), print_deadlock_bug(),
          // check_deadlock(), register_lock_class(), look_up_lock_class(), __lock_*(),
          // lock_acquired(), lock_contended(), lock_release(), print_lock*()
          e(DEBUG, "^print_circular_bug"),
          e(DEBUG, "^check_noncircular$"),
          e(DEBUG, "^check_prev_add$"),
          e(DEBUG, "^check_prevs_add$"),
          e(DEBUG, "^validate_chain$"),
          e(DEBUG, "^print_deadlock_bug$"),
          e(DEBUG, "^check_deadlock$"),
          e(DEBUG, "^register_lock_class$"),
          e(DEBUG, "^look_up_lock_class$"),
          e(DEBUG, "^__lock_"),
          e(DEBUG, "^lock_acquired$"),
          e(DEBUG, "^lock_contended$"),
          e(DEBUG, "^lock_release$"),
          e(DEBUG, "^print_lock"),
          e(DEBUG, "^reacquire_held_locks$"),
          // kernel/locking/lockdep.c mark_held_locks(), lockdep_hardirqs_on*();
          // kernel/trace/trace_preemptirq.c trace_hardirqs_on/off(), trace_hardirqs_on_caller():
          // lockdep's irq-state tracking, run for the code that enabled or disabled interrupts
          e(DEBUG, "^mark_held_locks$"),
          e(DEBUG, "^trace_(hard|soft)irqs_(on|off)(_caller|_prepare)?$"),
          // kernel/locking/spinlock.c _raw_*_lock*/_unlock*; spinlock_debug.c do_raw_*_lock();
          // qspinlock.c queued_spin_lock_slowpath(), qrwlock.c queued_*_lock_slowpath(); arch/x86
          // paravirt __pv_queued_spin_lock_slowpath()
          e(LOCKING, "^_raw_(spin|read|write)_(try)?lock"),
          e(LOCKING, "^_raw_(spin|read|write)_unlock"),
          e(LOCKING, "^do_raw_(spin|read|write)_(try)?lock"),
          e(LOCKING, "^queued_(spin|read|write)_lock"),
          e(LOCKING, "^native_queued_spin_lock_slowpath$"),
          e(LOCKING, "^__pv_queued_spin_lock_slowpath$"),
          // kernel/locking/qspinlock_paravirt.h __pv_queued_spin_unlock_slowpath() warns on an
          // unlock of a lock that was not locked
          e(LOCKING, "^(__raw_callee_save_)?__pv_queued_spin_unlock"),
          // kernel/locking/mutex.c mutex_lock*(), __mutex_lock*(); semaphore.c down*(), __down*();
          // rwsem.c down_read/write*(), rwsem_down_*(), __rwsem_*()
          e(LOCKING, "^__mutex_lock"),
          e(LOCKING, "^mutex_lock"),
          e(LOCKING, "^__down"),
          e(LOCKING, "^down$"),
          e(LOCKING, "^down_(read|write)"),
          e(LOCKING, "^rwsem_down"),
          // kernel/locking/rwsem.c up_read(), up_write(), __up_*(); mutex.c mutex_unlock(),
          // __mutex_unlock_slowpath(); net/core/sock.c lock_sock_nested(), release_sock(): the
          // caller holds or takes the lock
          e(LOCKING, "^_*up_(read|write)$"),
          e(LOCKING, "^_*mutex_unlock"),
          e(LOCKING, "^lock_sock(_nested|_fast)?$"),
          e(LOCKING, "^__rwsem"),
          // kernel/time/timer.c update_process_times(); tick-sched.c tick_sched_handle(),
          // tick_sched_timer(); hrtimer.c __hrtimer_run_queues(), hrtimer_interrupt();
          // arch/x86/kernel/apic/apic.c local_apic_timer_interrupt(),
          // sysvec_apic_timer_interrupt(); kernel/softirq.c irq_exit*()
          e(INTERRUPT, "^update_process_times$"),
          e(INTERRUPT, "^tick_sched_handle"),
          e(INTERRUPT, "^tick_sched_timer$"),
          e(INTERRUPT, "^__hrtimer_run_queues$"),
          e(INTERRUPT, "^hrtimer_interrupt$"),
          e(INTERRUPT, "^local_apic_timer_interrupt$"),
          e(INTERRUPT, "^(smp_|__sysvec_)?apic_timer_interrupt$"),
          e(INTERRUPT, "^irq_exit"),
          e(INTERRUPT, "^__irq_exit_rcu$"),
          // mm/kasan/generic.c check_memory_region() (<5.11); mm/usercopy.c __check_object_size(),
          // check_heap_object()
          e(SANITIZER, "^check_memory_region"),
          e(SANITIZER, "^__check_object_size$"),
          e(SANITIZER, "^_*check_heap_object$"),
          // lib/string.c and arch/x86/lib mem*/str* helpers; arch/x86/lib/usercopy
          // copy_to/from_user()
          e(HELPER, "^(__)?mem(cpy|set|move|cmp|chr)$"),
          e(HELPER, "^str(n|l|s)?(cpy|cmp|len|r?chr|dup|cat|str|casecmp|spn|pbrk|sep)$"),
          // lib/vsprintf.c vsnprintf() and its helpers string(), number(), put_dec*(),
          // pointer(): format the caller's arguments
          e(HELPER, "^v?s[cn]?printf$"),
          e(HELPER, "^vsc?nprintf$"),
          e(HELPER, "^(string|number|put_dec\\w*|pointer|format_decode)$"),
          // lib/iov_iter.c _copy_to_iter(), _copy_from_iter*(), copyout(), copyin();
          // include/linux/instrumented.h instrument_copy_*_user()
          e(HELPER, "^_?copy_(to|from)_iter"),
          e(HELPER, "^copy(out|in)$"),
          e(HELPER, "^instrument_copy_(to|from)_user"),
          // include/linux/compiler.h __read_once_size(), __write_once_size() (READ_ONCE before
          // v5.9); lib/crc32.c crc32_le*(), crc32_be*(): read the caller's memory
          e(HELPER, "^__(read|write)_once_size"),
          e(HELPER, "^crc32c?_(le|be)"),
          // include/linux/list.h and lib/list_debug.c list helpers: __list_add(),
          // __list_del_entry(), list_del*(), list_add*(), hlist_*(): the caller's list
          e(HELPER, "^_*list_(add|del|move|splice|replace)(_tail)?(_rcu|_init|_entry)*$"),
          e(HELPER, "^_*hlist_(add|del)\\w*$"),
          // lib/xarray.c xas_*() and xa_load(), xa_find*(): walk the caller's xarray
          e(HELPER, "^_*xas_[a-z_]+$"),
          e(HELPER, "^xa_(load|find|find_after)$"),
          // arch/x86/include/asm/bitops.h test_bit(), constant_test_bit(), set_bit(),
          // clear_bit(), test_and_*_bit() on the caller's bitmap
          e(HELPER, "^(constant_|variable_|arch_|_)?test_bit$"),
          e(HELPER, "^_*(arch_)?(set|clear|change)_bit$"),
          e(HELPER, "^(arch_)?test_and_(set|clear|change)_bit$"),
          e(HELPER, "^_?copy_(to|from)_user$"),
          // lib/iomap_copy.c and arch/*/kernel/io.c memcpy_fromio(), memcpy_toio(), memset_io();
          // arch/x86/lib/copy_page_64.S copy_page(), copy_page_regs()
          e(HELPER, "^_*mem(cpy_(from|to)io|set_io)$"),
          e(HELPER, "^copy_page(_rep|_regs|_erms)?$"),
          // arch/x86/lib/clear_page_64.S clear_page_rep(), clear_page_erms(), clear_page_orig();
          // include/linux/highmem.h copy_user_highpage(), copy_highpage(), clear_user_highpage();
          // mm/memory.c copy_user_huge_page(), copy_user_gigantic_page(), clear_huge_page(),
          // copy_user_large_folio(), folio_zero_user(): copy or clear the page their caller hands
          // in
          e(HELPER, "^clear_page(_rep|_erms|_orig)?$"),
          e(HELPER, "^(copy|clear)_(user_)?(highpage|huge_page|gigantic_page|large_folio)$"),
          e(HELPER, "^folio_zero_user$"),
          // lib/cmdline.c get_option(), get_options(), memparse(), parse_option_str(), next_arg():
          // parse the string their caller passes
          e(HELPER, "^(get_options?|memparse|parse_option_str|next_arg)$"),
          // kernel/compat.c compat_get_bitmap(), compat_put_bitmap(): user copies of the caller's
          // bitmap and length
          e(HELPER, "^compat_(get|put)_bitmap$"),
          // lib/fault-inject.c should_fail*(), fail_dump(); mm/failslab.c should_failslab()
          e(DEBUG, "^should_fail"),
          e(DEBUG, "^fail_dump$"),
          e(DEBUG, "^should_failslab$"),
          // mm/page_alloc.c alloc_pages*(); mm/slub.c kmalloc*(), kmem_cache_alloc*(),
          // slab_alloc*(), kfree(), kmem_cache_free(), slab_free*(); mm/util.c kvfree(); mm/slab.c
          // ___cache_free()
          e(ALLOCATOR, "^(__)?alloc_pages"),
          e(ALLOCATOR, "^(__)?kmalloc$"),
          e(
              ALLOCATOR,
              "^_*kmalloc_(node|trace|large|order|slab|array|caller|track_caller|reserve|noprof"
                  + "|cache|buckets)"),
          e(ALLOCATOR, "^kmem_cache_alloc"),
          e(ALLOCATOR, "^(__)?slab_alloc"),
          e(ALLOCATOR, "^___slab_alloc$"),
          e(ALLOCATOR, "^(__)?kfree$"),
          e(ALLOCATOR, "^kvfree$"),
          // mm/vmalloc.c vfree(), vunmap(), __vunmap(), vfree_atomic(): the area's objects are
          // checked on the way out (debug_check_no_obj_freed()), the caller chose to free them
          e(ALLOCATOR, "^(__)?v(free|unmap)(_atomic)?$"),
          // mm/slub.c __kmem_cache_free() (v6.1-v6.4, kfree's body), do_slab_free() and
          // set_freepointer() (its freelist-hardening BUG_ON), inlined into the free functions
          e(ALLOCATOR, "^(__)?kmem_cache_free$"),
          e(ALLOCATOR, "^(__)?slab_free"),
          e(ALLOCATOR, "^do_slab_free$"),
          e(ALLOCATOR, "^set_freepointer$"),
          e(ALLOCATOR, "^___cache_free$"),
          // mm/slab_common.c krealloc(); mm/page_alloc.c get_page_from_freelist(),
          // prep_new_page(), post_alloc_hook() (zero or check the page for the allocating caller)
          e(ALLOCATOR, "^_*krealloc"),
          e(ALLOCATOR, "^get_page_from_freelist$"),
          e(ALLOCATOR, "^prep_new_page$"),
          e(ALLOCATOR, "^post_alloc_hook$"),
          // mm/kmemleak.c: the leak detector's bookkeeping inside every slab allocation and free
          // (kfree() -> kmemleak_free() -> delete_object_full() -> find_and_remove_object())
          e(
              ALLOCATOR,
              "^(kmemleak_(alloc|free)\\w*|delete_object_(full|part)|__delete_object"
                  + "|_*find_and_remove_object)$"),
          // mm/page_alloc.c free paths that check the page they are handed (bad_page() from
          // free_page_is_bad()): __free_pages_ok(), free_pages_prepare(), free_pcppages_bulk(),
          // free_unref_page*(), __free_frozen_pages(), __free_pages(); mm/swap.c
          // __folio_put(), release_pages()
          e(ALLOCATOR, "^(__)?free_pages(_ok|_prepare)?$"),
          e(ALLOCATOR, "^free_pcppages_bulk$"),
          e(ALLOCATOR, "^free_unref_(page|folio)"),
          e(ALLOCATOR, "^__free_frozen_pages$"),
          e(ALLOCATOR, "^__folio_put$"),
          e(ALLOCATOR, "^release_pages$"),
          // mm/vmalloc.c __vmalloc_node_range() warns on a zero size from its caller
          e(ALLOCATOR, "^__vmalloc_node_range"),
          // mm/vmalloc.c vmalloc(), vzalloc(), __vmalloc_node(), __get_vm_area_node(),
          // alloc_vmap_area(); mm/util.c kvmalloc_node(): the caller chose size and context
          e(ALLOCATOR, "^(__)?v[mz]alloc(_node|_user|_32)?(_noprof)?$"),
          e(ALLOCATOR, "^__get_vm_area"),
          e(ALLOCATOR, "^alloc_vmap_area$"),
          e(ALLOCATOR, "^kv[mz]alloc"),
          // include/linux/slab.h kzalloc(), kcalloc() (inline wrappers printed as [inline]
          // frames), mm/slub.c slab_pre_alloc_hook(); include/linux/sched/mm.h
          // might_alloc() runs might_sleep_if(gfpflags_allow_blocking()) for the caller's flags
          e(ALLOCATOR, "^k[zc]alloc(_node)?(_noprof)?$"),
          e(ALLOCATOR, "^slab_pre_alloc_hook$"),
          e(ASSERTING, "^might_alloc$"),
          // lib/debugobjects.c debug_object_*(), debug_print_object(), __debug_check_no_obj_freed()
          e(DEBUG, "^_*debug_object"),
          e(DEBUG, "^debug_print_object$"),
          e(DEBUG, "^_*debug_check_no_obj_freed$"),
          // kernel/kcov.c __sanitizer_cov_*(), write_comp_data()
          e(SANITIZER, "^__sanitizer_cov"),
          e(SANITIZER, "^write_comp_data$"),
          // lib/smp_processor_id.c check_preemption_disabled(), debug_smp_processor_id(),
          // __this_cpu_preempt_check()
          // arm32 has no divide instruction: the library helpers branch to Ldiv0/__div0 on a zero
          // divisor (arch/arm/lib/lib1funcs.S, lib/div64.c); the caller passed the zero
          e(ASSERTING, "^__div0$"),
          e(ASSERTING, "^Ldiv0"),
          e(ASSERTING, "^__aeabi_[ul]?[il]?div"),
          e(ASSERTING, "^__u?divsi3$"),
          e(ASSERTING, "^__do_div64$"),
          e(ASSERTING, "^div(64)?_[us]64"),
          e(ASSERTING, "^check_preemption_disabled$"),
          e(ASSERTING, "^__this_cpu_preempt_check$"),
          e(ASSERTING, "^debug_smp_processor_id$"),
          // kernel/sched/core.c dump_cpu_task()
          e(REPORTER, "^dump_cpu_task$"),
          // lib/list_debug.c __list_add_valid*(), __list_del_entry_valid*() (checks on the caller's
          // list)
          e(ASSERTING, "^__list_(add|del)_entry_valid"),
          e(ASSERTING, "^__list_(add|del)_valid"),
          // kernel/sched/core.c __schedule_bug() prints "BUG: scheduling while atomic"
          e(REPORTER, "^__schedule_bug$"),
          // arch/arm/kernel/unwind.c unwind_backtrace() (arm32 dump_stack)
          e(REPORTER, "^unwind_backtrace$"),
          // arch/arm/kernel/traps.c __div0() prints "Division by zero in kernel.";
          // arch/arm/lib/lib1funcs.S Ldiv0 calls it
          e(REPORTER, "^__div0$"),
          e(REPORTER, "^Ldiv0"),
          // lib/nmi_backtrace.c and arch/x86/lib/delay.c: the delay loops
          // nmi_trigger_cpumask_backtrace() and panic() wait in (delay_tsc(), delay_loop(),
          // __const_udelay(), __udelay(), __delay(); arch/arm64/lib/delay.c __delay())
          e(REPORTER, "^delay_tsc$"),
          e(REPORTER, "^delay_loop$"),
          e(REPORTER, "^__const_udelay$"),
          e(REPORTER, "^__udelay$"),
          e(REPORTER, "^udelay$"),
          e(REPORTER, "^__delay$"),
          // kernel/time/timer.c add_timer(): BUG_ON(timer_pending(timer)) (WARN since v6.x) asserts
          // on its caller
          e(ASSERTING, "^add_timer$"),
          // lib/refcount.c refcount_warn_saturate() warns on its caller's saturated or freed
          // refcount
          e(ASSERTING, "^refcount_warn_saturate$"),
          // kernel/sched/core.c __might_sleep(), __might_resched() (might_sleep() in the caller);
          // mm/memory.c __might_fault(), might_fault() in 2.6.x-3.x (might_sleep() for the
          // caller's user copy)
          e(ASSERTING, "^__might_sleep$"),
          e(ASSERTING, "^__might_resched$"),
          e(ASSERTING, "^_*might_fault$"),
          // kernel/sched/core.c preempt_count_add(), preempt_count_sub() (CONFIG_DEBUG_PREEMPT):
          // DEBUG_LOCKS_WARN_ON() an overflow or an unbalanced preempt_enable() of the caller
          e(ASSERTING, "^preempt_count_(add|sub)$"),
          // kernel/cgroup.c css_id() (2.6.29-3.13) rcu_dereference_check()s css->id and asserts
          // its caller holds rcu_read_lock or a reference
          e(ASSERTING, "^css_id$"),
          // lib/kobject.c kobject_get(), kobject_put() warn on the caller's uninitialised or
          // released kobject (its reference counting)
          e(ASSERTING, "^kobject_(get|put)$"),
          // kernel/kthread.c kthread_stop() takes the caller's task_struct and warns or faults
          // when the caller kept no reference to a thread that already exited
          e(ASSERTING, "^kthread_stop(_put)?$"),
          // fs/fs-writeback.c __writeback_inodes_sb_nr(), writeback_inodes_sb*(),
          // sync_inodes_sb(): WARN_ON(!rwsem_is_locked(&sb->s_umount)) on the caller
          e(ASSERTING, "^(__|try_to_)?writeback_inodes_sb(_nr)?$"),
          e(ASSERTING, "^sync_inodes_sb$"),
          // kernel/cgroup/cgroup.c css_next_child(), css_next_descendant_*():
          // cgroup_assert_mutex_or_rcu_locked() warns when the caller holds neither
          e(ASSERTING, "^css_next_(child|descendant_pre|descendant_post)$"),
          // mm/swapfile.c page_swap_info(): BUG_ON(!PageSwapCache(page)) on the caller's page
          e(ASSERTING, "^page_swap_info$"),
          // fs/buffer.c mark_buffer_dirty(): WARN_ON_ONCE(!buffer_uptodate(bh)) on the caller's
          // buffer
          e(ASSERTING, "^mark_buffer_dirty$"),
          // kernel/sched/core.c ___might_sleep() (v4.x-v5.14 spelling of __might_resched())
          e(ASSERTING, "^___might_sleep$"),
          // lib/refcount.c refcount_warn_saturate(), refcount_dec_not_one(),
          // refcount_dec_and_*_lock(); include/linux/refcount.h __refcount_*() and the pre-5.x
          // out-of-line refcount_sub_and_test_checked(), refcount_inc_checked() warn on the
          // caller's count
          e(ASSERTING, "^_*refcount_"),
          // arch/x86/mm/physaddr.c __virt_to_phys_x() (VIRTUAL_BUG_ON), arch/arm64/mm/physaddr.c
          // __virt_to_phys() and arch/powerpc/include/asm/io.h virt_to_phys() (WARN on a
          // non-linear address): the caller passed the address
          e(ASSERTING, "^_*virt_to_phys"),
          // arch/x86/mm/physaddr.c __phys_addr(), __phys_addr_symbol(): VIRTUAL_BUG_ON() on the
          // caller's address
          e(ASSERTING, "^__phys_addr(_symbol)?$"),
          // fs/inode.c drop_nlink(), inc_nlink(), clear_nlink(): WARN_ON() on the caller's link
          // count
          e(ASSERTING, "^(drop|inc|clear)_nlink$"),
          // kernel/time/timer.c lock_timer_base(), __try_to_del_timer_sync(),
          // __timer_delete_sync(), del_timer*(), timer_delete*(); net/core/sock.c
          // sk_stop_timer*(), sk_reset_timer(): operate on the timer their caller owns
          e(ASSERTING, "^lock_timer_base$"),
          e(ASSERTING, "^_*try_to_del_timer_sync$"),
          e(ASSERTING, "^_*(timer_delete|del_timer)(_sync)?$"),
          e(ASSERTING, "^sk_(stop|reset)_timer(_sync)?$"),
          // kernel/panic.c __stack_chk_fail() panics "stack-protector: Kernel stack is corrupted
          // in: <caller>"
          e(REPORTER, "^__stack_chk_fail$"),
          // mm/usercopy.c usercopy_abort(), usercopy_warn() print "BUG: bad usercopy"
          e(REPORTER, "^usercopy_(abort|warn)$"),
          // kernel/cfi.c __cfi_check_fail(), __cfi_slowpath*(), report_cfi_failure()
          e(ASSERTING, "^__cfi_(check_fail|slowpath)"),
          e(ASSERTING, "^report_cfi_failure"),
          // mm/page_alloc.c bad_page() prints "BUG: Bad page state"
          e(REPORTER, "^bad_page$"),
          // mm/page_alloc.c free_page_is_bad_report() calls bad_page() for the page being freed
          e(REPORTER, "^free_page_is_bad_report$"),
          // mm/kfence/report.c kfence_report_error(); kernel/kcsan/report.c kcsan_report*();
          // mm/kmsan/report.c kmsan_report()
          e(SANITIZER, "^kfence_report"),
          e(SANITIZER, "^kcsan_report"),
          // kernel/sched/core.c show_state_filter(); kernel/hung_task.c check_hung_task(),
          // check_hung_uninterruptible_tasks(), watchdog()
          e(REPORTER, "^show_state_filter$"),
          // kernel/sched/debug.c print_cpu(), sysrq_sched_debug_show() print the run queues
          e(REPORTER, "^print_cpu$"),
          e(REPORTER, "^sysrq_sched_debug_show$"),
          e(REPORTER, "^check_hung_"),
          // kernel/sched/completion.c wait_for_completion*(), wait_for_common*(),
          // do_wait_for_common(): where a waiter sleeps
          e(SCHEDULER, "^wait_for_completion"),
          e(SCHEDULER, "^(do_|__)?wait_for_common"),
          // kernel/workqueue.c flush_workqueue(), __flush_workqueue(), flush_work(),
          // __flush_work(); kernel/rcu/update.c __wait_rcu_gp(), synchronize_rcu*(): the caller
          // chose to wait
          e(SCHEDULER, "^(__)?flush_(workqueue|work)$"),
          // kernel/workqueue.c schedule_on_each_cpu() queues a work on every CPU and flushes
          // each; mm/swap.c lru_add_drain_all() waits for it: the caller chose to wait
          e(SCHEDULER, "^schedule_on_each_cpu$"),
          e(SCHEDULER, "^(__)?lru_add_drain_all$"),
          e(SCHEDULER, "^__wait_rcu_gp$"),
          e(SCHEDULER, "^synchronize_(rcu|srcu|sched)"),
          // kernel/rcu/tree_exp.h _synchronize_rcu_expedited() (v4.x) waits for the caller's
          // expedited grace period
          e(SCHEDULER, "^_synchronize_rcu_expedited$"),
          // kernel/sched/core.c __schedule(), schedule(), schedule_preempt_disabled(),
          // io_schedule*(), context_switch(); kernel/time/timer.c schedule_timeout();
          // arch/x86/kernel/process_64.c __switch_to(), entry_64.S __switch_to_asm
          e(SCHEDULER, "^__schedule$"),
          e(SCHEDULER, "^schedule$"),
          e(SCHEDULER, "^schedule_timeout$"),
          e(SCHEDULER, "^schedule_preempt_disabled$"),
          e(SCHEDULER, "^io_schedule$"),
          e(SCHEDULER, "^io_schedule_timeout$"),
          // kernel/sched/wait.c wait_woken(): the caller's wait loop sleeps here
          e(SCHEDULER, "^wait_woken$"),
          e(SCHEDULER, "^__switch_to$"),
          e(SCHEDULER, "^__switch_to_asm$"),
          e(SCHEDULER, "^context_switch$"),
          // mm/oom_kill.c oom_kill_process() (prints the kill)
          e(REPORTER, "^oom_kill_process$"),
          // lib/dump_stack.c __dump_stack(); arch/x86/kernel/dumpstack.c show_trace_log_lvl()
          e(REPORTER, "^__dump_stack$"),
          e(REPORTER, "^show_trace_log_lvl$"),
          // arch/arm64/kernel/stacktrace.c and arch/riscv/kernel/stacktrace.c walk_stackframe(),
          // arch_stack_walk(); kernel/stacktrace.c stack_trace_save*(): walk a stack to print or
          // record it (dump_backtrace(), show_stack(), KASAN's and kmemleak's stack depot)
          e(REPORTER, "^(walk_stackframe|arch_stack_walk|stack_trace_save\\w*)$"),
          // arch/x86/kernel/dumpstack.c (2.6-4.x) print_context_stack(), print_trace_address(),
          // dump_trace(), printk_address(): the x86 backtrace printer before the ORC unwinder
          e(
              REPORTER,
              "^(print_context_stack(_bp)?|print_trace_address|dump_trace|printk_address)$"),
          // mm/page_alloc.c warn_alloc() prints "page allocation failure" and show_mem();
          // mm/debug.c dump_page(), __dump_page(); mm/memory.c print_bad_pte() ("BUG: Bad page
          // map")
          e(REPORTER, "^(warn_alloc(_show_mem)?|_*show_mem|_*dump_page|print_bad_pte)$"),
          // kernel/locking/spinlock_debug.c spin_dump(), spin_bug(), rwlock_bug() print "BUG:
          // spinlock bad magic/already unlocked/lockup suspected" for the caller's lock;
          // debug_spin_lock_before() and friends check it, __spin_lock_debug() (<3.17) spins
          e(REPORTER, "^(spin_dump|spin_bug|rwlock_bug)$"),
          e(DEBUG, "^debug_(spin|read|write)_(lock|unlock)"),
          e(LOCKING, "^__spin_lock_debug$"),
          // kernel/locking/mutex-debug.c debug_mutex_*() and mutex_destroy():
          // DEBUG_LOCKS_WARN_ON() on the caller's mutex (locked when destroyed, unlocked by
          // another owner)
          e(DEBUG, "^debug_mutex_"),
          e(ASSERTING, "^mutex_destroy$"),
          // kernel/spinlock.c (2.6.x, before the _raw_ rename in 2.6.33) _spin_lock(),
          // _spin_lock_irqsave(), _read_lock(), _write_lock_bh(), their unlocks
          e(LOCKING, "^_(spin|read|write)_(try)?lock"),
          e(LOCKING, "^_(spin|read|write)_unlock"),
          // kernel/locking/spinlock_rt.c (PREEMPT_RT) rt_spin_lock(), rt_read_lock(), ...;
          // kernel/locking/rtmutex.c rt_mutex_lock*(), rt_mutex_slowlock(), __rt_mutex_*();
          // kernel/sched/core.c raw_spin_rq_lock_nested() takes the runqueue lock for its caller
          e(LOCKING, "^_*rt_(spin|read|write)_(try)?(un)?lock"),
          e(LOCKING, "^_*rt_mutex_(slow)?(lock|unlock|trylock)"),
          e(LOCKING, "^__rt_mutex_"),
          // kernel/locking/rtmutex.c rtlock_slowlock(), rtlock_slowlock_locked() (PREEMPT_RT
          // v5.15+): the sleeping slow path of the caller's spinlock_t
          e(LOCKING, "^rtlock_slowlock(_locked)?$"),
          e(LOCKING, "^raw_spin_rq_(lock|unlock)"),
          // kernel/locking/semaphore.c down_interruptible(), down_killable(), down_timeout(),
          // down_trylock(); percpu-rwsem.c percpu_down_*(), __percpu_down_read(),
          // percpu_rwsem_wait(); ww_mutex.h ww_mutex_lock*()
          e(LOCKING, "^down_(interruptible|killable|timeout|trylock)$"),
          e(LOCKING, "^_*percpu_(down|up)_(read|write)"),
          e(LOCKING, "^percpu_rwsem_wait$"),
          // kernel/cpu.c cpus_read_lock(), cpus_write_lock(), get_online_cpus() (before v5.15):
          // percpu_down_read/write() on cpu_hotplug_lock for the caller
          e(LOCKING, "^(cpus_(read|write)_lock|get_online_cpus)$"),
          e(LOCKING, "^_*ww_mutex_(lock|unlock)"),
          // drivers/usb/core/urb.c usb_submit_urb(): dev_WARN "BOGUS urb xfer, pipe %x != type
          // %x" when the caller's urb does not match its endpoint; usb_kill_urb(),
          // usb_poison_urb() might_sleep() in the caller's context
          e(ASSERTING, "^usb_(submit|kill|poison)_urb$"),
          // drivers/base/core.c get_device(), put_device() (kobject_get/put() on the caller's
          // device); include/linux/kref.h kref_get(), kref_put*() (refcount on the caller's count)
          e(ASSERTING, "^(get|put)_device$"),
          e(ASSERTING, "^kref_(get|put)"),
          // kernel/dma/mapping.c dma_alloc_attrs() (WARN_ON_ONCE(!dev->coherent_dma_mask)),
          // dma_free_attrs() (WARN_ON(irqs_disabled())), dma_map_page_attrs() (BUG_ON on the
          // direction); kernel/dma/direct.c dma_direct_alloc(), dma_direct_free() free what the
          // caller says it allocated
          e(ASSERTING, "^dma_(alloc|free)_(attrs|coherent|noncoherent|pages)$"),
          e(ASSERTING, "^dma_direct_(alloc|free)(_pages)?$"),
          e(ASSERTING, "^dma_(map|unmap)_(page|single|sg|sgtable|resource)(_attrs)?$"),
          // kernel/dma/debug.c debug_dma_*(), check_unmap(), check_sync(): err_printk() reports
          // the driver's mapping misuse ("DMA-API: device driver frees DMA memory with wrong
          // size")
          e(REPORTER, "^debug_dma_"),
          e(REPORTER, "^check_(unmap|sync)$"),
          // drivers/iommu/dma-iommu.c iommu_dma_unmap_page(), iommu_dma_unmap_phys(),
          // __iommu_dma_unmap(), iommu_dma_free(): WARN_ON(unmapped != size) for a range the
          // caller did not map
          e(ASSERTING, "^_*iommu_dma_(unmap|free)"),
          // kernel/smp.c smp_call_function_many_cond(), smp_call_function_single(),
          // smp_call_function_many(), smp_call_function(); on_each_cpu*(): WARN_ON_ONCE(
          // cpu_online(this_cpu) && irqs_disabled() && !oops_in_progress) on the caller's context
          e(ASSERTING, "^smp_call_function(_many_cond|_many|_single|_single_async)?$"),
          e(ASSERTING, "^on_each_cpu(_cond_mask|_cond|_mask)?$"),
          // arch/x86/mm/tlb.c flush_tlb_kernel_range(), flush_tlb_mm_range(), flush_tlb_all();
          // arch/riscv/mm/tlbflush.c __flush_tlb_range(), flush_tlb_kernel_range(); arch/arm
          // and arch/powerpc flush_tlb_*(): shoot down other CPUs' TLBs through on_each_cpu*()
          // in their caller's context
          e(ASSERTING, "^_*flush_tlb_(kernel_range|range|mm_range|all|mm|page|others)$"),
          // drivers/infiniband/core/cma.c rdma_accept(), rdma_accept_ece():
          // lockdep_assert_held(&id_priv->handler_mutex) on the caller
          e(ASSERTING, "^rdma_accept(_ece)?$"),
          // kernel/irq/manage.c __free_irq() WARN "Trying to free already-free IRQ", free_irq(),
          // __enable_irq() WARN "Unbalanced enable for IRQ", irq_set_irq_wake() WARN "Unbalanced
          // IRQ %d wake disable": the caller's IRQ bookkeeping
          e(ASSERTING, "^_*free_irq$"),
          e(ASSERTING, "^_*enable_irq$"),
          e(ASSERTING, "^irq_set_irq_wake$"),
          // kernel/workqueue.c __queue_work() (WARN on a draining or destroyed workqueue),
          // queue_work_on(), queue_delayed_work_on(), destroy_workqueue() (WARN on busy pwqs),
          // check_flush_dependency() (WARN "WQ_MEM_RECLAIM ... is flushing !WQ_MEM_RECLAIM"):
          // the caller's work and workqueue
          e(ASSERTING, "^_*queue_(delayed_|rcu_)?work(_on)?$"),
          e(ASSERTING, "^destroy_workqueue$"),
          e(ASSERTING, "^check_flush_dependency$"),
          // kernel/time/timer.c __mod_timer() (BUG_ON(!timer->function)), mod_timer(),
          // add_timer_on(): the caller's timer
          e(ASSERTING, "^_*mod_timer(_pending)?$"),
          e(ASSERTING, "^add_timer_on$"),
          // mm/slab_common.c kmem_cache_destroy(): "Slab cache still has objects" for the caller's
          // cache
          e(ASSERTING, "^kmem_cache_destroy$"),
          // lib/xarray.c xa_insert(), __xa_insert(), xa_store(), __xa_alloc*(), __xa_cmpxchg(),
          // xa_erase(): store into the caller's xarray with the caller's gfp flags (xas_nomem()
          // allocates under them)
          e(HELPER, "^_*xa_(insert|store|alloc|alloc_cyclic|cmpxchg|erase|reserve|store_range)"),
          // kernel/sched/wait.c __wake_up(), __wake_up_common(), __wake_up_common_lock(),
          // __wake_up_sync_key(), __wake_up_locked*(), autoremove_wake_function(); completion.c
          // complete(), complete_all(): walk the wait-queue head the caller passes
          e(HELPER, "^_*wake_up(_common(_lock)?|_sync(_key)?|_locked(_key|_sync_key)?|_key)?$"),
          e(HELPER, "^(autoremove|default|woken)_wake_function$"),
          e(HELPER, "^complete(_all)?$"),
          // include/linux/atomic/*.h and arch/*/include/asm/atomic.h atomic_*(), atomic64_*(),
          // atomic_long_*(), arch_atomic_*(): operate on the caller's counter
          e(
              HELPER,
              "^_*(arch_|raw_)?atomic(64|_long)?_(read|set|add|sub|inc|dec|and|or|xor|fetch"
                  + "|try_cmpxchg|cmpxchg|xchg)\\w*$"),
          // per-architecture string and copy routines: arch/x86/lib/memcpy_64.S memcpy_orig,
          // memcpy_erms, __memcpy; memset_64.S memset_erms, memset_orig, __memset;
          // arch/powerpc/lib/memcpy_power7.S memcpy_power7, copyuser_power7.S
          // __copy_tofrom_user_power7, copyuser_64.S __copy_tofrom_user; arch/arm64/lib/memcpy.S
          // __pi_memcpy, __memcpy; arch/arm/lib/memzero.S __memzero, memcpy.S mmiocpy, memset.S
          // mmioset, __memset32/64; arch/s390/lib/mem.S __memset16/32/64; arch/riscv/lib
          // __memcpy, __memset
          e(HELPER, "^_*(pi_)?mem(cpy|set|move)(_(power7|erms|orig|fast|mcsafe|flushcache))?$"),
          e(HELPER, "^_*memset(16|32|64)$"),
          e(HELPER, "^(__memzero|mmiocpy|mmioset)$"),
          // user copies: arch/x86/lib/copy_user_64.S copy_user_generic_unrolled/_string,
          // copy_user_enhanced_fast_string, rep_movs_alternative; arch/arm64/lib
          // __arch_copy_from_user/_to_user; arch/arm/lib arm_copy_from_user, __copy_to_user_std;
          // arch/riscv/lib/uaccess.S __asm_copy_to_user/_from_user; lib/usercopy.c
          // _copy_from_user(); clear_user(), strncpy_from_user(), strnlen_user(); copy_mc_*()
          e(HELPER, "^copy_user_(generic\\w*|enhanced_fast_string|handle_tail)$"),
          e(HELPER, "^rep_movs_alternative$"),
          e(HELPER, "^_*(arch_|raw_)?copy_(to|from|in)_user(_\\w+)?$"),
          e(HELPER, "^_*copy_tofrom_user\\w*$"),
          e(HELPER, "^_*asm_copy_(to|from)_user$"),
          e(HELPER, "^arm_copy_(to|from)_user$"),
          e(HELPER, "^_*(arch_)?clear_user\\w*$"),
          e(HELPER, "^(do_)?_*strn(cpy_from|len)_user$"),
          e(HELPER, "^_*copy_mc_\\w+$"),
          e(HELPER, "^_*copy_user_(nocache|flushcache)$"),
          // include/linux/fortify-string.h fortify_panic(), __fortify_report(), __fortify_panic()
          // (lib/string_helpers.c): "detected buffer overflow" in the caller's string call
          e(REPORTER, "^_*fortify_(panic|report)$"),
          // grsecurity/PaX fs/exec.c report_size_overflow(): the size_overflow plugin's report
          // ("PAX: size overflow detected in function %s")
          e(REPORTER, "^report_size_overflow$"),
          // fs/inode.c __wait_on_freeing_inode() sleeps until an inode being evicted is gone;
          // find_inode(), find_inode_fast(), ilookup(), ilookup5(), iget_locked(),
          // iget5_locked() wait in it for their caller
          e(SCHEDULER, "^__wait_on_freeing_inode$"),
          e(SCHEDULER, "^(find_inode(_fast)?|ilookup5?|iget5?_locked)$"),
          // kernel/sched/wait_bit.c out_of_line_wait_on_bit*(), __wait_on_bit*(), bit_wait*();
          // mm/filemap.c folio_wait_bit_common(), wait_on_page_bit*(), __folio_lock(),
          // __lock_page(), folio_wait_writeback(); fs/buffer.c __wait_on_buffer(),
          // __lock_buffer(): where a task sleeps on a bit its caller waits for
          e(SCHEDULER, "^(out_of_line_)?_*wait_on_bit"),
          e(SCHEDULER, "^bit_wait(_io)?(_timeout)?$"),
          e(SCHEDULER, "^(folio|page)_wait_bit"),
          e(SCHEDULER, "^wait_on_page_(bit|writeback|locked)"),
          e(SCHEDULER, "^folio_wait_(writeback|locked)"),
          e(SCHEDULER, "^_*(lock_page|folio_lock)(_killable)?$"),
          e(SCHEDULER, "^__(wait_on|lock)_buffer$"),
          // kernel/time/timer.c msleep(), msleep_interruptible(), usleep_range_state(),
          // schedule_timeout_*(); kernel/time/hrtimer.c schedule_hrtimeout*()
          e(SCHEDULER, "^(msleep(_interruptible)?|usleep_range(_state)?)$"),
          e(SCHEDULER, "^schedule_timeout_\\w+$"),
          e(SCHEDULER, "^schedule_hrtimeout"),
          // kernel/workqueue.c cancel_work_sync(), cancel_delayed_work_sync(),
          // __cancel_work_timer(), __cancel_work_sync(), flush_delayed_work(), drain_workqueue();
          // kernel/rcu/tree.c rcu_barrier(), kernel/rcu/srcutree.c __synchronize_srcu(),
          // kernel/rcu/update.c wait_rcu_gp(): the caller chose to wait
          e(SCHEDULER, "^_*cancel_(delayed_)?work(_timer|_sync)+$"),
          e(SCHEDULER, "^flush_delayed_work$"),
          e(SCHEDULER, "^drain_workqueue$"),
          e(SCHEDULER, "^rcu_barrier"),
          e(SCHEDULER, "^__synchronize_srcu$"),
          e(SCHEDULER, "^wait_rcu_gp$"),
          // drivers/base/power/runtime.c rpm_resume(), rpm_suspend() sleep on
          // dev->power.wait_queue while another transition runs; __pm_runtime_resume(),
          // __pm_runtime_suspend(), __pm_runtime_idle() run them for the caller
          e(SCHEDULER, "^rpm_(resume|suspend)$"),
          e(SCHEDULER, "^__pm_runtime_(resume|suspend|idle)$"),
          // include/linux/spinlock_api_smp.h __raw_spin_lock*(), __raw_read_lock*(): the inline
          // bodies of the _raw_ lock functions, printed when not inlined
          e(LOCKING, "^__raw_(spin|read|write)_(try)?(un)?lock"),
          // drivers/usb/core/urb.c usb_alloc_urb(): allocates an urb for its caller
          e(ALLOCATOR, "^usb_alloc_urb$"),
          // mm/vmalloc.c __vmalloc_area_node*(), __vmalloc_node_flags*() (4.x): vmalloc's own
          // page allocation for its caller
          e(ALLOCATOR, "^__vmalloc_area_node"),
          e(ALLOCATOR, "^__vmalloc_node_flags"),
          // arch/arm64/mm/fault.c do_tag_check_fault(), report_tag_fault(): a memory-tagging
          // fault handed to KASAN's report
          e(TRAP, "^(report_tag_fault|do_tag_check_fault|do_tag_recovery)$"),
          // lib/debugobjects.c calls the object type's is_static_object() hook
          // (kernel/workqueue.c work_is_static_object(), kernel/time/timer.c
          // timer_is_static_object(), ...) on the caller's object
          e(DEBUG, "^\\w+_is_static_object$"),
          // lib/lockref.c lockref_get*(), lockref_put*(), lockref_mark_dead(): the caller's
          // lockref
          e(HELPER, "^lockref_(get|put|mark_dead)\\w*$"),
          // include/linux/spinlock.h spin_lock(), spin_lock_irqsave(), spin_unlock_irqrestore(),
          // raw_spin_lock*(), read_lock*(), write_lock*(): inline wrappers of the _raw_ functions,
          // printed as frames when not inlined or as [inline] frames by the symbolizer
          e(
              LOCKING,
              "^(raw_)?(spin|read|write)_(try)?(un)?lock(_nested|_irq|_irqsave|_irqrestore|_bh)?$"),
          // kernel/softirq.c __local_bh_enable_ip(), local_bh_enable(): run pending softirqs on
          // the way out of a bh-disabled section
          e(INTERRUPT, "^_*local_bh_enable(_ip)?$"),
          // kernel/sched/wait.c prepare_to_wait*(), finish_wait(); kernel/sched/swait.c
          // prepare_to_swait*(), finish_swait(): the caller's wait loop
          e(SCHEDULER, "^(prepare_to|finish)_s?wait(_event|_exclusive)?$"),
          // arch/powerpc/kernel/head_book3s_32.S DataAccess, InstructionAccess (and their _virt
          // continuations): the exception entry of a ppc32 fault
          e(TRAP, "^(DataAccess|InstructionAccess)(_virt|Cont)?$"),
          // mm/vmalloc.c __vmalloc_node_memcg() and the other __vmalloc_node*() internals
          e(ALLOCATOR, "^__vmalloc_node\\w*$"),
          // fs/btrfs/locking.c btrfs_tree_lock(), btrfs_tree_read_lock(),
          // __btrfs_tree_read_lock(), btrfs_tree_lock_nested(): btrfs's rwsem-based tree-block
          // locks, taken for their caller
          e(LOCKING, "^_*btrfs_tree_(read_)?(un)?lock"),
          // kernel/rcu/tree_stall.h rcu_check_gp_kthread_starvation(),
          // rcu_check_gp_kthread_wakeup(), rcu_print_task_stall*(), rcu_stall_kick_kthreads():
          // print the stall report's grace-period kthread and blocked-task sections
          e(
              REPORTER,
              "^rcu_(check_gp_kthread_\\w+|print_(detail_)?task_stall\\w*|stall_kick_kthreads)$"),
          // include/linux/nmi.h trigger_single_cpu_backtrace(), trigger_all_cpu_backtrace():
          // ask another CPU to print its stack (lib/nmi_backtrace.c)
          e(REPORTER, "^trigger_(single_cpu|all_cpu|cpumask|allbutself_cpu)_backtrace$"),
          // kernel/locking/qspinlock_paravirt.h pv_wait_node(), pv_wait_head_or_lock(),
          // pv_kick_node(); arch/x86/kernel/kvm.c kvm_wait() halts a KVM guest's vCPU while it
          // waits for a paravirt spinlock its caller takes
          e(LOCKING, "^pv_(wait_node|wait_head_or_lock|kick_node|wait|kick)$"),
          e(LOCKING, "^kvm_wait$"),
          // mm/page_alloc.c prepare_alloc_pages(), should_fail_alloc_page(); mm/mempool.c
          // mempool_alloc*(), mempool_free*(), mempool_kmalloc(): allocate for their caller
          e(ALLOCATOR, "^(prepare_alloc_pages|should_fail_alloc_page)$"),
          e(ALLOCATOR, "^mempool_(alloc|free|kmalloc|kfree)\\w*$"),
          // include/linux/jhash.h jhash(), jhash2(), jhash_*words(): hash the key their caller
          // passes
          e(HELPER, "^jhash(2|_1word|_2words|_3words)?$"),
          // include/linux/rhashtable.h and lib/rhashtable.c __rhashtable_lookup(),
          // rhashtable_lookup*(), rhltable_lookup(), rhashtable_insert*(), rhashtable_remove*():
          // walk or change the table their caller owns
          e(HELPER, "^_*rh(ashtable|ltable)_(lookup|insert|remove)\\w*$"),
          // sound/core/pcm_native.c snd_pcm_stream_lock*(), snd_pcm_stream_unlock*(): the PCM
          // stream's spinlock or mutex, taken for their caller
          e(LOCKING, "^snd_pcm_stream_(un)?lock(_irq|_irqsave|_irqrestore)?$"),
          // arch/x86/mm/fault.c __do_page_fault() (before v5.8), arch/arm64 and arch/powerpc
          // __do_page_fault(): the page-fault handler; might_sleep() in it reports the faulting
          // caller's context
          e(TRAP, "^__do_page_fault$"),
          // mm/truncate.c truncate_inode_pages(), truncate_inode_pages_range(),
          // truncate_inode_pages_final(): lock and wait on every page of the mapping their caller
          // truncates
          e(SCHEDULER, "^truncate_inode_pages(_range|_final)?$"),
          // kernel/sched/debug.c sched_debug_show(), print_rq(), print_cfs_rq(): print the run
          // queues (/proc/sched_debug, sysrq-t) beside print_cpu()
          e(REPORTER, "^(sched_debug_show|print_(cfs_|rt_|dl_)?rq)$"),
          // drivers/virtio/virtio.c virtio_check_driver_offered_feature(): reads the feature table
          // of the driver bound to the caller's vdev and BUG()s when the caller asks for a feature
          // its driver did not list (virtio_has_feature() calls it on the caller's device)
          e(ASSERTING, "^virtio_check_driver_offered_feature$"),
          // mm/slab.c, mm/slab_common.c kmem_cache_create(), __kmem_cache_create(): "these are all
          // serious usage bugs" - BUG()/BUG_ON() on the caller's name, size or flags outside
          // CREATE_MASK, or a call from interrupt
          e(ASSERTING, "^_*kmem_cache_create(_usercopy)?$"),
          // drivers/net/phy/phy.c phy_ethtool_gset(), phy_ethtool_sset(),
          // phy_ethtool_ksettings_*(),
          // phy_ethtool_{get,set}_link_ksettings(), phy_ethtool_nway_reset(), phy_ethtool_*_eee():
          // phylib's ethtool helpers act on the phydev the MAC driver passes (or keeps in
          // ndev->phydev); a PHY not connected yet is the driver's NULL
          e(ARGUMENT, "^phy_ethtool_\\w+$"),
          // block/blk-mq.c blk_mq_stop_hw_queues(), blk_mq_start_hw_queues(),
          // blk_mq_start_stopped_hw_queues(), blk_mq_quiesce_queue(), blk_mq_unquiesce_queue():
          // walk the hardware queues of the request_queue the driver passes
          e(ARGUMENT, "^blk_mq_(stop|start|start_stopped)_hw_queues?$"),
          e(ARGUMENT, "^blk_mq_(un)?quiesce_queue(_nowait)?$"),
          // kernel/sched/deadline.c dl_cpu_busy(), dl_bw_of(), dl_bw_cpus(),
          // dl_bw_check_overflow():
          // index the per-CPU root domain by the CPU number their caller computed
          // (cpuset_can_attach() -> task_can_attach())
          e(ARGUMENT, "^dl_(cpu_busy|bw_of|bw_cpus|bw_check_overflow)$"),
          // drivers/scsi/hosts.c scsi_host_get(), scsi_host_put(); lib/klist.c klist_*(): take or
          // drop a reference, or walk a list, on the caller's object
          e(ARGUMENT, "^scsi_host_(get|put)$"),
          e(ARGUMENT, "^klist_\\w+$"),
          // drivers/base/core.c device_add(), device_del(), device_unregister(), device_destroy(),
          // device_release(), get_device_parent(), device_for_each_child(), device_remove_file();
          // lib/kobject.c and lib/kobject_uevent.c kobject_*(), add_uevent_var(); fs/sysfs
          // sysfs_remove_*(): register, remove and release the device or kobject the caller
          // passes (syzkaller's pkg/report global skip list names the same frames)
          e(
              ARGUMENT,
              "^(device_(add|del|unregister|destroy|release|for_each_child|remove_file)"
                  + "|get_device_parent|add_uevent_var)$"),
          e(ARGUMENT, "^kobject_\\w+$"),
          // drivers/base/power/sysfs.c dpm_sysfs_remove(), drivers/base/core.c
          // device_remove_attrs(), device_remove_class_symlinks(): device_del()'s own steps;
          // drivers/tty/tty_io.c tty_unregister_device(), drivers/i2c/i2c-core-base.c
          // i2c_del_adapter(), __unregister_client(), drivers/char/hw_random/core.c
          // hwrng_unregister(), net/core/dev.c unregister_netdev(), rollback_registered*(),
          // drivers/base/devres.c devres_release_all(): unregister what the caller registered
          // (syzkaller's global skip list names the same teardown frames)
          e(
              ARGUMENT,
              "^(dpm_sysfs_remove|device_remove_attrs|device_remove_class_symlinks"
                  + "|tty_unregister_device|i2c_del_adapter|__unregister_client|hwrng_unregister"
                  + "|unregister_netdev(ice|ice_queue|ice_many)?|rollback_registered(_many)?"
                  + "|devres_release_all)$"),
          e(ARGUMENT, "^sysfs_remove_\\w+$"),
          // lib/rbtree.c rb_insert_color(), rb_erase(), rb_next(), rb_prev(), rb_first(),
          // rb_replace_node(), __rb_erase_color(), __rb_insert_augmented(): work on the caller's
          // tree and nodes, like the list helpers
          e(HELPER, "^_*rb_(insert|erase|next|prev|first|last|replace_node)\\w*$"),
          // drivers/base/core.c dev_printk(), _dev_err(), _dev_warn(), _dev_info(),
          // dev_vprintk_emit() ...: format the caller's message about the caller's device
          e(HELPER, "^_*dev_v?(printk|emerg|alert|crit|err|warn|notice|info)(_emit)?$"),
          // mm/util.c kmemdup(), memdup_user(), kstrdup(), kstrndup(): allocate and copy what the
          // caller passes
          e(ALLOCATOR, "^(kmemdup|memdup_user|kstrn?dup)(_nul|_const)?$"),
          // lib/kasprintf.c kasprintf(), kvasprintf(), kvasprintf_const(): allocate the string
          // their caller formats
          e(ALLOCATOR, "^kv?asprintf(_const)?$"),
          // kernel/panic.c __panic(), panic_saved_regs() of trees whose panic() is a wrapper
          // (printed as such with their kernel/panic.c lines, e.g. syzkaller guilty/16): panic's
          // own body
          e(REPORTER, "^(__panic|panic_saved_regs)$"),
          // arch/arm64/kernel/traps.c panic_bad_stack(), arch/arm64/kernel/entry-common.c
          // handle_bad_stack(), arch/arm64/kernel/entry.S __bad_stack; arch/x86/kernel/traps.c
          // handle_stack_overflow(): report "Insufficient stack space" / "kernel stack overflow"
          // and panic
          e(REPORTER, "^(panic_bad_stack|handle_bad_stack|__bad_stack|handle_stack_overflow)$"),
          // ---- Core library and core APIs that only act on what their caller passed (issue 11):
          // a fault, WARN or BUG inside them is the caller's bug, as syzkaller's pkg/report skip
          // list also holds for titles. Grouped by family, each with the kernel file it lives in.
          //
          // lib/string.c and include/linux/string.h: the rest of the string family (sized_strscpy()
          // of v6.8+, strscpy_pad(), strim(), skip_spaces(), memchr_inv(), memscan(),
          // strreplace(), strnchr(), memcpy_and_pad(), bcmp()); lib/kstrtox.c kstrto*(),
          // lib/vsprintf.c simple_strto*(): parse or copy the buffer their caller passes
          e(HELPER, "^(sized_)?str(n|l|s)?(cpy|cat)_pad$"),
          e(HELPER, "^sized_strscpy$"),
          e(
              HELPER,
              "^(strim|strstrip|skip_spaces|memchr_inv|memscan|strreplace|strnchr|strnstr"
                  + "|memcpy_and_pad|bcmp|strncasecmp|strcspn|strrchr|strchrnul|match_string"
                  + "|__sysfs_match_string|sysfs_streq)$"),
          e(HELPER, "^_*(kstrto|simple_strto)\\w+$"),
          e(HELPER, "^_parse_integer\\w*$"),
          // lib/checksum.c, arch/*/lib/csum*.S csum_partial(), csum_partial_copy_*(), do_csum(),
          // ip_fast_csum(), ip_compute_csum(); lib/crc*.c crc16(), crc32c(), crc_itu_t(),
          // crc_t10dif(); lib/hexdump.c hex_dump_to_buffer(), print_hex_dump(): read the buffer
          // and length their caller passes
          e(HELPER, "^_*(csum_\\w+|do_csum|ip_fast_csum|ip_compute_csum)$"),
          e(HELPER, "^_*crc(\\d+\\w*|_itu_t|_t10dif\\w*|_ccitt\\w*)$"),
          e(HELPER, "^(hex_dump_to_buffer|print_hex_dump(_bytes|_debug)?|hex2bin|bin2hex)$"),
          // lib/scatterlist.c and include/linux/scatterlist.h: walk, fill or copy the caller's
          // scatterlist (the scsi generic driver's sg_read(), sg_ioctl() ... are not in this list)
          e(
              HELPER,
              "^_*sg_(next|last|nents(_for_len)?|init_(table|one|marker)|set_(page|buf)"
                  + "|(un)?mark_end|chain|page|virt|phys|dma_address|copy_(buffer|from_buffer"
                  + "|to_buffer)|pcopy_(from|to)_buffer|zero_buffer|miter_\\w+|alloc_table\\w*"
                  + "|free_table\\w*|split|kmalloc|kfree|alloc_append_table_from_pages"
                  + "|page_iter_\\w+)$"),
          e(HELPER, "^sgl_(alloc|free)\\w*$"),
          // lib/iov_iter.c iov_iter_*(), copy_page_to_iter(), copy_folio_to_iter(),
          // copy_page_from_iter*(), import_iovec(), import_single_range(): copy through the
          // iterator their caller set up
          e(HELPER, "^_*iov_iter_\\w+$"),
          e(HELPER, "^(copy_page|copy_folio)_(to|from)_iter(_atomic)?$"),
          e(HELPER, "^_*import_(iovec|single_range|ubuf)$"),
          // lib/idr.c idr_*(), ida_*() ("ida_free called for id=%d which is not allocated");
          // lib/radix-tree.c radix_tree_*(); lib/xarray.c the rest of xa_*(): the caller's tree
          e(HELPER, "^_*(idr|ida|radix_tree)_\\w+$"),
          e(HELPER, "^_*xa_\\w+$"),
          // lib/bitmap.c bitmap_*(), __bitmap_*(); lib/find_bit.c find_*_bit(), _find_*_bit();
          // include/linux/cpumask.h cpumask_*() (cpumask_check() warns on the caller's CPU
          // number): the caller's bitmap and its length
          e(
              HELPER,
              "^_*bitmap_(zero|fill|copy\\w*|and\\w*|or|xor|complement|equal|intersects|subset"
                  + "|weight\\w*|set|clear|shift_\\w+|find_\\w+|parse\\w*|print_\\w+|from_\\w+|to_\\w+"
                  + "|release_region|allocate_region|remap|bitremap|onto|fold|cut|replace|scatter"
                  + "|gather|empty|full|read|write|get_value\\w*|set_value\\w*|or_equal)$"),
          e(HELPER, "^_*find_(first|next|last)_(zero_)?(and_)?bit\\w*$"),
          e(HELPER, "^_*cpumask_\\w+$"),
          // include/linux/list.h, lib/list_sort.c, lib/llist.c, lib/plist.c (CONFIG_DEBUG_PLIST
          // checks), include/linux/list_nulls.h: the rest of the caller's list helpers
          e(
              HELPER,
              "^(list_sort|_*list_cut_(position|before)|list_bulk_move_tail|list_rotate_left"
                  + "|list_swap|list_is_\\w+)$"),
          e(HELPER, "^_*hlist_(nulls_)?\\w+$"),
          e(HELPER, "^_*(llist|plist)_(add|del|reverse_order|head_init|first|next)\\w*$"),
          // lib/rbtree.c and include/linux/rbtree.h rb_add(), rb_find(), rb_link_node(),
          // rb_first_postorder(), rb_next_postorder(): the caller's tree and nodes
          e(HELPER, "^_*rb_(add|find|find_add|link_node|first_postorder|next_postorder)\\w*$"),
          // lib/percpu-refcount.c percpu_ref_kill_and_confirm() ("called more than once"),
          // percpu_ref_get/put*(), percpu_ref_exit(); lib/ref_tracker.c ref_tracker_free()
          // ("reference already released"): the caller's reference
          e(
              ASSERTING,
              "^_*percpu_ref_((get|put|tryget|kill)\\w*|exit|init|reinit|resurrect"
                  + "|switch_to_(atomic|percpu)(_sync)?|is_zero)$"),
          e(ASSERTING, "^ref_tracker_\\w+$"),
          // include/linux/netdevice.h dev_hold(), dev_put(), netdev_hold(), netdev_put();
          // include/net/sock.h sock_hold(), sock_put(), __sock_put(); net/core/sock.c sk_free();
          // include/linux/inetdevice.h in_dev_put(), net/ipv4/devinet.c in_dev_finish_destroy()
          // ("Freeing alive in_device"); include/net/addrconf.h in6_dev_put(): reference counts
          // on the caller's object
          e(
              ASSERTING,
              "^(_*dev_(hold|put)|netdev_(hold|put)|_*sock_(hold|put)|_*sk_free|in6?_dev_put"
                  + "|in6?_dev_finish_destroy|__in6?_dev_put)$"),
          // net/core/skbuff.c and include/linux/skbuff.h: the skb helpers act on the skb their
          // caller passes - skb_put() and skb_push() call skb_over_panic()/skb_under_panic()
          // (skb_panic(): "skbuff: skb_over_panic: text:%p len:%d put:%d") when the caller asks
          // for more room than it reserved; pskb_expand_head() BUG()s on a shared skb; the
          // free paths (kfree_skb*(), consume_skb(), skb_release_*()) and queue helpers fault on
          // the caller's freed or corrupted skb. Segmentation, flow dissection and datagram
          // receive (skb_segment(), __skb_flow_dissect(), skb_recv_datagram()) do their own work
          // and are not listed.
          e(
              ARGUMENT,
              "^_*p?skb_(put\\w*|push\\w*|pull\\w*|trim\\w*|over_panic|under_panic|panic"
                  + "|expand_head|copy_bits|store_bits|copy_datagram\\w*|datagram_iter|checksum\\w*"
                  + "|clone\\w*|copy|copy_expand|realloc_headroom|expand_head|unshare|share_check"
                  + "|cow\\w*|pad|padto|put_padto|linearize\\w*|may_pull|pull_tail|orphan\\w*"
                  + "|release_\\w+|free_head|free_frag|unlink|dequeue\\w*|queue_\\w+|append|insert"
                  + "|peek\\w*|reserve|reset_\\w+|to_sgvec\\w*|frag_\\w+|fill_page_desc|add_rx_frag"
                  + "|coalesce_rx_frag|zcopy_\\w+|ext_\\w+|try_coalesce|condense|header_pointer"
                  + "|copy_header|headers_offset_update|dst\\w*|network_header\\w*"
                  + "|transport_header\\w*|mac_header\\w*|set_owner_\\w+|tx_error|shinfo"
                  + "|headlen|tailroom|headroom)$"),
          e(
              ARGUMENT,
              "^(_*kfree_skb\\w*|consume_skb|_*dev_kfree_skb\\w*|napi_consume_skb|__napi_kfree_skb"
                  + "|sock_[rw]free|skb_free_datagram)$"),
          e(
              ALLOCATOR,
              "^(_*alloc_skb\\w*|_*netdev_alloc_skb\\w*|_*napi_alloc_skb|_*build_skb\\w*"
                  + "|napi_build_skb|_*netdev_alloc_frag|napi_alloc_frag\\w*"
                  + "|sock_alloc_send_(p)?skb|sock_kmalloc)$"),
          // include/net/dst.h and net/core/dst.c, net/core/dst_cache.c: dst_release() ("dst_release
          // underflow"), dst_hold(), dst_clone(), dst_output() and dst_input() (call the caller's
          // skb_dst(skb)->output/input), dst_mtu(), dst_metric*(), dst_neigh_lookup*(),
          // dst_cache_*(): dereference the dst their caller passes or attached to the skb
          e(
              ARGUMENT,
              "^_*dst_(release\\w*|hold\\w*|clone|destroy\\w*|dev_put|output|input|mtu|metric\\w*"
                  + "|neigh_lookup\\w*|confirm_neigh|check|cache_\\w+|discard\\w*)$"),
          // arch/arm64/mm/cache.S dcache_clean_poc(), dcache_inval_poc(), dcache_clean_inval_poc(),
          // caches_clean_inval_pou(), __flush_dcache_area() and __dma_{inv,clean,flush}_area()
          // (before v5.15), icache_inval_pou(); arch/arm/mm/cache-v7.S v7_dma_*_range(),
          // dmac_*_range(), arch/arm/mm/dma-mapping.c __dma_page_cpu_to_dev(); kernel/dma
          // arch_sync_dma_for_{device,cpu}(), dma_direct_sync_*(), dma_sync_*_for_{cpu,device}();
          // arch/x86/mm/pat/set_memory.c clflush_cache_range(); flush_dcache_page() and friends:
          // clean or invalidate the caches over the range or page their caller passes (a fault
          // here is the caller's bad address, size or unmapped buffer)
          e(
              HELPER,
              "^_*(dcache_(clean|inval|clean_inval)_(poc|pou|pop)|caches_clean_inval_\\w+"
                  + "|icache_inval_pou|flush_dcache_area|inval_dcache_area|clean_dcache_area_po[cup]"
                  + "|dma_(inv|clean|flush|map|unmap)_area|flush_icache_range|flush_cache_user_range"
                  + "|invalidate_icache_range)$"),
          e(HELPER, "^(v[4-7]\\w*|dmac|outer|l2c\\w*)_(dma_)?(inv|clean|flush)_(range|area)$"),
          e(
              HELPER,
              "^(__dma_page_(cpu_to_dev|dev_to_cpu)|dma_cache_maint\\w*|__cpuc_flush_dcache_area"
                  + "|v7_flush_kern_dcache_area|v7_coherent_(kern|user)_range)$"),
          e(
              HELPER,
              "^(arch_sync_dma_for_(device|cpu)\\w*|arch_dma_prep_coherent|arch_dma_cache_\\w+)$"),
          e(HELPER, "^_*(dma_direct_sync|dma_sync|iommu_dma_sync|arm_dma_sync)_\\w+$"),
          e(
              HELPER,
              "^_*(flush_dcache_(page|folio|range|icache\\w*)|flush_kernel_(dcache_page|vmap_range)"
                  + "|invalidate_kernel_vmap_range|clean_dcache_range|invalidate_dcache_range"
                  + "|flush_inval_dcache_range|clflush_cache_range\\w*|sync_icache_(dcache|aliases)"
                  + "|__dma_sync(_page)?)$"),
          // kernel/dma/mapping.c dma_map_*()/dma_unmap_*() (every variant: BUG_ON on the
          // direction, the caller's buffer), kernel/dma/direct.c dma_direct_map_*(),
          // drivers/iommu/dma-iommu.c iommu_dma_map_*(), kernel/dma/swiotlb.c swiotlb_map(),
          // swiotlb_tbl_map_single(), swiotlb_bounce(); mm/dmapool.c dma_pool_free()
          // ("dma_pool_free
          // %s, %p/%pad (bad dma)"), dma_pool_destroy(); dma_mmap_*(), dma_get_sgtable_*()
          e(ASSERTING, "^dma_(map|unmap)_\\w+$"),
          e(ASSERTING, "^_*(dma_direct|iommu_dma)_(map|unmap)_\\w+$"),
          e(ASSERTING, "^__iommu_dma_(map|unmap)\\w*$"),
          e(ASSERTING, "^swiotlb_(map|bounce|tbl_\\w+|release_slots|sync_single\\w*)$"),
          e(ASSERTING, "^dma_pool_(alloc|zalloc|free|destroy)$"),
          e(ASSERTING, "^dma_(mmap|get_sgtable)_(attrs|coherent|wc|pages|noncontiguous)$"),
          // mm/page_alloc.c, mm/percpu.c: the rest of the allocators'
          // entry points (__get_free_pages(), alloc_pages_exact(), free_pages_exact(),
          // __free_page(), folio_alloc*(), __alloc_percpu*(), free_percpu() (WARN on a pointer not
          // from the percpu allocator)): allocate or free for their caller, with its order, gfp
          // flags and pointer
          e(
              ALLOCATOR,
              "^(_*get_free_pages|get_zeroed_page|(alloc|free)_pages_exact\\w*|__?free_page"
                  + "|_*folio_alloc\\w*|vma_alloc_folio\\w*|_*alloc_frozen_pages\\w*"
                  + "|filemap_alloc_folio\\w*|free_percpu|_*alloc_percpu\\w*|pcpu_alloc(_noprof)?"
                  + "|pcpu_free_area|allocate_slab|new_slab)$"),
          // mm/memory.c vm_insert_page(), vmf_insert_pfn*(), vmf_insert_mixed(), insert_pfn(),
          // remap_pfn_range() (BUG_ON on the vma flags a driver's mmap/fault handler passes),
          // vm_map_pages(), vm_iomap_memory(), apply_to_page_range(); arch/x86/mm/pat
          // track_pfn_*(): map what the driver's mmap or fault handler hands in
          e(
              ASSERTING,
              "^(vm_insert_pages?|vmf_insert_\\w+|_*vm_insert_mixed|insert_pfn|insert_pages?"
                  + "|remap_pfn_range\\w*|io_remap_pfn_range|vm_map_pages\\w*|vm_iomap_memory"
                  + "|track_pfn_\\w+|_*apply_to_(existing_)?page_range)$"),
          // arch page-table entry updates (arch/powerpc/mm/book3s64/radix_pgtable.c
          // radix__pud_hugepage_update() WARNs on a non-devmap entry; arch/arm64/include/asm/
          // pgtable.h __check_racy_pte_update() "racy dirty state clearing"; set_pte_at(),
          // set_pmd_at(), ptep_*(), pmdp_*(), pudp_*() in include/linux/pgtable.h): update the
          // entry their caller hands in, checking it
          e(
              ASSERTING,
              "^_*(radix__|hash__)?(pte|pmd|pud|p4d)p?_(hugepage_update|update|huge_get_and_clear"
                  + "\\w*|get_and_clear\\w*|set_access_flags|test_and_clear_young|clear_flush\\w*"
                  + "|invalidate\\w*|establish|set_wrprotect|xchg|modify_prot_\\w+)$"),
          e(ASSERTING, "^_*set_(pte|pmd|pud|p4d|pgd|ptes)(_at|_ext)?$"),
          e(ASSERTING, "^_*check_(racy|safe)_pte_update$"),
          // mm/vmalloc.c, arch/*/mm/ioremap.c: iounmap() ("Trying to iounmap() nonexistent vm
          // area"), ioremap*(), memremap(), memunmap(), devm_ioremap*(): map or unmap the range
          // their caller names
          e(
              ARGUMENT,
              "^(iounmap|_*ioremap\\w*|devm_ioremap\\w*|devm_iounmap|memremap|memunmap"
                  + "|devm_memremap|devm_memunmap)$"),
          // drivers/base/core.c, bus.c, driver.c, class.c, platform.c: register, move, rename or
          // release the device, driver or class the caller passes (device_release() "does not
          // have a release() function, it is broken and must be fixed"; driver_register() "is
          // already registered"); the rest of device_add()'s and device_del()'s steps
          e(
              ARGUMENT,
              "^(device_(register|initialize|create\\w*|move|rename|link_\\w+|add_\\w+"
                  + "|remove_\\w+|release_driver\\w*|driver_detach|attach|bind_driver)"
                  + "|__device_release_driver|dev_set_name|driver_(register|unregister|attach|detach)"
                  + "|bus_(add|remove)_(device|driver)|bus_unregister|_*class_(create\\w*|destroy"
                  + "|register\\w*|unregister)|platform_device_(add|del|unregister|put|register)"
                  + "|platform_driver_unregister|device_links_\\w+|devm_\\w+_release)$"),
          // fs/sysfs/*.c sysfs_create_*(), sysfs_remove_*() ("sysfs group '%s' not found"),
          // sysfs_warn_dup() ("sysfs: cannot create duplicate filename"), sysfs_emit() ("invalid
          // sysfs_emit"), sysfs_add_file_mode_ns(), sysfs_do_create_link_sd(); fs/kernfs
          // kernfs_create_*(), kernfs_remove*(), kernfs_add_one(), kernfs_find_ns(): create or
          // remove the entries of the kobject the caller registers
          e(ARGUMENT, "^_*sysfs_\\w+$"),
          e(ARGUMENT, "^(remove_files|create_files|internal_create_group\\w*)$"),
          e(
              ARGUMENT,
              "^_*kernfs_(create\\w*|remove\\w*|add_one|new_node|find_ns|find_and_get_ns"
                  + "|link_sibling|activate|rename_ns|walk_and_get_ns|get|put)$"),
          // kernel/irq/manage.c request_threaded_irq(), __setup_irq() (rejects and warns on the
          // caller's flags and handler), disable_irq(), synchronize_irq(), free_percpu_irq();
          // kernel/irq/devres.c devm_request_threaded_irq(), devm_free_irq(): the caller's IRQ
          e(
              ASSERTING,
              "^(request_(threaded|any_context|percpu|nmi)_irq|_*setup_irq|devm_(request_threaded"
                  + "|request_any_context|free)_irq|_*free_(percpu|nmi)_irq|_*disable_irq\\w*"
                  + "|_*disable_percpu_irq|enable_percpu_irq|synchronize_irq|irq_set_irq_type"
                  + "|__irq_set_trigger|_*irq_set_handler\\w*|irq_set_affinity_hint)$"),
          // kernel/workqueue.c insert_work(), __queue_delayed_work(), try_to_grab_pending(),
          // mod_delayed_work_on(); kernel/kthread.c kthread_queue_work()
          // (WARN_ON_ONCE(!list_empty(&work->node))), kthread_queue_delayed_work(),
          // kthread_flush_work(), kthread_cancel_*(), kthread_destroy_worker(), kthread_park():
          // the caller's work item, worker and thread
          e(
              ASSERTING,
              "^(insert_work|_*queue_delayed_work|try_to_grab_pending|mod_delayed_work(_on)?"
                  + "|kthread_(queue|flush|mod)_(delayed_)?work|kthread_cancel_\\w+"
                  + "|kthread_destroy_worker|kthread_(un)?park|kthread_bind\\w*)$"),
          // kernel/time/hrtimer.c hrtimer_start_range_ns(), hrtimer_cancel(),
          // hrtimer_try_to_cancel(), hrtimer_forward(), hrtimer_init(), hrtimer_setup()
          // (debug_hrtimer_*() checks): the caller's hrtimer
          e(
              ASSERTING,
              "^_*hrtimer_(start\\w*|cancel\\w*|try_to_cancel|forward\\w*|init\\w*|setup\\w*"
                  + "|active)$"),
          // kernel/notifier.c notifier_chain_register() ("notifier callback %ps already
          // registered"), *_notifier_chain_(un)register(); kernel/rcu call_rcu(), kvfree_call_rcu()
          // (debug_rcu_head_queue(): "duplicate call_rcu"): the caller's block and head
          e(
              ASSERTING,
              "^(_*(atomic|blocking|raw|srcu)_notifier_chain_(un)?register|notifier_chain_(un)?"
                  + "register|call_rcu\\w*|__call_rcu\\w*|kv?free_call_rcu|_*call_srcu)$"),
          // include/linux/netdevice.h/usb and drivers/usb/core/message.c usb_control_msg(),
          // usb_bulk_msg(), usb_interrupt_msg(), usb_start_wait_urb(); hcd.c usb_hcd_submit_urb();
          // urb.c usb_kill_anchored_urbs(), usb_(un)anchor_urb(), usb_unlink_urb(),
          // usb_free_urb(): send or cancel the caller's urb (syzkaller's skip list names them)
          e(
              ASSERTING,
              "^(usb_(control|bulk|interrupt)_msg(_send|_recv)?|usb_start_wait_urb"
                  + "|usb_hcd_submit_urb|usb_kill_anchored_urbs|usb_(un)?anchor_urb|usb_unlink_urb"
                  + "|usb_free_urb)$"),
          // fs/inode.c iput(), iput_final(), ihold(); fs/dcache.c dput(), fast_dput(): drop or
          // take a reference on the caller's inode or dentry (BUG_ON(inode->i_state & I_CLEAR))
          e(ARGUMENT, "^(iput|iput_final|ihold|dput|fast_dput)$"),
          // kernel/cfi.c __cfi_check() (the module's check, v5.11-v5.19), __cfi_slowpath_diag(),
          // handle_cfi_failure() (v6.1+), arch/arm64/kernel/traps.c cfi_handler(), the kCFI
          // preamble symbols __cfi_<func> an indirect call may land on, lib/ubsan.c
          // __ubsan_handle_cfi_check_fail*(): check or report an indirect call the caller made
          e(ASSERTING, "^__cfi_\\w+$"),
          e(ASSERTING, "^(handle_cfi_failure|cfi_handler|report_cfi_failure\\w*)$"),
          // Fault assertions printed by a subsystem for its caller: fs/xfs/xfs_message.c
          // assfail() and asswarn() ("XFS: Assertion failed: %s, file: %s, line: %d", then BUG()
          // or, with bug_on_assert=0 or CONFIG_XFS_WARN, WARN_ON()), fs/btrfs/messages.c
          // btrfs_assertfail() ("assertion failed: %s, in %s:%d", then BUG()),
          // functions named for an assertion (arch/powerpc/mm/book3s64/slb.c
          // assert_slb_presence(), include/linux/rtnetlink.h ASSERT_RTNL's rtnl_is_locked()
          // check, kernel/cgroup cgroup_assert_mutex_or_rcu_locked()): check the state their
          // caller is in
          e(ASSERTING, "^_*(\\w+_)?(assfail|asswarn|assertfail)$"),
          e(ASSERTING, "^_*(\\w+_)?assert(_\\w+)?$"),
          // ---- Core APIs that WARN or BUG on their caller's misuse (issue 11 item 4), more
          // families: each check is on an argument or on the calling context, so the first
          // caller outside the family is blamed; titles still name the API (syzkaller's rules
          // do not skip them).
          //
          // drivers/gpio/gpiolib.c gpiod_get_value(), gpiod_set_value() and their _raw and
          // _array variants: WARN_ON(desc->gdev->can_sleep) (3.x: chip->can_sleep) when the
          // caller drives a GPIO that may sleep without the _cansleep variant; the _cansleep
          // variants might_sleep() in the caller's context; VALIDATE_DESC() checks the caller's
          // descriptor; the legacy gpio_get_value()/gpio_set_value() (__gpio_*) run them for a
          // GPIO number, gpiod_direction_*() set the caller's line up
          e(ASSERTING, "^_*gpiod?_(get|set)(_raw)?(_array)?_value(_cansleep)?$"),
          e(ASSERTING, "^gpiod_direction_(input|output)(_raw)?$"),
          // net/core/xdp.c xdp_rxq_info_reg(), __xdp_rxq_info_reg(), xdp_rxq_info_unreg(),
          // xdp_rxq_info_reg_mem_model(), xdp_rxq_info_unreg_mem_model(): WARN "Driver BUG" on
          // the registration state of the driver's rx queue info
          e(ASSERTING, "^_*xdp_rxq_info_(reg|unreg)\\w*$"),
          // kernel-mode FPU and SIMD: arch/x86/kernel/fpu/core.c kernel_fpu_begin_mask()
          // WARN_ON_FPU(!irq_fpu_usable()) and on a nested begin, kernel_fpu_end() on an
          // unbalanced end; arch/arm64/kernel/fpsimd.c kernel_neon_begin() BUG_ON(!may_use_simd());
          // arch/powerpc/kernel/process.c enable_kernel_fp(), _altivec(), _vsx(), _spe()
          // WARN_ON(preemptible()): the SIMD user's context
          e(
              ASSERTING,
              "^(_*kernel_fpu_(begin|end)(_mask)?|kernel_neon_(begin|end)"
                  + "|enable_kernel_(fp|altivec|vsx|spe))$"),
          // arch/s390/pci/pci_dma.c dma_update_cpu_trans() (invalidate_pt_entry()
          // WARN_ON_ONCE on an entry that is not valid: an unmap of what was not mapped),
          // __dma_update_trans(), dma_update_trans(), s390_dma_map_*(), s390_dma_unmap_*(): the
          // s390 dma_map_ops carrying out the driver's map or unmap; kernel/dma/debug.c
          // check_for_stack(), check_for_illegal_area(), check_sg_segment() (err_printk: "device
          // driver maps memory from stack", "... from kernel text or rodata") on the driver's
          // buffer
          e(
              ASSERTING,
              "^(_*dma_update_(cpu_)?trans|(in)?validate_pt_entry|_*s390_dma_(map|unmap)_\\w+)$"),
          e(ASSERTING, "^check_(for_stack|for_illegal_area|sg_segment)$"),
          // the crypto API acts on the request and scatterlists its user built:
          // crypto/aead.c crypto_aead_encrypt(), crypto_aead_decrypt(); crypto/skcipher.c,
          // ahash.c, shash.c, akcipher.c crypto_skcipher_*(), crypto_ahash_*(), crypto_shash_*(),
          // crypto_akcipher_*(); crypto/scatterwalk.c scatterwalk_*() copy through the user's
          // scatterlist; the AEAD templates crypto/gcm.c crypto_gcm_*() (crypto_gcm_init_common()
          // sg_set_buf()s the request context: BUG_ON(!virt_addr_valid(buf)) under
          // CONFIG_DEBUG_SG, include/linux/scatterlist.h, when the user allocated it in vmalloc
          // space), crypto/ccm.c crypto_ccm_*(), crypto/authenc.c crypto_authenc_*(), and their
          // rfc4106/rfc4309/rfc4543 wrappers
          e(ARGUMENT, "^crypto_(aead|skcipher|ahash|shash|akcipher|kpp|acomp|comp)_\\w+$"),
          e(HELPER, "^scatterwalk_\\w+$"),
          e(ARGUMENT, "^crypto_(gcm|ccm|authenc|authenc_esn|rfc4106|rfc4309|rfc4543)_\\w+$"),
          // drivers/pci/access.c pci_bus_set_ops() swaps the ops of the bus its caller passes
          // (under pci_lock), pci_bus_read_config_*(), pci_bus_write_config_*(),
          // pci_read_config_*(), pci_write_config_*(), pci_user_*_config_*(): config access to
          // the caller's bus or device
          e(ARGUMENT, "^(pci_bus_set_ops|pci_(bus_|user_)?(read|write)_config_(byte|word|dword))$"),
          // kernel/irq/msi.c msi_lock_descs(), msi_unlock_descs() (lock dev->msi.data->mutex of
          // the caller's device), msi_domain_alloc_irqs*(), msi_domain_free_irqs*();
          // drivers/pci/msi pci_enable_msi(), pci_disable_msi(), pci_enable_msix_range(),
          // pci_disable_msix(), pci_alloc_irq_vectors*(), pci_free_irq_vectors(),
          // pci_irq_vector(): set up or tear down the MSI of the device the driver passes
          // (WARN_ON(!!dev->msi_enabled) on a second enable)
          e(
              ARGUMENT,
              "^(msi_(un)?lock_descs|_*msi_domain_(alloc|free)_irqs\\w*|pci_(enable|disable)_msix?"
                  + "\\w*|pci_(alloc|free)_irq_vectors\\w*|pci_irq_vector)$"),
          // drivers/of/dynamic.c of_changeset_apply(), of_changeset_revert(),
          // of_changeset_destroy(), __of_changeset_*(), of_changeset_attach_node() ...: apply,
          // revert or free the changeset their caller built
          e(ARGUMENT, "^_*of_changeset_\\w+$"),
          // net/bluetooth/hci_core.c hci_unregister_dev(), hci_free_dev(): unregister or free
          // the hdev the transport driver allocated, registered or not (like unregister_netdev()
          // above); hci_register_dev() does its own work and is not listed
          e(ARGUMENT, "^hci_(unregister|free)_dev$"),
          // drivers/tty/serdev/core.c serdev_device_*() call the controller's ops on the serdev
          // their driver passes, drivers/tty/serdev/serdev-ttyport.c ttyport_*() hand them to the
          // tty; drivers/tty/tty_ioctl.c tty_driver_flush_buffer(), tty_chars_in_buffer(),
          // tty_write_room() call the tty driver's op on the caller's tty
          e(
              ARGUMENT,
              "^(serdev_device_\\w+|ttyport_\\w+|tty_(driver_flush_buffer|chars_in_buffer"
                  + "|write_room))$"),
          // fs/proc/generic.c proc_register() WARN "proc_dir_entry '%s/%s' already registered",
          // remove_proc_entry() and remove_proc_subtree() WARN on a name the caller never
          // registered or a directory it left non-empty; proc_create*(), proc_mkdir*() register
          // the caller's entry
          e(
              ARGUMENT,
              "^(proc_register|_*proc_create\\w*|proc_mkdir\\w*|remove_proc_(entry|subtree))$"),
          // drivers/regulator/core.c regulator_disable() / _regulator_disable() WARN "unbalanced
          // disables for %s", regulator_put() / _regulator_put(); drivers/clk/clk.c clk_disable(),
          // clk_unprepare(), clk_core_disable(), clk_core_unprepare() WARN "%s already disabled"
          // / "already unprepared", clk_enable(), clk_prepare(): the consumer's enable count
          e(
              ASSERTING,
              "^(_*regulator_(enable|disable|put|bulk_disable|bulk_enable|force_disable)"
                  + "|_regulator_do_disable)$"),
          e(
              ASSERTING,
              "^(clk_(enable|disable|prepare|unprepare|prepare_enable|disable_unprepare)"
                  + "|clk_core_(enable|disable|prepare|unprepare)(_lock)?)$"),
          // drivers/base/power/qos.c dev_pm_qos_add_request(), dev_pm_qos_update_request(),
          // dev_pm_qos_remove_request() WARN "called for already added request" / "for unknown
          // object" on the caller's request; kernel/power/qos.c cpu_latency_qos_*_request()
          // and pm_qos_*_request() (before v5.7) likewise
          e(ASSERTING, "^_*dev_pm_qos_(add|update|remove)_request\\w*$"),
          e(ASSERTING, "^(cpu_latency_qos|pm_qos)_(add|update|remove)_request\\w*$"),
          // kernel/fork.c __put_task_struct() WARN_ON(!tsk->exit_state) and on a live usage
          // count, put_task_struct*(): the caller's reference to a task
          e(ASSERTING, "^_*put_task_struct\\w*$"),
          // lib/dynamic_queue_limits.c dql_completed() BUG_ON(count > num_queued -
          // num_completed), dql_queued() BUG_ON(count > DQL_MAX_OBJECT): the byte counts a
          // network driver reports through netdev_tx_completed_queue() and netdev_tx_sent_queue()
          // (include/linux/netdevice.h, inline) for its own queue
          e(ASSERTING, "^(dql_(completed|queued)|netdev_(tx_)?(completed|sent)_queue)$"),
          // drivers/dma/dmaengine.c dma_release_channel() and the include/linux/dmaengine.h
          // wrappers dmaengine_terminate_*(), dmaengine_synchronize(), dmaengine_pause(),
          // dmaengine_resume(), dmaengine_slave_config(), dmaengine_prep_*(): act on the channel
          // their caller requested (a NULL or released channel is the caller's)
          e(
              ARGUMENT,
              "^(dma_release_channel|dmaengine_(terminate_\\w+|synchronize|pause|resume"
                  + "|slave_config|prep_\\w+|submit))$"),
          // net/core/dev.c free_netdev(): BUG_ON(dev->reg_state != NETREG_UNREGISTERED) (a
          // WARN_ON before v5.x) when the driver frees a net_device it did not unregister
          e(ASSERTING, "^free_netdev$"),
          // kernel/irq_work.c irq_work_queue_on(): WARN_ON_ONCE(cpu_is_offline(cpu)) and
          // WARN_ON_ONCE(in_nmi()) on the CPU and context its caller chose
          e(ASSERTING, "^irq_work_queue_on$"),
          // mm/util.c __kvmalloc_node(), kvmalloc_node_noprof(): WARN_ON_ONCE on a size above
          // INT_MAX ("Reject overly large allocations") that the caller computed;
          // include/linux/thread_info.h copy_overflow(), __bad_copy_from(), __bad_copy_to():
          // WARN "Buffer overflow detected (%d < %lu)!" for the caller's copy size
          e(ALLOCATOR, "^_*kv[mz]alloc\\w*$"),
          e(ASSERTING, "^(copy_overflow|__bad_copy_(from|to))$"),
          // mm/filemap.c unlock_page(), folio_unlock() (VM_BUG_ON_FOLIO(!folio_test_locked())),
          // end_page_writeback(), folio_end_writeback() (BUG or VM_BUG_ON when writeback was not
          // set): the page or folio the filesystem passes
          e(ASSERTING, "^(unlock_page|folio_unlock|end_page_writeback|folio_end_writeback)$"),
          // fs/inode.c clear_inode(): BUG_ON(inode->i_data.nrpages), BUG_ON(!(inode->i_state &
          // I_FREEING)), BUG_ON(inode->i_state & I_CLEAR) on what the filesystem's
          // evict_inode() left; fs/buffer.c __brelse(), __bforget() WARN "VFS: brelse: Trying
          // to free free buffer" on the caller's extra release
          e(ASSERTING, "^(clear_inode|_*brelse|_*bforget)$"),
          // drivers/of/dynamic.c of_node_put(), of_node_get(), of_node_release() ("ERROR: Bad
          // of_node_put() on %pOF": the last reference of a node that was never allocated
          // dynamically, dropped by the caller)
          e(ASSERTING, "^(of_node_(put|get)|of_node_release)$"),
          // drivers/media/common/videobuf2/videobuf2-core.c vb2_buffer_done():
          // WARN_ON(vb->state != VB2_BUF_STATE_ACTIVE) on the buffer the driver hands back
          e(ASSERTING, "^vb2_buffer_done$"),
          // block/blk-mq.c blk_mq_start_request() (WARN_ON_ONCE(blk_mq_rq_state(rq) !=
          // MQ_RQ_IDLE)), blk_mq_end_request(), __blk_mq_end_request(), blk_mq_complete_request():
          // start or end the request the driver passes (a freed or completed request is the
          // driver's)
          e(ASSERTING, "^(blk_mq_(start|end|complete)_request|__blk_mq_end_request)$"),
          // net/core/dev.c napi_enable() (BUG_ON(!test_bit(NAPI_STATE_SCHED)) on a second
          // enable), napi_disable() (waits for the caller's NAPI instance)
          e(ASSERTING, "^_*napi_(enable|disable)\\w*$"),
          // drivers/base/devres.c devm_kfree() (WARN_ON(rc): "not devm memory"),
          // devm_remove_action(), devm_release_action(), devres_destroy(), devres_release(),
          // devres_remove(): WARN when the caller's resource is not on the device's list
          e(
              ASSERTING,
              "^(devm_(kfree|remove_action|release_action)|devres_(destroy|release|remove))$"),
          // ---- Helpers, primitives and checkers syzkaller's title rules pass over that the
          // table lacked (the title names their caller; the primary now agrees):
          //
          // arch/x86/lib/retpoline.S __x86_indirect_thunk_<reg>, __x86_indirect_call_thunk_*,
          // __x86_indirect_jump_thunk_*: the jump of the caller's indirect call through the
          // function pointer it loaded (a #GP on a non-canonical pointer lands here)
          e(HELPER, "^__x86_indirect_(thunk|call_thunk|jump_thunk|its_thunk)_\\w+$"),
          // arch/x86/include/asm/word-at-a-time.h load_unaligned_zeropad(),
          // include/asm-generic/word-at-a-time.h read_word_at_a_time(): the word-wise string
          // read of strscpy() and the dcache name hashes over the caller's string;
          // include/linux/compiler.h __read_once_word_nocheck() (READ_ONCE_NOCHECK of the
          // unwinders)
          e(HELPER, "^(read_word_at_a_time|load_unaligned_zeropad|__read_once_word_nocheck)$"),
          // lib/vsprintf.c: the rest of the format helpers (hex_string() for %*ph, the %pM, %pI,
          // %pU, %pd, %pS, %pR, %pb ... printers), which format the caller's arguments
          e(
              HELPER,
              "^(hex_string|bitmap_(list_)?string|mac_address_string|ip[46]_string|ip_addr_string"
                  + "|ip6_compressed_string|ip[46]_addr_string\\w*|uuid_string|escaped_string"
                  + "|dentry_name|file_dentry_name|symbol_string|resource_string|special_hex_number"
                  + "|widen_string|check_pointer\\w*|restricted_pointer|netdev_bits|address_val"
                  + "|time_and_date|fourcc_string|flags_string|device_node_string|fwnode_string"
                  + "|va_format|error_string|ptr_to_id|default_pointer|string_nocheck)$"),
          // mm/page_alloc.c warn_alloc_failed() (before v4.9, the name of warn_alloc()): prints
          // the allocation failure
          e(REPORTER, "^warn_alloc_failed$"),
          // kernel/locking/mutex-debug.c debug_mutex_add_waiter(), mutex_remove_waiter(); mutex.c
          // __mutex_add_waiter(), __mutex_remove_waiter(); spinlock_debug.c do_raw_*_unlock()
          // (spin_bug "already unlocked"); kernel/sched/core.c __task_rq_lock(), task_rq_lock():
          // the caller's lock
          e(LOCKING, "^_*mutex_(add|remove)_waiter$"),
          e(LOCKING, "^do_raw_(spin|read|write)_unlock"),
          e(LOCKING, "^_*task_rq_lock$"),
          // fs/reiserfs/lock.c reiserfs_write_lock*(), reiserfs_write_unlock*(): the per-sb
          // write lock taken for the caller
          e(LOCKING, "^reiserfs_write_(un)?lock\\w*$"),
          // kernel/time/timer.c init_timer_key(), init_timer_on_stack_key(); kernel/workqueue.c
          // __init_work(): debugobjects' "init active object" on the timer or work the caller
          // re-initialises (WARNING: ODEBUG bug in <caller>)
          e(ASSERTING, "^(init_timer_key|init_timer_on_stack_key|__init_work)$"),
          // kernel/rcu/update.c debug_lockdep_rcu_enabled(), rcu_read_lock_held() and friends:
          // lockdep's RCU checks for the caller's rcu_dereference_check()
          e(
              DEBUG,
              "^(debug_lockdep_rcu_enabled|rcu_read_lock_(bh_|sched_|any_)?held\\w*"
                  + "|rcu_lockdep_current_cpu_online)$"),
          // kernel/kcsan/core.c kcsan_setup_watchpoint(), kcsan_found_watchpoint(),
          // check_access(), __tsan_*(): KCSAN's check of its instrumented caller's access
          e(SANITIZER, "^(kcsan_(setup|found)_watchpoint|kcsan_check_\\w+|__tsan_\\w+)$"),
          // lib/ubsan.c handle_overflow(), handle_null_ptr_deref(), handle_misaligned_access(),
          // handle_object_size_mismatch(): UBSAN's reports for the instrumented caller
          e(
              SANITIZER,
              "^(handle_overflow|handle_null_ptr_deref|handle_misaligned_access"
                  + "|handle_object_size_mismatch)$"),
          // lib/stackdepot.c stack_depot_fetch(), stack_depot_print(), stack_depot_snprint():
          // read back a stack a sanitizer recorded
          e(UNWINDER, "^(stack_depot_(fetch|print|snprint)\\w*)$"),
          // kernel/locking/irqflag-debug.c warn_bogus_irq_restore(): WARN "raw_local_irq_restore()
          // called with IRQs enabled" for the caller's flags
          e(ASSERTING, "^warn_bogus_irq_restore$"),
          // kernel/softirq.c __local_bh_enable_ip(): WARN_ON_ONCE(in_hardirq()) and on disabled
          // interrupts when the caller re-enables bottom halves
          e(ASSERTING, "^_*local_bh_enable(_ip)?$"),
          // mm/slab_common.c free_large_kmalloc(), mm/slub.c __kmem_cache_alloc_node(),
          // __kmem_cache_alloc_lru() (v6.1-v6.5), mm/memcontrol.c memcg_slab_post_alloc_hook(),
          // memcg_slab_free_hook(); mm/page_alloc.c page_frag_free(), page_frag_alloc*();
          // mm/mempolicy.c alloc_page_interleave(), alloc_pages_mpol(),
          // alloc_pages_preferred_many(), folio_alloc_mpol(): allocate or free for their caller
          e(
              ALLOCATOR,
              "^(free_large_kmalloc|__kmem_cache_alloc\\w*|_*memcg_slab_(post_alloc|free)_hook"
                  + "|page_frag_free|__page_frag_cache_drain|_*page_frag_alloc\\w*"
                  + "|alloc_page_interleave|alloc_pages_mpol\\w*|alloc_pages_preferred_many"
                  + "|folio_alloc_mpol\\w*|alloc_pages_bulk\\w*)$"),
          // kernel/rcu/srcutree.c cleanup_srcu_struct(): WARN_ON(srcu_readers_active()) and on
          // pending callbacks of the caller's srcu_struct
          e(ASSERTING, "^_*cleanup_srcu_struct\\w*$"),
          // mm/filemap.c find_lock_entries(), find_get_entries(): walk the mapping whose pages
          // the caller truncates or invalidates (truncate_inode_pages_range() above)
          e(HELPER, "^find_(lock|get)_entries$"),
          // lib/kobject.c __kobject_del() (the kobject_* entries above, underscored)
          e(ARGUMENT, "^__kobject_\\w+$"),
          // fs/reiserfs/prints.c __reiserfs_panic(): prints "reiserfs_panic" and BUG()s for the
          // function whose check failed (like xfs's assfail())
          e(ASSERTING, "^_*reiserfs_panic$"),
          // arch/arm64/kernel/entry-common.c el1_sync_handler() (v5.9-v5.12) and entry.S el1_sync:
          // the exception entry of a kernel fault
          e(TRAP, "^(el1_sync_handler|el1_sync|el1_(da|ia|pc|sp_pc|undef|dbg|inv|bti|fpac))$"),
          // include/trace/perf.h perf_trace_<event>(), include/trace/trace_events.h
          // trace_event_raw_event_<event>(), __traceiter_<event>(), __bpf_trace_<event>(): the
          // tracepoint probes run inside the traced caller, on the arguments it passed
          e(
              TRACING,
              "^(perf_trace_(?!buf_|run_|init|destroy|event_)\\w+|trace_event_raw_event_\\w+"
                  + "|__traceiter_\\w+|__bpf_trace_\\w+)$"),
          // kernel/locking/lockdep.c print_unlock_imbalance_bug() ("bad unlock balance"),
          // print_lock_contention_bug(), print_freed_lock_bug() ("held lock freed"),
          // print_held_locks_bug(), print_irq_inversion_bug(), print_bad_irq_dependency(),
          // print_collision(), hlock_class(): lockdep's reports and lookups for the caller's lock
          e(
              DEBUG,
              "^(print_(unlock_imbalance|lock_contention|freed_lock|held_locks|irq_inversion)_bug"
                  + "|print_bad_irq_dependency|print_collision|hlock_class)$"),
          // mm/kmemleak.c kmemleak_alloc(), kmemleak_vmalloc(), kmemleak_alloc_percpu(),
          // kmemleak_alloc_phys(), create_object(), __create_object(), __alloc_object(): the
          // tracking kmemleak's allocation hooks record for the allocating caller (a leak's
          // backtrace starts in them); mm/percpu.c pcpu_mem_zalloc() allocates for its caller
          e(
              DEBUG,
              "^(kmemleak_(alloc|vmalloc|alloc_percpu|alloc_phys|alloc_recursive)\\w*"
                  + "|_*create_object|__alloc_object|__link_object)$"),
          e(ALLOCATOR, "^pcpu_mem_zalloc$"),
          // include/linux/rcupdate.h rcu_preempt_sleep_check(), rcu_sleep_check():
          // RCU_LOCKDEP_WARN "Illegal context switch in RCU read-side critical section" from the
          // caller's might_sleep()
          e(ASSERTING, "^rcu_(preempt_)?sleep_check$"),
          // arch/x86/lib/rwsem.S call_rwsem_down_read_failed(), call_rwsem_down_write_failed(),
          // call_rwsem_wake() (before v4.20): the rwsem slow paths' thunks; drivers/tty/
          // tty_ldsem.c ldsem_down_read(), ldsem_down_write(), down_write_failed(): the tty line
          // discipline semaphore, taken for the caller
          e(LOCKING, "^call_rwsem_\\w+$"),
          e(LOCKING, "^(_*ldsem_\\w+|down_(read|write)_failed)$"),
          // net/core/dev.c synchronize_net(): synchronize_rcu() or its expedited form for the
          // caller
          e(SCHEDULER, "^synchronize_net$"),
          // Out-of-tree assertion paths that print their caller's failed assertion and stack,
          // then park the thread: ZFS's SPL spl_panic() ("PANIC at file:line:func()", then
          // spl_dumpstack(); module/os/linux/spl/spl-err.c), the SPL before 0.6.3
          // spl_debug_bug()/spl_debug_dumpstack(), Lustre's libcfs lbug_with_loc() (LBUG after an
          // LASSERT, libcfs_debug_dumpstack()): the function that asserted called them
          e(
              ASSERTING,
              "^(spl_panic|spl_dumpstack|spl_debug_bug|spl_debug_dumpstack|lbug_with_loc"
                  + "|libcfs_debug_dumpstack|libcfs_call_trace)$"),
          // mm/filemap.c
          // __filemap_get_folio(), filemap_alloc_folio(), pagecache_get_page(),
          // find_or_create_page(), grab_cache_page_write_begin(), read_cache_page(): find or
          // allocate a page-cache page for the caller (syzkaller's skip list names them)
          e(
              ALLOCATOR,
              "^(__filemap_get_folio|filemap_alloc_folio\\w*|find_or_create_page|pagecache_get_page"
                  + "|grab_cache_page_write_begin|do_read_cache_(folio|page)|read_cache_(page|folio)"
                  + "\\w*|filemap_grab_folio)$"),
          // the way in and out of an exception or interrupt, printed between the interrupted code
          // and the handler: arch/x86/entry/entry_64.S retint_kernel, error_entry, error_exit
          // (4.x), kernel/entry/common.c irqentry_exit() (whose preempt_schedule_irq() runs the
          // scheduler on the way back); arch/powerpc/kernel/traps.c program_check_exception(),
          // _exception(), exceptions-64s.S program_check_common, data_access_common,
          // interrupt_return; arch/s390/kernel/entry.S pgm_check_handler, traps.c
          // __do_pgm_check(), mm/fault.c do_dat_exception(), do_no_context(), do_exception();
          // arch/arm/mm/fault.c do_DataAbort(), do_PrefetchAbort(), entry-armv.S __dabt_svc;
          // arch/riscv/kernel/traps.c do_trap_*(), entry.S handle_exception
          e(
              TRAP,
              "^(retint_(kernel|user)|_*irqentry_(exit|enter)\\w*|common_interrupt_return"
                  + "|restore_regs_and_return_to_kernel|ret_from_intr|error_(entry|exit|code)"
                  + "|swapgs_restore_regs_and_return_to_usermode|exit_to_kernel_mode)$"),
          e(
              TRAP,
              "^(program_check_(exception|common)|_exception(_pkey)?|__?bad_page_fault"
                  + "|(data|instruction)_access(_slb)?_common\\w*|interrupt_return\\w*"
                  + "|ret_from_except\\w*|fast_exception_return|do_hash_fault|hash__do_page_fault"
                  + "|___do_page_fault|interrupt_exit_kernel_prepare)$"),
          e(
              TRAP,
              "^(pgm_check_handler|__do_pgm_check|do_dat_exception|do_no_context|do_low_address"
                  + "|do_exception|do_report_trap|do_fault_error|illegal_op)$"),
          e(
              TRAP,
              "^(do_DataAbort|do_PrefetchAbort|__(dabt|pabt|und)_svc|do_undefinstr|baddataabort)$"),
          e(
              TRAP,
              "^(handle_exception|do_trap_(break|insn_illegal|load_fault|store_fault|insn_fault"
                  + "|unknown|ecall_\\w+))$"),
          // the timer and interrupt path a lockup or stall detector runs from, beyond the x86
          // entries above: kernel/time/tick-common.c tick_periodic(), tick_handle_periodic(),
          // hrtimer.c __run_hrtimer(); arch/x86 smp_trace_apic_timer_interrupt() (4.x) and its
          // entry stubs; drivers/irqchip/irq-gic*.c gic_handle_irq(); kernel/irq handle_*_irq();
          // arch/arm64 el1_interrupt(); arch/powerpc decrementer_common; drivers/xen
          // xen_evtchn_do_upcall(); kernel/rcu/tree.c rcu_is_watching(), rcu_dynticks_*(),
          // rcu_irq_enter*(): RCU's own bookkeeping on interrupt entry. The clock-event devices'
          // own handlers (arch/powerpc timer_interrupt(), arch/mips c0_compare_interrupt(),
          // drivers/xen xen_timer_interrupt(), arm_arch_timer handlers) are device code that can
          // be at fault and are not listed
          e(
              INTERRUPT,
              "^(tick_periodic|tick_handle_periodic|tick_nohz_handler|tick_sched_do_timer"
                  + "|__run_hrtimer|\\w*apic_timer_interrupt\\w*|gic_handle_irq|handle_percpu_devid_irq"
                  + "|handle_domain_irq|generic_handle_domain_irq|do_interrupt_handler|call_on_irq_stack"
                  + "|el1_interrupt|el1h_64_irq\\w*|el1_irq|_*handle_irq_event\\w*|handle_(edge|fasteoi"
                  + "|level|percpu)_irq|generic_handle_irq\\w*|do_IRQ|handle_irq|__do_irq"
                  + "|decrementer_common\\w*|plat_irq_dispatch|_*xen_evtchn_do_upcall|xen_do_upcall|xen_hvm_callback_vector"
                  + "|evtchn_(2l|fifo)_handle_events|handle_irq_for_port|do_ext_irq|do_io_irq)$"),
          e(
              INTERRUPT,
              "^(rcu_is_watching|rcu_dynticks\\w*|rcu_(irq|nmi)_(enter|exit)\\w*|rcu_eqs_\\w+"
                  + "|_*irq_enter\\w*|ct_(irq|nmi)_(enter|exit)\\w*)$"),
          // arch/x86/kernel/traps.c do_divide_error(), do_invalid_op(), ... (before v5.8): the
          // exception handlers the x86 entry code calls
          e(TRAP, "^(divide_error|stack_segment|double_fault)$"),
          e(
              TRAP,
              "^do_(divide_error|invalid_op|stack_segment|double_fault|debug|nmi|bounds|overflow"
                  + "|coprocessor_error|simd_coprocessor_error|alignment_check|device_not_available"
                  + "|spurious_interrupt_bug|segment_not_present|invalid_TSS)$"),
          // ---- Reporting frames still chosen (issue 11): kernel/panic.c's printers and the
          // stopping of the other CPUs (print_tainted(), print_modules(), oops_exit(),
          // panic_print_sys_info(), smp_send_stop(), kmsg_dump(), console_flush_on_panic())
          e(
              REPORTER,
              "^(panic_print_sys_info|panic_other_cpus_shutdown|panic_smp_self_stop"
                  + "|nmi_panic_self_stop|print_oops_end_marker|oops_exit|oops_enter|print_tainted"
                  + "|get_taint|print_modules|kmsg_dump\\w*|console_flush_on_panic|smp_send_stop"
                  + "|crash_smp_send_stop|panic_trigger_all_cpu_backtrace|dump_stack_print_info"
                  + "|show_regs_print_info|print_worker_info|show_code|show_opcodes|show_ip"
                  + "|show_iret_regs|show_fault_oops|dump_pagetable|show_pte|show_regs_\\w+"
                  + "|print_vma_addr|show_extra_register_data|print_stack_trace)$"),
          // the stack unwinders dump_stack() and KASAN's stack depot run: arch/s390/kernel/
          // unwind_bc.c and arch/x86/kernel/unwind_orc.c unwind_next_frame(), __unwind_start(),
          // unwind_get_return_address(); arch/x86/kernel/dumpstack.c get_stack_info(),
          // in_task_stack(), update_stack_state(), deref_stack_reg(), stack_access_ok(),
          // orc_find(); arch/s390/kernel/dumpstack.c get_stack_info(), in_task_stack()
          e(
              UNWINDER,
              "^_*(unwind_(next_frame|start|get_return_address\\w*|get_entry|find_stack|dump"
                  + "|frame)|update_stack_state|deref_stack_(reg|regs|iret_regs)|orc_find"
                  + "|stack_access_ok|get_stack_info\\w*|in_(task|irq|nodat|restart|mcck|entry"
                  + "|exception|softirq|hardirq)_stack\\w*|arch_stack_walk_\\w+"
                  + "|stack_trace_consume_entry\\w*|save_stack_trace\\w*)$"),
          // kernel/extable.c __kernel_text_address(), kernel_text_address(), core_kernel_text();
          // kernel/trace/ftrace.c is_ftrace_trampoline(); kernel/bpf/core.c is_bpf_text_address();
          // kernel/module is_module_text_address(), __module_address(): the unwinder's check of
          // each return address it reads
          e(
              UNWINDER,
              "^(_*kernel_text_address|core_kernel_text|is_ftrace_trampoline|is_bpf_text_address"
                  + "|_*is_module_text_address|__module_(text_)?address|bpf_ksym_find)$"),
          // lib/stackdepot.c stack_depot_save(), __stack_depot_save(), depot_save_stack() (4.x);
          // mm/kasan save_stack(), set_track() (4.x): record an allocation or free stack
          e(UNWINDER, "^(_*stack_depot_save\\w*|depot_save_stack|save_stack|set_track)$"),
          // kernel/trace/fgraph.c return_to_handler() (arch/*/kernel/ftrace*.S, mcount*.S),
          // ftrace_return_to_handler(), ftrace_graph_caller(), function_graph_enter(),
          // prepare_ftrace_return(); the mcount/fentry callers ftrace_caller(),
          // ftrace_regs_caller(), ftrace_stub(), ftrace_ops_list_func()
          e(
              TRACING,
              "^(return_to_handler|_*ftrace_return_to_handler|ftrace_graph_caller"
                  + "|ftrace_graph_call|ftrace_caller|ftrace_regs_caller|ftrace_call|ftrace_regs_call"
                  + "|ftrace_stub\\w*|_*mcount|__fentry__|arch_ftrace_ops_list_func"
                  + "|ftrace_ops_list_func|ftrace_ops_assist_func|ftrace_ops_no_ops"
                  + "|ftrace_trampoline|prepare_ftrace_return|function_graph_enter\\w*"
                  + "|ftrace_push_return_trace|ftrace_pop_return_trace|ftrace_graph_ret_addr)$"),
          // the rest of the lock primitives: arch spinlocks (arch/s390/lib/spinlock.c
          // arch_spin_lock_wait(), arch/powerpc/lib/locks.c splpar_spin_yield(), __spin_yield()),
          // kernel/locking/osq_lock.c, mutex.c and rwsem.c optimistic spinning,
          // include/linux/bit_spinlock.h, include/linux/seqlock.h readers and writers,
          // kernel/locking/rwbase_rt.c, kernel/printk console_lock(), include/linux/mmap_lock.h,
          // include/linux/fs.h inode_lock*(), net/core/rtnetlink.c rtnl_lock(); __rcu_read_*()
          e(LOCKING, "^_*arch_(spin|read|write)_(try)?(un)?lock\\w*$"),
          e(LOCKING, "^(__spin_yield|spin_yield|splpar_(spin|rw)_yield|_*ticket_spin_\\w+)$"),
          e(
              LOCKING,
              "^(osq_(un)?lock|owner_on_cpu|(mutex|rwsem)_(spin_on_owner|optimistic_spin))$"),
          e(LOCKING, "^_*mutex_trylock\\w*$"),
          e(LOCKING, "^(up|_*up_read_non_owner|rwbase_\\w+|_*bit_spin_(try)?(un)?lock)$"),
          e(
              LOCKING,
              "^_*(raw_)?(read_seq(begin|retry|count_begin|count_retry)|write_seq(un)?lock\\w*"
                  + "|do_write_seqcount_\\w+|read_seqlock_excl\\w*)$"),
          e(LOCKING, "^(console_(un)?lock|console_trylock)$"),
          e(LOCKING, "^_*mmap_(read|write)_(try)?(un)?lock\\w*$"),
          e(LOCKING, "^(inode_(un)?lock(_shared|_nested)?|filemap_invalidate_(un)?lock\\w*)$"),
          e(LOCKING, "^(rtnl_(un)?lock\\w*|__rtnl_unlock|rtnl_trylock)$"),
          e(LOCKING, "^_*rcu_read_(un)?lock\\w*$"),
          // kernel/sched/core.c _cond_resched(), __cond_resched(), preempt_schedule*(): a loop's
          // voluntary scheduling point (a might-sleep callee that reports the caller's context)
          e(
              SCHEDULER,
              "^(_*cond_resched\\w*|dynamic_cond_resched|_*preempt_schedule\\w*|rcu_all_qs"
                  + "|rcu_note_context_switch)$"),
          // include/asm-generic/io.h and arch/*/include/asm/io.h readl(), writel(), ioread32(),
          // inb(), outb(), lib/logic_pio.c logic_inb(); arch/x86/include/asm/msr.h
          // native_read_msr(), rdmsr*() (ex_handler_msr(): "unchecked MSR access error"): access
          // the register or MSR their caller names (syzkaller's skip list has readb ... writeq)
          e(
              HELPER,
              "^((__raw_)?(read|write)[bwlq](_relaxed|_be)?|_*io(read|write)(8|16|32|64)(be)?(_rep)?"
                  + "|(in|out)[bwl](_p)?|_*(in|out)s[bwl]|logic_(in|out)\\w*)$"),
          e(HELPER, "^(native_(read|write)_msr\\w*|_*(rd|wr)msr\\w*)$"),
          // ---- Leaves a busy loop keeps calling: the halt in a paravirt spinlock wait
          // (arch/x86/kernel/kvm.c kvm_wait() -> safe_halt(), arch/x86/include/asm/irqflags.h
          // native_safe_halt()), the pause of cpu_relax() (arch/x86 rep_nop(), arch/arm64
          // __cmpwait*()), the delay loops (arch/x86/lib/delay.c delay_halt*(),
          // arch/arm/lib/delay.c
          // __loop_delay(), __timer_delay()), clock reads (kernel/time/timekeeping.c ktime_get*(),
          // arch/x86/kernel/tsc.c read_tsc(), native_sched_clock()), the interrupt-enable the
          // pending timer interrupt lands on (arch/x86/include/asm/irqflags.h
          // native_irq_enable(), arch_local_irq_restore()) and the watchdog touches
          // (kernel/watchdog.c touch_softlockup_watchdog(), touch_nmi_watchdog())
          e(
              BUSY_WAIT,
              "^(native_safe_halt|native_halt|safe_halt|halt|arch_safe_halt|pv_native_safe_halt)$"),
          e(
              BUSY_WAIT,
              "^(cpu_relax\\w*|rep_nop|arch_cpu_relax|__cpu_relax|__cmpwait\\w*|native_pause)$"),
          e(
              BUSY_WAIT,
              "^(_*ndelay|delay_halt\\w*|__loop_(const_)?u?delay|__timer_(const_)?u?delay"
                  + "|read_current_timer|__mdelay)$"),
          e(
              BUSY_WAIT,
              "^(ktime_get\\w*|read_tsc|native_sched_clock|sched_clock(_cpu|_noinstr)?"
                  + "|local_clock(_noinstr)?|rdtsc(_ordered)?|get_cycles(64)?|arch_counter_get_cnt\\w+"
                  + "|arch_timer_read_\\w+|acpi_pm_read\\w*|read_hpet|hpet_read\\w*"
                  + "|timekeeping_get_ns|tk_clock_read)$"),
          e(
              BUSY_WAIT,
              "^(native_restore_fl|native_irq_enable|native_save_fl|arch_local_irq_(restore"
                  + "|enable|save)|arch_local_save_flags|__raw_local_irq_restore|__local_irq_restore"
                  + "|local_irq_enable_exit_to_user)$"),
          e(
              BUSY_WAIT,
              "^(touch_nmi_watchdog|arch_touch_nmi_watchdog|touch_(all_)?softlockup_watchdog\\w*"
                  + "|rcu_cpu_stall_reset)$"));

  /**
   * Roles skipped when a stack signature picks its frames (everything but the scheduler and the
   * busy-wait leaves, which only a watchdog's report passes over).
   */
  private static final Set<Role> SIGNATURE = EnumSet.complementOf(EnumSet.of(SCHEDULER, BUSY_WAIT));

  /**
   * Roles skipped when naming the function that failed from a stack: the ones that only report,
   * trap, panic, sleep, dump, or assert on their caller, and the primitives (locks, allocator,
   * string and copy helpers, lock debugging) whose caller passed what made them fail.
   */
  private static final Set<Role> CULPRIT =
      EnumSet.of(
          PANIC, REPORTER, TRAP, SANITIZER, ASSERTING, ARGUMENT, LOCKING, DEBUG, ALLOCATOR, HELPER,
          SCHEDULER, KEXEC, TRACING, UNWINDER);

  /** Roles whose frames are never the guilty frame of a title, beyond the title table's list. */
  private static final Set<Role> TITLE = EnumSet.of(PANIC, REPORTER);

  private static final Map<String, Set<Role>> CACHE = new ConcurrentHashMap<>();

  /** Strips compiler suffixes ({@link CloneSuffixes}). */
  private static String base(String function) {
    return CloneSuffixes.strip(function);
  }

  /** The roles of a function (empty for ordinary code). */
  public static Set<Role> roles(String function) {
    String b = base(function);
    Set<Role> known = CACHE.get(b);
    if (known != null) {
      return known;
    }
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (Entry en : ENTRIES) {
      if (en.pattern().matcher(b).find()) {
        roles.add(en.role());
      }
    }
    Set<Role> result = Set.copyOf(roles);
    if (CACHE.size() < 100_000) {
      CACHE.put(b, result);
    }
    return result;
  }

  private static boolean any(String function, Set<Role> wanted) {
    for (Role r : roles(function)) {
      if (wanted.contains(r)) {
        return true;
      }
    }
    return false;
  }

  /** panic(), vpanic(), nmi_panic() (kernel/panic.c). */
  public static boolean isPanic(String function) {
    return roles(function).contains(PANIC);
  }

  /**
   * True for a leaf a busy loop keeps calling ({@link Role#BUSY_WAIT}): passed over only when a
   * lockup or stall watchdog reports the code it interrupted.
   */
  public static boolean isBusyWait(String function) {
    return roles(function).contains(BUSY_WAIT);
  }

  /**
   * True for the timer-interrupt path a lockup or stall detector runs from ({@link
   * Role#INTERRUPT}): passed over when a watchdog reports the code it interrupted.
   */
  public static boolean isInterruptPath(String function) {
    return roles(function).contains(INTERRUPT);
  }

  /** True for frames a stack signature skips. */
  public static boolean isSignatureSkip(String function) {
    return any(function, SIGNATURE);
  }

  /** True for frames that report, panic, sleep or assert: never the function that failed. */
  public static boolean isReporting(String function) {
    return any(function, CULPRIT);
  }

  /** The anchored regexes of the roles a title never blames, for the title engine's skip list. */
  public static List<String> titleSkips() {
    List<String> out = new ArrayList<>();
    for (Entry en : ENTRIES) {
      if (TITLE.contains(en.role())) {
        out.add(en.pattern().pattern());
      }
    }
    return List.copyOf(out);
  }
}
