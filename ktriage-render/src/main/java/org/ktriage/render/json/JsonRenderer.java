package org.ktriage.render.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.AddressKind;
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
import org.ktriage.model.KernelModule;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.PanicInfo;
import org.ktriage.model.PrimaryFailure;
import org.ktriage.model.RuleFailure;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;
import org.ktriage.model.TaintFlag;
import org.ktriage.render.Renderer;

/**
 * Renders a diagnosis as the JSON contract of {@code docs/architecture.md}: stable field order,
 * addresses as lower-case hex with {@code 0x}, absent values as {@code null} (never {@code ""}).
 * Fields may be added; none is ever renamed without bumping {@link #SCHEMA_VERSION}.
 */
public final class JsonRenderer implements Renderer {
  /** The contract version in {@code schemaVersion}. */
  public static final int SCHEMA_VERSION = 1;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER =
      new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writer(new Printer());

  /**
   * Two-space indents, {@code "name": value}, and empty arrays and objects as {@code []}/{@code
   * {}}.
   */
  private static final class Printer extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    Printer() {
      super(
          Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
      indentArraysWith(new DefaultIndenter("  ", "\n"));
      indentObjectsWith(new DefaultIndenter("  ", "\n"));
    }

    Printer(Printer base) {
      super(base);
    }

    @Override
    public Printer createInstance() {
      return new Printer(this);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
      if (nrOfValues == 0) {
        if (!_arrayIndenter.isInline()) {
          --_nesting;
        }
        g.writeRaw(']');
      } else {
        super.writeEndArray(g, nrOfValues);
      }
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
      if (nrOfEntries == 0) {
        if (!_objectIndenter.isInline()) {
          --_nesting;
        }
        g.writeRaw('}');
      } else {
        super.writeEndObject(g, nrOfEntries);
      }
    }
  }

  @Override
  public void render(Diagnosis diagnosis, Writer out) throws IOException {
    WRITER.writeValue(out, toTree(diagnosis));
    out.write('\n');
  }

  /** The contract document as a tree, fields in contract order. */
  public ObjectNode toTree(Diagnosis d) {
    CrashReport r = d.report();
    ObjectNode root = NODES.objectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    ArrayNode sources = root.putArray("sources");
    for (InputSource s : r.sources()) {
      sources.addObject().put("path", s.path()).put("format", s.format().id());
    }
    root.set("kernel", kernel(r.kernel()));
    root.put("title", d.title());
    ArrayNode alt = root.putArray("altTitles");
    d.altTitles().forEach(alt::add);
    root.put("class", d.failureClass().id());
    root.put("trigger", d.trigger().id());
    root.set("panic", panic(r.panic()));
    root.set("primary", primary(d.primary()));
    ArrayNode chain = root.putArray("chain");
    d.chain().forEach(e -> chain.add(chainEvent(e)));
    ArrayNode findings = root.putArray("findings");
    d.findings().forEach(f -> findings.add(finding(f)));
    root.set("modules", modules(r));
    ArrayNode cpus = root.putArray("cpus");
    r.cpus().forEach(c -> cpus.add(cpu(c)));
    ObjectNode completeness = root.putObject("completeness");
    completeness.put("partial", r.completeness().partial());
    ArrayNode problems = completeness.putArray("problems");
    r.completeness().problems().forEach(problems::add);
    // additions beyond the first contract draft
    root.put("signature", d.signature());
    root.put("corrupted", d.corrupted());
    root.put("crashFound", d.crashFound());
    ArrayNode ruleFailures = root.putArray("ruleFailures");
    for (RuleFailure f : d.ruleFailures()) {
      ruleFailures.addObject().put("rule", f.rule()).put("error", f.error());
    }
    root.put("boots", d.boots());
    root.put("crashBoot", d.crashBoot());
    ArrayNode others = root.putArray("otherIncidents");
    d.otherIncidents().forEach(i -> others.add(incident(i)));
    return root;
  }

