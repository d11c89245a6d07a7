package org.ktriage.render.html;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.AddressKind;
import org.ktriage.model.ChainEvent;
import org.ktriage.model.CpuState;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Evidence;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.Finding;
import org.ktriage.model.Frame;
import org.ktriage.model.Hex;
import org.ktriage.model.InputSource;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.RuleFailure;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;
import org.ktriage.model.TaintFlag;
import org.ktriage.model.kind.LineKinds;
import org.ktriage.render.Printable;
import org.ktriage.render.Verdict;
import org.ktriage.render.html.ReportView.AddressView;
import org.ktriage.render.html.ReportView.ChainBox;
import org.ktriage.render.html.ReportView.ChainDiagram;
import org.ktriage.render.html.ReportView.ChainStep;
import org.ktriage.render.html.ReportView.CpuView;
import org.ktriage.render.html.ReportView.EvidenceView;
import org.ktriage.render.html.ReportView.ExceptionView;
import org.ktriage.render.html.ReportView.Fact;
import org.ktriage.render.html.ReportView.FindingView;
import org.ktriage.render.html.ReportView.FrameView;
import org.ktriage.render.html.ReportView.LayerView;
import org.ktriage.render.html.ReportView.LogLineView;
import org.ktriage.render.html.ReportView.ModuleView;
import org.ktriage.render.html.ReportView.RegisterView;

/** Builds the {@link ReportView} of a diagnosis: display strings and drawing geometry only. */
public final class ReportViews {
  /** Log lines shown before the first report, and after it. */
  private static final int LOG_BEFORE = 1000;

  private static final int LOG_AFTER = 500;

  // chain diagram geometry, px
  private static final int BOX_W = 214;
  private static final int BOX_H = 66;
  private static final int GAP_X = 34;
  private static final int GAP_Y = 30;
  private static final int PAD = 6;
  private static final int PER_ROW = 4;
  private static final int BOX_CHARS = 26;

  /** What each address kind means, for people. */
  private static final Map<AddressKind, String> KIND_MEANING =
      Map.ofEntries(
          Map.entry(AddressKind.NULL_PAGE, "the NULL page: a NULL pointer (plus an offset)"),
          Map.entry(AddressKind.USER, "user space, touched from kernel code"),
          Map.entry(AddressKind.NON_CANONICAL, "non-canonical: a corrupted or garbage pointer"),
          Map.entry(AddressKind.POISON, "a poison value: freed or uninitialised memory"),
          Map.entry(AddressKind.DIRECT_MAP, "the direct map of physical memory (slab, pages)"),
          Map.entry(AddressKind.VMALLOC, "the vmalloc area"),
          Map.entry(AddressKind.VMEMMAP, "vmemmap (struct page array)"),
          Map.entry(AddressKind.KASAN_SHADOW, "KASAN shadow memory"),
          Map.entry(AddressKind.CPU_ENTRY_AREA, "the CPU entry area"),
          Map.entry(AddressKind.KERNEL_TEXT, "kernel text and data"),
          Map.entry(AddressKind.MODULE_AREA, "the module mapping area (module code and data)"),
          Map.entry(AddressKind.FIXMAP, "the fixmap area"),
          Map.entry(AddressKind.VSYSCALL, "the vsyscall page"),
          Map.entry(AddressKind.UNKNOWN, "an address ktriage could not place"));

  private ReportViews() {}

