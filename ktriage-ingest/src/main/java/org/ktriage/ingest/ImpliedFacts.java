package org.ktriage.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.text.ReportFormats;
import org.ktriage.model.ContextKind;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.KernelModule;
import org.ktriage.model.MemoryLayout;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.RegisterSet;
import org.ktriage.model.StackSegment;

/**
 * What a report's log implies beyond what its inputs said: the panic message, task and CPU, the
 * modules and kernel fields of the first report, and per-CPU stacks from each CPU's first report
 * when no {@code crash} session or dump gave any.
 */
final class ImpliedFacts {
  private static final Pattern CPU_IN_HEADLINE =
      Pattern.compile("(?:CPU#|[Cc][Pp][Uu] |CPU: )(\\d+)");

  private ImpliedFacts() {}

  /**
   * Fills what the log implies: the panic message from {@code Kernel panic - not syncing:} (task
   * and CPU from {@code crash} when known), and per-CPU stacks from each CPU's first report when no
   * {@code crash} session or dump gave any.
   */
  static CrashReport fill(CrashReport r) {
    Oops panicking = null;
    for (Oops o : r.oopses()) {
      if (o.panicMessage() != null) {
        panicking = o;
      }
    }
    PanicInfo panic = r.panic();
    if (panicking != null) {
      String msg = panicking.panicMessage();
      if (panic == null) {
        panic =
            new PanicInfo(
                msg == null ? "" : msg,
                panicking.cpu(),
                panicking.comm(),
                panicking.pid(),
                panicking.span());
      } else if (msg != null) {
        panic =
            new PanicInfo(
                msg,
                panic.cpu() != null ? panic.cpu() : panicking.cpu(),
                panic.task() != null ? panic.task() : panicking.comm(),
                panic.pid() != null ? panic.pid() : panicking.pid(),
                panicking.span());
      }
    }
    List<CpuState> cpus = r.cpus().isEmpty() ? cpusFromReports(r.oopses(), panic) : r.cpus();
    if (panic != null && panic.cpu() == null) {
      List<CpuState> onPanicCpu = cpus.stream().filter(CpuState::panicCpu).toList();
      if (onPanicCpu.size() == 1) {
        CpuState c = onPanicCpu.get(0);
        panic =
            new PanicInfo(
                panic.message(),
                c.cpu(),
                panic.task() != null ? panic.task() : c.comm(),
                panic.pid() != null ? panic.pid() : c.pid(),
                panic.source());
      }
    }
    List<KernelModule> modules = r.modules();
    String lastUnloaded = r.lastUnloaded();
    for (Oops o : r.oopses()) {
      if (modules.isEmpty() && !o.modules().isEmpty()) {
        modules = o.modules();
      }
      if (lastUnloaded == null && o.lastUnloaded() != null) {
        lastUnloaded = o.lastUnloaded();
      }
    }
    KernelInfo k = r.kernel();
    if (!r.oopses().isEmpty()) {
      Oops first = r.oopses().get(0);
      k =
          ReportMerge.mergeKernel(
              k,
              new KernelInfo(
                  first.release(),
                  null,
                  null,
                  null,
                  first.taint(),
                  first.hardware(),
                  MemoryLayout.unknown()));
    }
    return r.toBuilder()
        .kernel(k)
        .cpus(cpus)
        .panic(panic)
        .modules(modules)
        .lastUnloaded(lastUnloaded)
        .build();
  }

  /** One {@link CpuState} per CPU from its first report with a trace or registers. */
  static List<CpuState> cpusFromReports(List<Oops> oopses, @Nullable PanicInfo panic) {
    List<CpuState> out = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (Oops o : oopses) {
      if (o.trace().isEmpty() && o.ip() == null) {
        continue;
      }
      Integer cpu = o.cpu();
      if (cpu == null) {
        Matcher m = CPU_IN_HEADLINE.matcher(o.headline());
        cpu = m.find() ? Integer.valueOf(m.group(1)) : Integer.valueOf(-1);
      }
      if (!seen.add(cpu)) {
        continue;
      }
      List<StackSegment> segments = new ArrayList<>();
      if (o.ip() != null && !o.ip().userMode()) {
        segments.add(new StackSegment(ipContext(o), null, List.of(), o.ip()));
      }
      segments.addAll(o.trace());
      boolean panicCpu = panic != null && panic.cpu() != null && panic.cpu().equals(cpu);
      out.add(
          new CpuState(
              cpu, o.pid(), o.comm(), null, RegisterSet.empty(), segments, panicCpu, o.span()));
    }
    out.sort(Comparator.comparingInt(CpuState::cpu));
    return out;
  }

  /** Context of the registers printed before the trace: a lockup interrupt or an exception. */
  private static ContextKind ipContext(Oops o) {
    ReportFormats.HeaderMatch hm = ReportFormats.match(o.headline(), 0);
    String family = hm == null ? "" : hm.rule().family();
    return switch (family) {
      case "soft-lockup" -> ContextKind.HARDIRQ;
      case "hard-lockup" -> ContextKind.NMI;
      default -> ContextKind.EXCEPTION;
    };
  }
}
