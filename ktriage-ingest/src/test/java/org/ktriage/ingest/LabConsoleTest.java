package org.ktriage.ingest;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.InputFormat;
import org.ktriage.model.KernelModule;
import org.ktriage.model.Oops;
import org.ktriage.model.StackSegment;
import org.ktriage.testkit.Shared;

/** Every lab console log, with the facts one can read in it by eye. */
class LabConsoleTest {

  static CrashReport read(String scenario) throws Exception {
    return Ingest.read(
        List.of(Shared.path("lab/out/" + scenario + "/console.log")), Strictness.LENIENT);
  }

  static Oops first(CrashReport r) {
    assertThat(r.oopses()).isNotEmpty();
    return r.oopses().get(0);
  }

  static ExceptionFrame ip(Oops o) {
    return requireNonNull(o.ip(), "ip of " + o.headline());
  }

  static CpuState cpu(CrashReport r, int n) {
    return r.cpus().stream().filter(c -> c.cpu() == n).findFirst().orElseThrow();
  }

  static List<String> functions(StackSegment s) {
    return s.frames().stream().map(f -> f.function()).toList();
  }

  @Test
  void timerAfterUnload() throws Exception {
    CrashReport r = read("timer-after-unload");
    assertThat(r.sources()).extracting(s -> s.format()).containsExactly(InputFormat.KERNEL_LOG);
    assertThat(r.kernel().release()).isEqualTo("6.1.0-56-amd64");
    Oops o = first(r);
    assertThat(o.headline()).startsWith("BUG: unable to handle page fault for address");
    assertThat(o.faultAddress()).isEqualTo(0xffffffffc02853c8L);
    assertThat(o.dieHeader()).isEqualTo("Oops: 0002 [#1] PREEMPT SMP NOPTI");
    assertThat(o.dieCounter()).isEqualTo(1);
    assertThat(o.cpu()).isEqualTo(0);
    assertThat(o.pid()).isEqualTo(0);
    assertThat(o.comm()).isEqualTo("swapper/0");
    assertThat(requireNonNull(o.taint()).compact()).isEqualTo("G OE");
    assertThat(ip(o).where()).isEqualTo("__run_timers+0xd3");
    assertThat(ip(o).registers().get("RCX")).isEqualTo(0xffffffffc02853c0L);
    assertThat(ip(o).registers().get("RBP")).isEqualTo(0xdead000000000122L);
    assertThat(o.code()).startsWith("74 24 28");
    assertThat(o.lastUnloaded()).isEqualTo("lab_timer_uaf");
    assertThat(o.modules())
        .extracting(KernelModule::name)
        .containsExactly("pvpanic_mmio", "pvpanic", "qemu_fw_cfg");
    assertThat(o.panicMessage()).isEqualTo("Fatal exception in interrupt");
    assertThat(o.complete()).isTrue();
    StackSegment irq = o.trace().get(0);
    assertThat(irq.context()).isEqualTo(ContextKind.HARDIRQ);
    assertThat(irq.marker()).isEqualTo("IRQ");
    assertThat(functions(irq)).startsWith("run_timer_softirq");
    StackSegment interrupted = o.trace().get(1);
    assertThat(interrupted.context()).isEqualTo(ContextKind.TASK);
    assertThat(requireNonNull(interrupted.exception()).where()).isEqualTo("native_safe_halt+0xb");
    assertThat(functions(o.trace().get(2))).contains("do_idle", "start_kernel");
    assertThat(r.lastUnloaded()).isEqualTo("lab_timer_uaf");
    assertThat(requireNonNull(r.panic()).cpu()).isEqualTo(0);
    CpuState c0 = cpu(r, 0);
    assertThat(c0.panicCpu()).isTrue();
    assertThat(c0.comm()).isEqualTo("swapper/0");
    assertThat(requireNonNull(c0.segments().get(0).exception()).where())
        .isEqualTo("__run_timers+0xd3");
    assertThat(c0.segments().get(1)).isEqualTo(irq);
  }

  @Test
  void timerAfterUnloadKdump() throws Exception {
    Oops o = first(read("timer-after-unload-kdump"));
    assertThat(o.cpu()).isEqualTo(1);
    assertThat(o.comm()).isEqualTo("swapper/1");
    assertThat(ip(o).where()).isEqualTo("__run_timers+0xd3");
    assertThat(o.lastUnloaded()).isEqualTo("lab_timer_uaf");
    assertThat(functions(o.trace().get(0))).contains("run_timer_softirq");
  }