  /** The view of {@code d}; {@code version} is ktriage's version for the footer. */
  public static ReportView of(Diagnosis d, String version) {
    CrashReport r = d.report();
    Anchors anchors = new Anchors(r.sources());
    Set<String> cited = cited(d, anchors);
    PrimaryFailure p = d.primary();
    Set<Long> notable = notableValues(d);
    List<LogLineView> log = new ArrayList<>();
    String logNote = logWindow(r, anchors, cited, log);
    log.forEach(l -> anchors.present.add(l.anchor()));
    return new ReportView(
        d.title() == null
            ? "ktriage: " + clean(Verdict.headline(d))
            : "ktriage: " + clean(d.title()),
        clean(Verdict.headline(d)),
        d.crashFound(),
        d.findings().isEmpty() ? null : Verdict.percent(d.findings().get(0).confidence()),
        d.title() == null ? null : clean(d.title()),
        d.failureClass() == d.trigger()
            ? d.failureClass().id()
            : d.failureClass().id() + " → " + d.trigger().id(),
        address(p),
        facts(d),
        diagram(d.chain()),
        steps(d.chain(), anchors),
        cpus(r, p, notable),
        findings(d, anchors),
        log.stream().filter(l -> !l.kind().isEmpty()).toList(),
        log,
        logNote,
        kernel(r.kernel()),
        taints(r.kernel()),
        r.modules().stream().map(ReportViews::module).toList(),
        r.lastUnloaded() == null ? null : clean(r.lastUnloaded()),
        missing(d),
        d.ruleFailures().stream().map(ReportViews::ruleFailure).toList(),
        r.sources().stream().map(s -> new Fact(s.format().id(), clean(s.path()))).toList(),
        version);
  }

  private static String clean(String s) {
    return Printable.clean(s);
  }

  private static @Nullable AddressView address(@Nullable PrimaryFailure p) {
    if (p == null || p.address() == null) {
      return null;
    }
    AddressKind kind = p.addressKind() == null ? AddressKind.UNKNOWN : p.addressKind();
    return new AddressView(Hex.addr(p.address()), kind.id(), KIND_MEANING.getOrDefault(kind, ""));
  }

  private static List<Fact> facts(Diagnosis d) {
    List<Fact> facts = new ArrayList<>();
    PanicInfo panic = d.report().panic();
    if (panic != null) {
      StringBuilder s = new StringBuilder(clean(panic.message().strip()));
      if (panic.cpu() != null) {
        s.append(" — CPU ").append(panic.cpu());
      }
      if (panic.task() != null) {
        s.append(", ").append(clean(panic.task()));
      }
      if (panic.pid() != null) {
        s.append(" (pid ").append(panic.pid()).append(')');
      }
      facts.add(new Fact("panic", s.toString()));
    }
    KernelInfo k = d.report().kernel();
    if (k.release() != null) {
      facts.add(
          new Fact(
              "kernel",
              clean(k.release())
                  + (k.arch() == null ? "" : " " + clean(k.arch()))
                  + (k.hostname() == null ? "" : " on " + clean(k.hostname()))));
    }
    if (d.signature() != null) {
      facts.add(new Fact("signature", clean(d.signature())));
    }
    if (d.corrupted()) {
      facts.add(new Fact("note", "the report looked truncated or intermixed"));
    }
    return facts;
  }

