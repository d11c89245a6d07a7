package org.ktriage.render.text;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ChainEvent;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Evidence;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.Finding;
import org.ktriage.model.Frame;
import org.ktriage.model.Hex;
import org.ktriage.model.Incident;
import org.ktriage.model.InputSource;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.RuleFailure;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;
import org.ktriage.render.Printable;
import org.ktriage.render.RenderOptions;
import org.ktriage.render.Renderer;
import org.ktriage.render.Verdict;

/**
 * The terminal report: the verdict first in words a support engineer can paste, then the cause
 * chain, the findings with evidence and source lines, next steps, the stacks in brief, what is
 * missing and which rules failed. Input text is shown with control bytes escaped.
 */
public final class TextRenderer implements Renderer {
  /** Findings shown with causes and next steps; the rest get their summary and evidence. */
  private static final int DETAILED_FINDINGS = 2;

  /** Frames shown per stack segment before "… n more". */
  private static final int FRAMES_PER_SEGMENT = 4;

  private final Style style;

  public TextRenderer(RenderOptions options) {
    this.style = new Style(options.color());
  }

  @Override
  public void render(Diagnosis d, Writer out) throws IOException {
    List<String> lines = new ArrayList<>();
    headline(d, lines);
    chain(d, lines);
    findings(d, lines);
    stacks(d.report(), lines);
    otherIncidents(d, lines);
    missing(d, lines);
    for (String line : lines) {
      out.write(line);
      out.write('\n');
    }
  }

  private void headline(Diagnosis d, List<String> out) {
    CrashReport r = d.report();
    out.add(style.bold(Printable.clean(Verdict.headline(d))));
    if (!d.crashFound()) {
      out.add(field("read", sources(r)));
      out.add(field("log", r.log().size() + " kernel log lines"));
      return;
    }
    if (d.title() != null) {
      out.add(field("title", Printable.clean(d.title())));
    }
    PrimaryFailure p = d.primary();
    if (p != null && p.address() != null) {
      String kind = p.addressKind() == null ? "" : " (" + p.addressKind().id() + ")";
      out.add(field("address", Hex.addr(p.address()) + kind));
    }
    FaultingInstruction insn = p == null ? null : p.instruction();
    if (insn != null) {
      out.add(field("insn", Printable.clean(insn.explanation())));
    }
    out.add(
        field(
            "class",
            d.failureClass().id()
                + (d.trigger() != d.failureClass() ? ", trigger " + d.trigger().id() : "")));
    PanicInfo panic = r.panic();
    if (panic != null) {
      StringBuilder s = new StringBuilder("\"" + Printable.clean(panic.message().strip()) + "\"");
      if (panic.cpu() != null) {
        s.append(" on CPU ").append(panic.cpu());
      }
      if (panic.task() != null) {
        s.append(", task ").append(Printable.clean(panic.task()));
      }
      if (panic.pid() != null) {
        s.append(" (pid ").append(panic.pid()).append(')');
      }
      out.add(field("panic", s.toString()));
    }
    String kernel = kernel(r.kernel());
    if (!kernel.isEmpty()) {
      out.add(field("kernel", kernel));
    }
    if (!r.modules().isEmpty() || r.lastUnloaded() != null) {
      String modules = r.modules().size() + " loaded";
      if (r.lastUnloaded() != null) {
        modules += ", last unloaded " + Printable.clean(r.lastUnloaded());
      }
      out.add(field("modules", modules));
    }
    if (d.signature() != null) {
      out.add(field("signature", d.signature()));
    }
    out.add(field("read", sources(r)));
  }

  private void chain(Diagnosis d, List<String> out) {
    if (d.chain().isEmpty()) {
      return;
    }
    section("Cause chain (first cause first)", out);
    int width = 0;
    for (ChainEvent e : d.chain()) {
      width = Math.max(width, e.event().length());
    }
    int n = 1;
    for (ChainEvent e : d.chain()) {
      StringBuilder s = new StringBuilder("  ").append(n++).append(". ");
      s.append(pad(e.event(), width));
      if (e.where() != null) {
        s.append("  ").append(Printable.clean(e.where()));
      }
      List<String> place = new ArrayList<>();
      if (e.context() != null) {
        place.add(e.context());
      }
      if (e.cpu() != null) {
        place.add("CPU " + e.cpu());
      }
      if (!place.isEmpty()) {
        s.append(" (").append(String.join(", ", place)).append(')');
      }
      if (e.detail() != null) {
        s.append(" — ").append(Printable.clean(e.detail()));
      }
      if (e.source() != null) {
        s.append("  ").append(style.dim(Printable.clean(e.source().toString())));
      }
      out.add(s.toString());
    }
  }

  private void findings(Diagnosis d, List<String> out) {
    if (d.findings().isEmpty()) {
      return;
    }
    section("Findings", out);
    int index = 0;
    for (Finding f : d.findings()) {
      boolean detailed = index++ < DETAILED_FINDINGS;
      out.add(
          "  "
              + style.severity(f.severity(), f.severity().id().toUpperCase(java.util.Locale.ROOT))
              + " "
              + style.bold(f.rule())
              + " ("
              + Verdict.percent(f.confidence())
              + ")");
      out.add("    " + Printable.clean(f.summary()));
      if (!f.evidence().isEmpty()) {
        out.add("    evidence:");
        for (Evidence e : f.evidence()) {
          out.add("      - " + Printable.clean(e.text()) + source(e.source()));
        }
      }
      if (!detailed) {
        continue;
      }
      if (!f.causes().isEmpty()) {
        out.add("    likely causes, to check in order:");
        int n = 1;
        for (String c : f.causes()) {
          out.add("      " + n++ + ". " + Printable.clean(c));
        }
      }
      if (!f.nextSteps().isEmpty()) {
        out.add("    next steps:");
        for (String s : f.nextSteps()) {
          out.add("      " + style.cyan(Printable.clean(s)));
        }
      }
      if (!f.missing().isEmpty()) {
        out.add("    would confirm, but missing:");
        for (String m : f.missing()) {
          out.add("      - " + Printable.clean(m));
        }
      }
      for (String ref : f.references()) {
        out.add("    see " + Printable.clean(ref));
      }
    }
    if (d.findings().size() > DETAILED_FINDINGS) {
      out.add(
          style.dim(
              "  (causes and next steps of the findings after the first "
                  + DETAILED_FINDINGS
                  + ": --format html or json)"));
    }
  }

