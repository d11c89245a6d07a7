package org.ktriage.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.AddressKind;
import org.ktriage.model.ChainEvent;
import org.ktriage.model.Completeness;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Evidence;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Finding;
import org.ktriage.model.Frame;
import org.ktriage.model.InputFormat;
import org.ktriage.model.InputSource;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;
import org.ktriage.model.MemoryLayout;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.RuleFailure;
import org.ktriage.model.Severity;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;
import org.ktriage.model.Taint;

/**
 * Diagnoses built by hand for renderer tests, shaped like the founding case (values copied from the
 * seed's crash session) and like an empty analysis.
 */
public final class HandBuilt {
  public static final String FILE = "seed-crash-session.txt";

  private HandBuilt() {}

  static SourceSpan at(int line) {
    return SourceSpan.line(FILE, line);
  }

  static Frame frame(String function, @Nullable String offset) {
    return new Frame(function, offset, null, null, null, true, null);
  }

  static RegisterSet regs(Object... nameValue) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put((String) nameValue[i], (Long) nameValue[i + 1]);
    }
    return new RegisterSet(m);
  }

  /** A diagnosis shaped like the founding case, with log text supplied by the caller. */
  public static Diagnosis seedLike(String logText) {
    ExceptionFrame nmiInterrupted =
        new ExceptionFrame(
            "_raw_spin_lock_irqsave",
            "0x47",
            null,
            0xffffffff8168eb47L,
            false,
            regs("RIP", 0xffffffff8168eb47L, "RDI", 0xffff88007b90c000L),
            at(33));
    ExceptionFrame faulted =
        new ExceptionFrame(
            "run_timer_softirq",
            "0xf8",
            null,
            0xffffffff81098a68L,
            false,
            regs(
                "RIP", 0xffffffff81098a68L, "RCX", 0xffffffffa88b53b0L, "RDI", 0xffff88007b90c000L),
            at(62));
    List<StackSegment> segments =
        List.of(
            new StackSegment(
                ContextKind.NMI,
                "NMI exception stack",
                List.of(frame("panic", null), frame("nmi_panic", "0x3f")),
                nmiInterrupted),
            new StackSegment(
                ContextKind.HARDIRQ,
                "IRQ stack",
                List.of(
                    frame("_raw_spin_lock_irqsave", "0x47"),
                    new Frame("lock_timer_base", "0x5b", null, null, null, false, null)),
                faulted),
            new StackSegment(
                ContextKind.SOFTIRQ,
                null,
                List.of(frame("run_timer_softirq", "0x1f3"), frame("__do_softirq", "0xef")),
                null),
            new StackSegment(
                ContextKind.TASK, null, List.of(frame("cpu_startup_entry", null)), null));
    CpuState cpu1 =
        new CpuState(
            1, 0, "swapper/1", 0xffff88007b889f60L, RegisterSet.empty(), segments, true, at(19));
    List<LogRecord> log =
        List.of(
            new LogRecord(0, 86_000_000_000L, 6, null, "lab_timer: unloading", at(80)),
            new LogRecord(1, 87_000_000_000L, 0, "C1", logText, at(81)),
            new LogRecord(
                2, 88_000_000_000L, 0, null, "Kernel panic - not syncing: Hard LOCKUP", at(82)));
    CrashReport report =
        CrashReport.builder()
            .sources(List.of(new InputSource(FILE, InputFormat.CRASH_SESSION)))
            .kernel(
                new KernelInfo(
                    "3.10.0-514.26.2.el7.x86_64",
                    "#1 SMP Tue Jul 4 15:04:05 UTC 2017",
                    "x86_64",
                    "cpe",
                    new Taint("G           OE  "),
                    null,
                    MemoryLayout.unknown()))
            .log(log)
            .cpus(List.of(cpu1))
            .panic(new PanicInfo("Hard LOCKUP", 1, "swapper/1", 0, at(13)))
            .modules(
                List.of(
                    new KernelModule("vfat", "", null, null, null),
                    new KernelModule("fat", "OE", 0xffffffffa0100000L, 0x1000L, null)))
            .lastUnloaded("lab_timer")
            .completeness(
                new Completeness(true, List.of("the dump is PARTIAL: filtered pages are absent")))
            .build();
    Finding timer =
        new Finding(
            "timer-of-unloaded-module",
            Severity.CRITICAL,
            0.9,
            "A timer of the unloaded module lab_timer fired after its memory was freed.",
            List.of(
                new Evidence("[exception RIP: run_timer_softirq+248]", at(54)),
                new Evidence(logText, null)),
            List.of("exit path never deletes the timer", "timer re-armed after del_timer"),
            List.of("crash> dis -l run_timer_softirq+248", "crash> rd ffffffffa88b53b0"),
            List.of(),
            List.of());
    Finding lock =
        new Finding(
            "recursive-spinlock",
            Severity.HIGH,
            0.8,
            "CPU 1 spins on lock ffff88007b90c000 it already holds.",
            List.of(Evidence.about("RDI: ffff88007b90c000", at(36), 0xffff88007b90c000L)),
            List.of(),
            List.of("crash> bt -a"),
            List.of("no lock owner field"),
            List.of());
    return Diagnosis.builder(report)
        .title("BUG: unable to handle kernel paging request in run_timer_softirq")
        .signature("sig-1")
        .failureClass(FailureClass.PAGE_FAULT)
        .trigger(FailureClass.HARD_LOCKUP)
        .primary(
            new PrimaryFailure(
                FailureClass.PAGE_FAULT,
                "run_timer_softirq",
                "0xf8",
                null,
                ContextKind.SOFTIRQ,
                1,
                0xffffffffa88b53b0L,
                AddressKind.MODULE_AREA,
                at(54)))
        .chain(
            List.of(
                new ChainEvent("page-fault", "run_timer_softirq+0xf8", "softirq", 1, null, at(54)),
                new ChainEvent(
                    "recursive-lock",
                    "_raw_spin_lock_irqsave+0x47",
                    "hardirq",
                    1,
                    "same lock",
                    null),
                new ChainEvent("hard-lockup", "watchdog_overflow_callback", "nmi", 1, null, null),
                new ChainEvent("panic", null, null, null, "Hard LOCKUP", at(82))))
        .findings(List.of(timer, lock))
        .ruleFailures(List.of(new RuleFailure("broken-rule", "IllegalStateException: boom")))
        .crashFound(true)
        .build();
  }

  /** {@code d} with other findings. */
  public static Diagnosis withFindings(Diagnosis d, List<Finding> findings) {
    return d.toBuilder().findings(findings).build();
  }

  /** A diagnosis as the analysis gives for input without any crash. */
  public static Diagnosis empty() {
    CrashReport report =
        CrashReport.builder()
            .sources(List.of(new InputSource("quiet.log", InputFormat.KERNEL_LOG)))
            .build();
    return Diagnosis.builder(report).build();
  }
}