  private static @Nullable ChainDiagram diagram(List<ChainEvent> chain) {
    if (chain.isEmpty()) {
      return null;
    }
    int n = chain.size();
    int cols = Math.min(PER_ROW, n);
    int rows = (n + PER_ROW - 1) / PER_ROW;
    List<ChainBox> boxes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ChainEvent e = chain.get(i);
      int x = PAD + (i % PER_ROW) * (BOX_W + GAP_X);
      int y = PAD + (i / PER_ROW) * (BOX_H + GAP_Y);
      String role = i == 0 ? "first" : i == n - 1 ? "last" : "middle";
      String detail = e.detail() == null ? "" : clean(e.detail());
      String where = e.where() == null ? detail : clean(e.where());
      String place = place(e);
      String full =
          String.join(
              " · ",
              List.of(clean(e.event()), where, place, where.equals(detail) ? "" : detail).stream()
                  .filter(s -> !s.isEmpty())
                  .toList());
      boxes.add(
          new ChainBox(
              x, y, BOX_W, BOX_H, role, cut(clean(e.event())), cut(where), cut(place), full));
    }
    List<String> arrows = new ArrayList<>();
    for (int i = 0; i + 1 < n; i++) {
      ChainBox a = boxes.get(i);
      ChainBox b = boxes.get(i + 1);
      if (a.y() == b.y()) {
        int y = a.y() + BOX_H / 2;
        arrows.add("M" + (a.x() + BOX_W) + " " + y + " H" + (b.x() - 4));
      } else {
        int mid = a.y() + BOX_H + GAP_Y / 2;
        arrows.add(
            "M"
                + (a.x() + BOX_W / 2)
                + " "
                + (a.y() + BOX_H)
                + " V"
                + mid
                + " H"
                + (b.x() + BOX_W / 2)
                + " V"
                + (b.y() - 4));
      }
    }
    int width = 2 * PAD + cols * BOX_W + (cols - 1) * GAP_X;
    int height = 2 * PAD + rows * BOX_H + (rows - 1) * GAP_Y;
    return new ChainDiagram(width, height, boxes, arrows);
  }

  private static String place(ChainEvent e) {
    List<String> parts = new ArrayList<>();
    if (e.context() != null) {
      parts.add(clean(e.context()));
    }
    if (e.cpu() != null) {
      parts.add("CPU " + e.cpu());
    }
    return String.join(", ", parts);
  }

  private static String cut(String s) {
    return s.length() > BOX_CHARS ? s.substring(0, BOX_CHARS - 1) + "…" : s;
  }

  private static List<ChainStep> steps(List<ChainEvent> chain, Anchors anchors) {
    List<ChainStep> steps = new ArrayList<>();
    for (ChainEvent e : chain) {
      String place = place(e);
      steps.add(
          new ChainStep(
              clean(e.event()),
              e.where() == null ? null : clean(e.where()),
              place.isEmpty() ? null : place,
              e.detail() == null ? null : clean(e.detail()),
              anchors.of(e.source())));
    }
    return steps;
  }

  private static List<CpuView> cpus(CrashReport r, @Nullable PrimaryFailure p, Set<Long> notable) {
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
  private static Set<Long> notableValues(Diagnosis d) {
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

  private static List<FindingView> findings(Diagnosis d, Anchors anchors) {
    List<FindingView> views = new ArrayList<>();
    for (Finding f : d.findings()) {
      List<EvidenceView> evidence = new ArrayList<>();
      for (Evidence e : f.evidence()) {
        evidence.add(
            new EvidenceView(
                clean(e.text()),
                e.source() == null ? null : clean(e.source().toString()),
                anchors.of(e.source())));
      }
      views.add(
          new FindingView(
              f.rule(),
              f.severity().id(),
              Verdict.percent(f.confidence()),
              Double.isFinite(f.confidence()) ? Math.max(0, Math.min(1, f.confidence())) : 0,
              clean(f.summary()),
              evidence,
              cleanAll(f.causes()),
              cleanAll(f.nextSteps()),
              cleanAll(f.missing()),
              cleanAll(f.references())));
    }
    return views;
  }

  private static List<String> cleanAll(List<String> values) {
    return values.stream().map(ReportViews::clean).toList();
  }

  /** Anchors of every line some evidence, chain event or the primary failure cites. */
  private static Set<String> cited(Diagnosis d, Anchors anchors) {
    Set<String> cited = new HashSet<>();
    List<SourceSpan> spans = new ArrayList<>();
    d.findings().forEach(f -> f.evidence().forEach(e -> add(spans, e.source())));
    d.chain().forEach(e -> add(spans, e.source()));
    PrimaryFailure p = d.primary();
    if (p != null) {
      add(spans, p.source());
    }
    for (SourceSpan s : spans) {
      for (int line = s.line(); line <= Math.max(s.line(), s.endLine()); line++) {
        cited.add(anchors.of(s.path(), line));
      }
    }
    return cited;
  }

  private static void add(List<SourceSpan> spans, @Nullable SourceSpan s) {
    if (s != null && s.line() > 0) {
      spans.add(s);
    }
  }

  /** Fills {@code out} with the log lines around the first report; returns what was left out. */
  private static @Nullable String logWindow(
      CrashReport r, Anchors anchors, Set<String> cited, List<LogLineView> out) {
    List<LogRecord> log = r.log();
    int center = log.size();
    if (!r.oopses().isEmpty()) {
      SourceSpan first = r.oopses().get(0).span();
      for (int i = 0; i < log.size(); i++) {
        SourceSpan s = log.get(i).source();
        if (s.path().equals(first.path()) && s.line() >= first.line()) {
          center = i;
          break;
        }
      }
    }
    int from = Math.max(0, Math.min(center, log.size()) - LOG_BEFORE);
    int to = Math.min(log.size(), Math.max(center, 0) + LOG_AFTER);
    if (center == log.size()) {
      from = Math.max(0, log.size() - LOG_BEFORE - LOG_AFTER);
      to = log.size();
    }
    for (int i = from; i < to; i++) {
      LogRecord rec = log.get(i);
      String id =
          rec.source().line() > 0
              ? anchors.of(rec.source().path(), rec.source().line())
              : "log-" + i;
      out.add(
          new LogLineView(
              id,
              time(rec.timestampNanos()),
              clean(rec.text()),
              kind(rec.text()),
              cited.contains(id),
              clean(rec.source().toString())));
    }
    int hidden = log.size() - (to - from);
    return hidden > 0 ? hidden + " log lines farther from the crash are not shown" : null;
  }

  /** The kind of a log line from the report-kind table (CSS class; empty for plain lines). */
  private static String kind(String text) {
    return LineKinds.of(text).id();
  }

  private static String time(@Nullable Long nanos) {
    if (nanos == null) {
      return "";
    }
    long micros = nanos / 1000;
    return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
  }

  private static List<Fact> kernel(KernelInfo k) {
    List<Fact> facts = new ArrayList<>();
    addFact(facts, "release", k.release());
    addFact(facts, "version", k.version());
    addFact(facts, "arch", k.arch());
    addFact(facts, "hostname", k.hostname());
    addFact(facts, "hardware", k.hardware());
    if (k.taint() != null) {
      facts.add(
          new Fact("taint", k.taint().isTainted() ? clean(k.taint().compact()) : "not tainted"));
    }
    return facts;
  }

  private static void addFact(List<Fact> facts, String label, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      facts.add(new Fact(label, clean(value)));
    }
  }

  private static List<Fact> taints(KernelInfo k) {
    List<Fact> facts = new ArrayList<>();
    if (k.taint() == null || !k.taint().isTainted()) {
      return facts;
    }
    for (TaintFlag.Letter l : TaintFlag.letters(k.taint())) {
      facts.add(new Fact(String.valueOf(l.letter()), l.meaning()));
    }
    return facts;
  }

  private static ModuleView module(KernelModule m) {
    String range = null;
    if (m.base() != null) {
      range = Hex.addr(m.base()) + (m.size() == null ? "" : " +" + Hex.addr(m.size()));
    }
    return new ModuleView(
        clean(m.name()), m.taintFlags().isBlank() ? null : clean(m.taintFlags()), range);
  }

  private static List<String> missing(Diagnosis d) {
    List<String> missing = new ArrayList<>(cleanAll(d.report().completeness().problems()));
    for (Finding f : d.findings()) {
      for (String m : f.missing()) {
        missing.add(f.rule() + ": " + clean(m));
      }
    }
    return missing;
  }

  private static Fact ruleFailure(RuleFailure f) {
    return new Fact(clean(f.rule()), clean(f.error()));
  }

  /** Ids of source lines: one per input path and line, stable within a report. */
  private static final class Anchors {
    private final Map<String, Integer> index = new HashMap<>();

    Anchors(List<InputSource> sources) {
      for (InputSource s : sources) {
        index.putIfAbsent(s.path(), index.size());
      }
    }

    /** Ids of the lines shown in the report. */
    final Set<String> present = new HashSet<>();

    /** The id of the first line of {@code s} when that line is shown, else null. */
    @Nullable String of(@Nullable SourceSpan s) {
      if (s == null || s.line() <= 0) {
        return null;
      }
      String id = of(s.path(), s.line());
      return present.contains(id) ? id : null;
    }

    String of(String path, int line) {
      Integer i = index.get(path);
      if (i == null) {
        i = index.size();
        index.put(path, i);
      }
      return "L" + i + "-" + line;
    }
  }
}