  @Test
  void nullDeref() throws Exception {
    CrashReport r = read("null-deref");
    Oops o = first(r);
    assertThat(o.headline()).startsWith("BUG: kernel NULL pointer dereference, address:");
    assertThat(o.faultAddress()).isEqualTo(8L);
    assertThat(o.cpu()).isEqualTo(0);
    assertThat(o.comm()).isEqualTo("insmod");
    assertThat(o.pid()).isEqualTo(104);
    assertThat(ip(o).where()).isEqualTo("lab_null_deref_touch+0x5");
    assertThat(ip(o).module()).isEqualTo("lab_null_deref");
    assertThat(o.modules())
        .contains(
            new KernelModule("lab_null_deref", "OE+", null, null, o.modules().get(0).source()));
    StackSegment task = o.trace().get(0);
    assertThat(task.context()).isEqualTo(ContextKind.TASK);
    assertThat(task.frames().get(0).where()).isEqualTo("lab_null_deref_init+0x1d");
    assertThat(task.frames().get(0).module()).isEqualTo("lab_null_deref");
    assertThat(task.frames())
        .filteredOn(f -> !f.reliable())
        .extracting(f -> f.function())
        .contains("do_set_pte");
    ExceptionFrame user = requireNonNull(task.exception());
    assertThat(user.userMode()).isTrue();
    assertThat(user.ip()).isEqualTo(0x47fbe9L);
    assertThat(o.panicMessage()).isEqualTo("Fatal exception");
  }

  @Test
  void bugOn() throws Exception {
    Oops o = first(read("bug-on"));
    assertThat(o.headline()).startsWith("kernel BUG at ").endsWith("lab_bug.c:12!");
    assertThat(o.dieHeader()).startsWith("invalid opcode: 0000 [#1]");
    assertThat(o.faultAddress()).isNull();
    assertThat(o.cpu()).isEqualTo(1);
    assertThat(o.comm()).isEqualTo("insmod");
    assertThat(ip(o).where()).isEqualTo("lab_bug_check_state+0x1a");
    assertThat(ip(o).module()).isEqualTo("lab_bug");
    assertThat(functions(o.trace().get(0))).contains("lab_bug_init", "do_one_initcall");
  }

  @Test
  void useAfterFree() throws Exception {
    Oops o = first(read("use-after-free"));
    assertThat(o.headline())
        .startsWith(
            "general protection fault, probably for non-canonical address 0x6b6b6b6b6b6b6b73");
    assertThat(o.dieHeader()).isEqualTo(o.headline());
    assertThat(o.faultAddress()).isEqualTo(0x6b6b6b6b6b6b6b73L);
    assertThat(o.cpu()).isEqualTo(0);
    assertThat(ip(o).where()).isEqualTo("lab_uaf_use+0x9");
    assertThat(functions(o.trace().get(0))).contains("lab_uaf_init");
  }

  @Test
  void softLockup() throws Exception {
    for (String scenario : List.of("soft-lockup", "soft-lockup-kdump")) {
      CrashReport r = read(scenario);
      Oops o = first(r);
      assertThat(o.headline()).startsWith("watchdog: BUG: soft lockup - CPU#1 stuck for");
      assertThat(o.cpu()).isEqualTo(1);
      assertThat(o.comm()).isEqualTo("lab_spin");
      assertThat(ip(o).where()).isEqualTo("lab_softlockup_spin+0xe");
      assertThat(o.faultAddress()).isNull();
      Oops panic = r.oopses().get(1);
      assertThat(panic.headline()).isEqualTo("Kernel panic - not syncing: softlockup: hung tasks");
      assertThat(panic.panicMessage()).isEqualTo("softlockup: hung tasks");
      assertThat(panic.trace().get(0).context()).isEqualTo(ContextKind.HARDIRQ);
      assertThat(functions(panic.trace().get(0))).contains("panic", "watchdog_timer_fn.cold");
      assertThat(requireNonNull(panic.trace().get(1).exception()).where())
          .isEqualTo("lab_softlockup_spin+0xe");
      assertThat(requireNonNull(r.panic()).message()).isEqualTo("softlockup: hung tasks");
      assertThat(cpu(r, 1).segments().get(0).context()).isEqualTo(ContextKind.HARDIRQ);
    }
  }

  @Test
  void oomPanic() throws Exception {
    CrashReport r = read("oom-panic");
    Oops o = first(r);
    assertThat(o.headline()).startsWith("lab-oom invoked oom-killer: gfp_mask=0x140dca");
    assertThat(o.cpu()).isEqualTo(1);
    assertThat(o.comm()).isEqualTo("lab-oom");
    assertThat(functions(o.trace().get(0))).contains("out_of_memory.cold");
    assertThat(requireNonNull(r.panic()).message())
        .isEqualTo("Out of memory: system-wide panic_on_oom is enabled");
  }

  @Test
  void panicCall() throws Exception {
    CrashReport r = read("panic-call");
    Oops o = first(r);
    assertThat(o.headline())
        .isEqualTo("Kernel panic - not syncing: lab: explicit panic from lab_panic module");
    assertThat(o.panicMessage()).isEqualTo("lab: explicit panic from lab_panic module");
    assertThat(o.cpu()).isEqualTo(0);
    assertThat(functions(o.trace().get(0))).contains("panic", "lab_panic_now");
    assertThat(r.cpus()).extracting(CpuState::cpu).containsExactly(0);
  }
}