  private void stacks(CrashReport r, List<String> out) {
    List<CpuState> withStacks = r.cpus().stream().filter(c -> !c.segments().isEmpty()).toList();
    if (withStacks.isEmpty()) {
      return;
    }
    section("Stacks (innermost context first)", out);
    for (CpuState c : withStacks) {
      StringBuilder head = new StringBuilder("  CPU ").append(c.cpu());
      if (c.comm() != null) {
        head.append("  ").append(Printable.clean(c.comm()));
      }
      if (c.pid() != null) {
        head.append(" (pid ").append(c.pid()).append(')');
      }
      if (c.panicCpu()) {
        head.append("  ").append(style.red("panic CPU"));
      }
      out.add(head.toString());
      for (StackSegment s : c.segments()) {
        StringBuilder line = new StringBuilder("    ").append(pad(s.context().id(), 9)).append(' ');
        List<String> names = new ArrayList<>();
        int shown = 0;
        for (Frame f : s.frames()) {
          if (shown == FRAMES_PER_SEGMENT) {
            names.add("… " + (s.frames().size() - shown) + " more");
            break;
          }
          names.add((f.reliable() ? "" : "? ") + Printable.clean(f.where()));
          shown++;
        }
        line.append(names.isEmpty() ? "(no frames)" : String.join(" ← ", names));
        out.add(line.toString());
        ExceptionFrame e = s.exception();
        if (e != null) {
          out.add(
              "             interrupted at " + style.bold(Printable.clean(e.where())) + keyRegs(e));
        }
      }
    }
  }

  private void otherIncidents(Diagnosis d, List<String> out) {
    if (d.otherIncidents().isEmpty()) {
      return;
    }
    section(
        "Other independent incidents in this log ("
            + d.otherIncidents().size()
            + "; nothing links them to the crash above)",
        out);
    for (Incident i : d.otherIncidents()) {
      Diagnosis id = i.diagnosis();
      StringBuilder s = new StringBuilder("  - ");
      if (d.boots() > 1) {
        s.append("boot ").append(i.boot() + 1).append(": ");
      }
      s.append(id.title() == null ? id.failureClass().id() : Printable.clean(id.title()));
      s.append(" [").append(id.failureClass().id()).append(']');
      if (i.reports() > 1) {
        s.append(", ").append(i.reports()).append(" reports");
      }
      out.add(s + source(i.source()));
    }
  }

  private void missing(Diagnosis d, List<String> out) {
    CrashReport r = d.report();
    if (r.completeness().partial() || !r.completeness().problems().isEmpty()) {
      section(r.completeness().partial() ? "What is missing (report is PARTIAL)" : "Notes", out);
      for (String p : r.completeness().problems()) {
        out.add("  - " + Printable.clean(p));
      }
    }
    if (!d.ruleFailures().isEmpty()) {
      section("Rules that failed (their findings are absent; please report)", out);
      for (RuleFailure f : d.ruleFailures()) {
        out.add("  - " + f.rule() + ": " + Printable.clean(f.error()));
      }
    }
    if (d.corrupted()) {
      out.add("");
      out.add(
          style.yellow("The report looked truncated or intermixed; the title may be unreliable."));
    }
  }

  private static String keyRegs(ExceptionFrame e) {
    List<String> parts = new ArrayList<>();
    for (String name : List.of("RIP", "PC", "RSP", "SP", "RDI", "X0", "CR2")) {
      Long v = e.registers().get(name);
      if (v != null && !(name.equals("RIP") && e.ip() != null)) {
        parts.add(name + " " + Hex.addr(v));
      }
    }
    if (e.ip() != null) {
      parts.add(0, "ip " + Hex.addr(e.ip()));
    }
    return parts.isEmpty() ? "" : "  [" + String.join(", ", parts) + "]";
  }

  private void section(String title, List<String> out) {
    out.add("");
    out.add(style.bold(title));
  }

  private String field(String name, String value) {
    return "  " + style.dim(pad(name, 9)) + " " + value;
  }

  private String source(@Nullable SourceSpan s) {
    return s == null ? "" : "  " + style.dim("(" + Printable.clean(s.toString()) + ")");
  }

  private static String kernel(KernelInfo k) {
    List<String> parts = new ArrayList<>();
    if (k.release() != null) {
      parts.add(Printable.clean(k.release()));
    }
    if (k.arch() != null) {
      parts.add(Printable.clean(k.arch()));
    }
    if (k.hostname() != null) {
      parts.add("host " + Printable.clean(k.hostname()));
    }
    if (k.taint() != null && k.taint().isTainted()) {
      parts.add("tainted " + Printable.clean(k.taint().compact()));
    }
    return String.join(", ", parts);
  }

  private static String sources(CrashReport r) {
    List<String> parts = new ArrayList<>();
    for (InputSource s : r.sources()) {
      parts.add(Printable.clean(s.path()) + " (" + s.format().id() + ")");
    }
    return parts.isEmpty() ? "no input" : String.join(", ", parts);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
