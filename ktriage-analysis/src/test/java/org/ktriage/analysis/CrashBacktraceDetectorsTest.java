package org.ktriage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.PrimaryFailure;

/**
 * A {@code crash bt} of the panic CPU alone names the detector that called panic() and the failing
 * function. Synthetic: no real dump of these detectors exists in shared material; each stack is a
 * 6.1 (lab kernel) call path written from the kernel sources, in crash 8.0's format.
 */
class CrashBacktraceDetectorsTest {

  private static final String HEAD =
      "PID: 77       TASK: ffff8ea242c4a100  CPU: 1    COMMAND: \"%s\"%n";

  private static String frames(String... fns) {
    StringBuilder sb = new StringBuilder();
    long sp = 0xffffd4b3000d0e80L;
    long ip = 0xffffffff9aa01f99L;
    for (int i = 0; i < fns.length; i++) {
      String f = fns[i];
      if (f.startsWith("---") || f.startsWith("    ")) {
        sb.append(f).append('\n');
        continue;
      }
      String mod = "";
      if (f.contains(" [")) {
        mod = f.substring(f.indexOf(" ["));
        f = f.substring(0, f.indexOf(" ["));
      }
      sb.append(
          String.format(
              "%s [%016x] %s at %016x%s%n",
              String.format(
                  "%3s", "#" + sb.toString().lines().filter(l -> l.contains(" at ")).count()),
              sp + 0x40L * i,
              f,
              ip + 0x1000L * i,
              mod));
    }
    return sb.toString();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sysrq|bash|sysrq-crash|sysrq_handle_crash|panic,sysrq_handle_crash,__handle_sysrq.cold,write_sysrq_trigger,proc_reg_write,vfs_write,ksys_write,do_syscall_64,entry_SYSCALL_64_after_hwframe",
        "hung|khungtaskd|hung-task|watchdog|panic,watchdog,kthread,ret_from_fork",
        "rcu|my_loop|rcu-stall|my_spin|panic,print_cpu_stall.cold,rcu_sched_clock_irq,update_process_times,tick_sched_handle,tick_sched_timer,__hrtimer_run_queues,hrtimer_interrupt,__sysvec_apic_timer_interrupt,sysvec_apic_timer_interrupt,--- <IRQ stack> ---,asm_sysvec_apic_timer_interrupt,    [exception RIP: my_spin+14],    RIP: ffffffffc05fb00e  RSP: ffffd4b3003e3ee8  RFLAGS: 00000282,    RAX: 0000000000000000  RBX: 0000000000000000  RCX: 0000000000000000,    ORIG_RAX: ffffffffffffff13  CS: 0010  SS: 0018,my_spin [my_drv],kthread,ret_from_fork",
        "hard|my_irqoff|hard-lockup|my_irqoff_loop|panic,nmi_panic.cold,watchdog_overflow_callback.cold,__perf_event_overflow,perf_event_nmi_handler,nmi_handle,default_do_nmi,exc_nmi,end_repeat_nmi,    [exception RIP: my_irqoff_loop+5],    RIP: ffffffffc05fb005  RSP: ffffd4b3003e3ee8  RFLAGS: 00000002,    RAX: 0000000000000000  RBX: 0000000000000000  RCX: 0000000000000000,    ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0018,--- <NMI exception stack> ---,my_irqoff_loop [my_drv],kthread,ret_from_fork",
        "oops|insmod|page-fault|my_touch|panic,oops_end.cold,page_fault_oops,exc_page_fault,asm_exc_page_fault,    [exception RIP: my_touch+5],    RIP: ffffffffc030c005  RSP: ffffcf0dc03c3b40  RFLAGS: 00000246,    RAX: 0000000000000031  RBX: ffffffffc0311000  RCX: c0000000ffffefff,    ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0018,do_one_initcall,do_init_module,__do_sys_finit_module,do_syscall_64,entry_SYSCALL_64_after_hwframe",
        "oom|stress|oom|out_of_memory|panic,out_of_memory.cold,__alloc_pages_slowpath.constprop.0,__alloc_pages,__folio_alloc,vma_alloc_folio,__handle_mm_fault,handle_mm_fault,do_user_addr_fault,exc_page_fault,asm_exc_page_fault",
        "explicit|insmod|explicit-panic|my_probe|panic,my_probe [my_drv],do_one_initcall,do_init_module,__do_sys_finit_module,do_syscall_64,entry_SYSCALL_64_after_hwframe",
      })
  void detectorNamedFromThePanicCpusFrames(
      String name, String comm, String cls, String function, String stack) throws Exception {
    String text = String.format(HEAD, comm) + frames(stack.split(","));
    Diagnosis d = new Analyzer().analyze(Reports.ingest("bt-" + name + ".txt", text));
    String dump = DebugPrint.of(d) + "\n" + text;
    assertThat(d.failureClass().id()).as(dump).isEqualTo(cls);
    PrimaryFailure p = Objects.requireNonNull(d.primary(), dump);
    assertThat(p.function()).as(dump).startsWith(function);
    assertThat(d.ruleFailures()).as(dump).isEmpty();
  }
}