  /** Another independent incident of the log, analysed on its own. */
  private ObjectNode incident(Incident i) {
    Diagnosis d = i.diagnosis();
    ObjectNode n = NODES.objectNode();
    n.put("boot", i.boot());
    n.put("reports", i.reports());
    n.put("source", span(i.source()));
    n.put("timestamp", i.timestampNanos() == null ? null : seconds(i.timestampNanos()));
    n.put("title", d.title());
    ArrayNode alt = n.putArray("altTitles");
    d.altTitles().forEach(alt::add);
    n.put("class", d.failureClass().id());
    n.put("signature", d.signature());
    n.put("corrupted", d.corrupted());
    n.set("primary", primary(d.primary()));
    ArrayNode findings = n.putArray("findings");
    d.findings().forEach(f -> findings.add(f.rule()));
    return n;
  }

  /** A printk time as seconds with microseconds, as the kernel prints it. */
  private static String seconds(long nanos) {
    return String.format(
        java.util.Locale.ROOT, "%d.%06d", nanos / 1_000_000_000L, (nanos / 1000) % 1_000_000);
  }

  private static ObjectNode kernel(KernelInfo k) {
    ObjectNode n = NODES.objectNode();
    n.put("release", k.release());
    n.put("arch", k.arch());
    n.put("hostname", k.hostname());
    n.put("taint", k.taint() == null ? null : nonEmpty(k.taint().compact()));
    n.put("version", k.version());
    n.put("hardware", k.hardware());
    ArrayNode taintFlags = n.putArray("taintFlags");
    if (k.taint() != null) {
      for (TaintFlag.Letter l : TaintFlag.letters(k.taint())) {
        taintFlags
            .addObject()
            .put("letter", String.valueOf(l.letter()))
            .put("meaning", l.meaning());
      }
    }
    return n;
  }

  private static @Nullable ObjectNode panic(@Nullable PanicInfo p) {
    if (p == null) {
      return null;
    }
    ObjectNode n = NODES.objectNode();
    n.put("message", p.message());
    n.put("cpu", p.cpu());
    n.put("task", p.task());
    n.put("pid", p.pid());
    n.put("source", span(p.source()));
    return n;
  }

  private static @Nullable ObjectNode primary(@Nullable PrimaryFailure p) {
    if (p == null) {
      return null;
    }
    ObjectNode n = NODES.objectNode();
    n.put("class", p.failureClass().id());
    n.put("function", p.function());
    n.put("offset", p.offset());
    n.put("module", p.module());
    n.put("context", p.context().id());
    n.put("cpu", p.cpu());
    n.put("address", Hex.addrOrNull(p.address()));
    AddressKind kind = p.addressKind();
    n.put("addressKind", kind == null ? null : kind.id());
    n.put("source", span(p.source()));
    FaultingInstruction i = p.instruction();
    if (i != null) {
      n.set("instruction", instruction(i));
    }
    return n;
  }

  /** The decoded faulting instruction (added in schema 1; absent when nothing was decoded). */
  private static ObjectNode instruction(FaultingInstruction i) {
    ObjectNode n = NODES.objectNode();
    n.put("arch", i.arch());
    n.put("source", i.source());
    n.put("address", Hex.addrOrNull(i.address()));
    n.put("bytes", i.bytes());
    n.put("mnemonic", i.mnemonic());
    n.put("text", i.text());
    MemoryOperand m = i.memory();
    if (m == null) {
      n.putNull("memory");
    } else {
      ObjectNode o = n.putObject("memory");
      o.put("operand", m.text());
      o.put("segment", m.segment());
      o.put("base", m.base());
      o.put("index", m.index());
      o.put("scale", m.scale());
      o.put(
          "displacement",
          m.displacement() < 0 ? "-" + Hex.addr(-m.displacement()) : Hex.addr(m.displacement()));
      o.put("ripRelative", m.ripRelative());
      o.put("width", m.widthBytes());
      o.put("access", m.access().id());
    }
    n.put("baseValue", Hex.addrOrNull(i.baseValue()));
    n.put("indexValue", Hex.addrOrNull(i.indexValue()));
    n.put("effectiveAddress", Hex.addrOrNull(i.effectiveAddress()));
    n.put("faultAddress", Hex.addrOrNull(i.faultAddress()));
    n.put("explainsFault", i.explainsFault());
    return n;
  }

