package org.ktriage.render.html;

import static org.ktriage.render.Printable.clean;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Finding;
import org.ktriage.model.Frame;
import org.ktriage.model.Hex;
import org.ktriage.model.Oops;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.StackSegment;
import org.ktriage.render.html.ReportView.CpuView;
import org.ktriage.render.html.ReportView.ExceptionView;
import org.ktriage.render.html.ReportView.FrameView;
import org.ktriage.render.html.ReportView.LayerView;
import org.ktriage.render.html.ReportView.RegisterView;

/**
 * The stacks as drawn: per CPU (or, when no CPU state was read, per report) its stack segments
 * nested innermost first, each frame marked when it is the primary failure's function and each
 * register marked when it holds a value the diagnosis cites.
 */
final class StackViews {
  private StackViews() {}

  static List<CpuView> cpus(CrashReport r, @Nullable PrimaryFailure p, Set<Long> notable) {
    List<CpuView> cpus = new ArrayList<>();
    for (CpuState c : r.cpus()) {
      if (c.segments().isEmpty()) {
        continue;
      }
      StringBuilder label = new StringBuilder("CPU ").append(c.cpu());
      if (c.comm() != null) {
        label.append(" — ").append(clean(c.comm()));
      }
      if (c.pid() != null) {
        label.append(" (pid ").append(c.pid()).append(')');
      }
      // segments are innermost first: wrap each in the next outer one
      LayerView layer = null;
      List<StackSegment> segs = c.segments();
      for (int i = 0; i < segs.size(); i++) {
        StackSegment s = segs.get(i);
        layer =
            new LayerView(
                s.context().id(),
                s.marker() == null ? null : clean(s.marker()),
                s.frames().stream().map(f -> frame(f, p)).toList(),
                exception(s.exception(), p, notable),
                layer);
      }
      cpus.add(new CpuView(label.toString(), c.panicCpu(), layer));
    }
    // also stacks only found in oops reports, when no CPU state was read
    if (cpus.isEmpty()) {
      for (Oops o : r.oopses()) {
        if (o.trace().isEmpty() && o.ip() == null) {
          continue;
        }
        LayerView layer = null;
        if (o.ip() != null) {
          layer = new LayerView("fault", "RIP", List.of(), exception(o.ip(), p, notable), null);
        }
        for (StackSegment s : o.trace()) {
          layer =
              new LayerView(
                  s.context().id(),
                  s.marker() == null ? null : clean(s.marker()),
                  s.frames().stream().map(f -> frame(f, p)).toList(),
                  exception(s.exception(), p, notable),
                  layer);
        }
        String label =
            "report #"
                + (o.index() + 1)
                + (o.cpu() == null ? "" : " — CPU " + o.cpu())
                + (o.comm() == null ? "" : ", " + clean(o.comm()))
                + (o.pid() == null ? "" : " (pid " + o.pid() + ")");
        cpus.add(new CpuView(label, o.panicMessage() != null, layer));
      }
    }
    return cpus;
  }

  private static FrameView frame(Frame f, @Nullable PrimaryFailure p) {
    boolean hit = p != null && f.function().equals(p.function());
    return new FrameView(
        clean(f.where()), f.module() == null ? null : clean(f.module()), f.reliable(), hit);
  }

  private static @Nullable ExceptionView exception(
      @Nullable ExceptionFrame e, @Nullable PrimaryFailure p, Set<Long> notable) {
    if (e == null) {
      return null;
    }
    boolean fault =
        p != null
            && e.function() != null
            && e.function().equals(p.function())
            && (p.offset() == null || p.offset().equals(e.offset()));
    List<RegisterView> regs = new ArrayList<>();
    e.registers()
        .values()
        .forEach(
            (name, value) ->
                regs.add(new RegisterView(clean(name), Hex.reg(value), notable.contains(value))));
    return new ExceptionView(clean(e.where()), Hex.addrOrNull(e.ip()), fault, e.userMode(), regs);
  }

  /** Values worth marking in register blocks: the primary address and the values findings cite. */
  static Set<Long> notableValues(Diagnosis d) {
    Set<Long> values = new HashSet<>();
    PrimaryFailure p = d.primary();
    if (p != null && p.address() != null) {
      values.add(p.address());
    }
    for (Finding f : d.findings()) {
      f.evidence().forEach(e -> values.addAll(e.addresses()));
    }
    return values;
  }
}
