package org.ktriage.render.html;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.AddressKind;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Evidence;
import org.ktriage.model.Finding;
import org.ktriage.model.Hex;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.KernelModule;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.RuleFailure;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.TaintFlag;
import org.ktriage.render.Printable;
import org.ktriage.render.Verdict;
import org.ktriage.render.html.ReportView.AddressView;
import org.ktriage.render.html.ReportView.EvidenceView;
import org.ktriage.render.html.ReportView.Fact;
import org.ktriage.render.html.ReportView.FindingView;
import org.ktriage.render.html.ReportView.LogLineView;
import org.ktriage.render.html.ReportView.ModuleView;

/** Builds the {@link ReportView} of a diagnosis: display strings and drawing geometry only. */
public final class ReportViews {
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
    LineAnchors anchors = new LineAnchors(r.sources());
    Set<String> cited = cited(d, anchors);
    PrimaryFailure p = d.primary();
    Set<Long> notable = StackViews.notableValues(d);
    List<LogLineView> log = new ArrayList<>();
    String logNote = LogWindows.logWindow(r, anchors, cited, log);
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
        ChainDiagrams.diagram(d.chain()),
        ChainDiagrams.steps(d.chain(), anchors),
        StackViews.cpus(r, p, notable),
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

  private static List<FindingView> findings(Diagnosis d, LineAnchors anchors) {
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
  private static Set<String> cited(Diagnosis d, LineAnchors anchors) {
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
}