  private static ObjectNode chainEvent(ChainEvent e) {
    ObjectNode n = NODES.objectNode();
    n.put("event", e.event());
    n.put("where", e.where());
    n.put("context", e.context());
    n.put("cpu", e.cpu());
    n.put("detail", e.detail());
    n.put("source", span(e.source()));
    return n;
  }

  private static ObjectNode finding(Finding f) {
    ObjectNode n = NODES.objectNode();
    n.put("rule", f.rule());
    n.put("severity", f.severity().id());
    if (Double.isFinite(f.confidence())) {
      n.put("confidence", f.confidence());
    } else {
      n.putNull("confidence");
    }
    n.put("summary", f.summary());
    ArrayNode evidence = n.putArray("evidence");
    for (Evidence e : f.evidence()) {
      ObjectNode ev = evidence.addObject().put("text", e.text()).put("source", span(e.source()));
      ArrayNode addresses = ev.putArray("addresses");
      e.addresses().forEach(a -> addresses.add(Hex.addr(a)));
    }
    strings(n.putArray("causes"), f.causes());
    strings(n.putArray("nextSteps"), f.nextSteps());
    strings(n.putArray("missing"), f.missing());
    strings(n.putArray("references"), f.references());
    return n;
  }

  private static ObjectNode modules(CrashReport r) {
    ObjectNode n = NODES.objectNode();
    ArrayNode loaded = n.putArray("loaded");
    for (KernelModule m : r.modules()) {
      loaded.add(m.name());
    }
    n.put("lastUnloaded", r.lastUnloaded());
    ArrayNode details = n.putArray("details");
    for (KernelModule m : r.modules()) {
      details
          .addObject()
          .put("name", m.name())
          .put("taint", nonEmpty(m.taintFlags()))
          .put("base", Hex.addrOrNull(m.base()))
          .put("size", Hex.addrOrNull(m.size()));
    }
    return n;
  }

  private static ObjectNode cpu(CpuState c) {
    ObjectNode n = NODES.objectNode();
    n.put("cpu", c.cpu());
    ArrayNode segments = n.putArray("segments");
    for (StackSegment s : c.segments()) {
      segments.add(segment(s));
    }
    n.put("pid", c.pid());
    n.put("comm", c.comm());
    n.put("task", Hex.addrOrNull(c.taskAddress()));
    n.put("panicCpu", c.panicCpu());
    n.set("registers", registers(c.registers().values()));
    return n;
  }

  private static ObjectNode segment(StackSegment s) {
    ObjectNode n = NODES.objectNode();
    n.put("context", s.context().id());
    ArrayNode frames = n.putArray("frames");
    for (Frame f : s.frames()) {
      frames
          .addObject()
          .put("function", f.function())
          .put("offset", f.offset())
          .put("module", f.module())
          .put("reliable", f.reliable())
          .put("address", Hex.addrOrNull(f.address()))
          .put("source", span(f.source()));
    }
    n.set("exception", exception(s.exception()));
    n.put("marker", s.marker());
    return n;
  }

  private static @Nullable ObjectNode exception(@Nullable ExceptionFrame e) {
    if (e == null) {
      return null;
    }
    ObjectNode n = NODES.objectNode();
    n.put("rip", Hex.addrOrNull(e.ip()));
    n.set("registers", registers(e.registers().values()));
    n.put("function", e.function());
    n.put("offset", e.offset());
    n.put("module", e.module());
    n.put("where", e.where());
    n.put("userMode", e.userMode());
    n.put("source", span(e.source()));
    return n;
  }

  private static ObjectNode registers(Map<String, Long> values) {
    ObjectNode n = NODES.objectNode();
    values.forEach((name, value) -> n.put(name, Hex.addr(value)));
    return n;
  }

  private static void strings(ArrayNode target, List<String> values) {
    values.forEach(target::add);
  }

  private static @Nullable String span(@Nullable SourceSpan s) {
    return s == null ? null : s.toString();
  }

  private static @Nullable String nonEmpty(String s) {
    return s.isBlank() ? null : s;
  }
}
