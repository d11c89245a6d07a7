package org.ktriage.analysis.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.kind.KernelMacros;
import org.ktriage.model.kind.ReportKinds;
import org.ktriage.model.kind.ReportingFrames;
import org.ktriage.model.kind.TitleFormat;

/** The Linux title table ({@code linux-titles.yaml}) compiled into patterns, read once. */
final class TitleRules {
  static final String RESOURCE = "linux-titles.yaml";

  /** One step of a stack spec: a regex to advance to (capturing candidates) or a stack parse. */
  record Part(@Nullable Pattern regex) {
    boolean isStack() {
      return regex == null;
    }
  }

  /** How a custom extractor picks the guilty frame of a segment. */
  enum Extractor {
    FIRST,
    STALL,
    HANG
  }

  /** How to find the guilty frame(s) of one format. */
  record StackSpec(List<Part> parts, List<Part> parts2, Pattern skip, Extractor extractor) {}

  /** One title format of an oops header. */
  record Format(
      Pattern title,
      @Nullable Pattern report,
      String template,
      List<String> alt,
      @Nullable StackSpec stack,
      boolean noStackTrace,
      boolean corrupted) {}

  /** A header substring that starts a report, with its suppressions and formats. */
  record OopsRule(String header, List<Pattern> suppress, List<Format> formats) {}

  /** Title prefix to crash type. */
  record TypeRule(String type, List<String> prefixes) {}

  /** One normalization step. */
  record Replacement(Pattern match, String replacement) {}

  final List<OopsRule> oopses;
  final List<Pattern> stackStarts;
  final Pattern riscvStackStart;
  final List<Pattern> frameLines;
  final List<Pattern> corruptedLines;
  final List<String> stripPrefixes;
  final Pattern stallAnchors;
  final Map<String, String> hangAnchors;
  final List<String> hangSkip;
  final List<Pattern> reportStartIgnores;
  final List<String> infoMessagesWithStack;
  final List<Replacement> titleReplacements;
  final List<TypeRule> types;
  final Pattern callTrace;
  final Pattern rip;

  /** A WARNING's first part: the faulting-PC line, or powerpc's {@code --- interrupt:} line. */
  private final Pattern warningRip;

  /** Frame lines of a relaxed reading ({@link StackFrames}): shapes only a frame line has. */
  final List<Pattern> relaxedFrames;

  /** The relaxed frame lines and x86's {@code ? func} frames: a relaxed reading's last resort. */
  final List<Pattern> questionableFrames;

  /** Lines after which a relaxed reading reads no more frames of the report. */
  final List<Pattern> relaxedStackEnds;

  private final Pattern relaxedRip;
  private final Pattern relaxedWarningRip;

  /**
   * The frame of a report syzkaller does not title ({@link FallbackTitles}): the program-counter
   * line, else the first frame under the call trace heading, with the global skip list.
   */
  final StackSpec fallbackStack;

  /** The frame of a trace printed without heading (arm32's unwinder, a paste): its first frame. */
  final StackSpec fallbackBareStack;

  private static final String INTERRUPT_FRAME = "--- interrupt: [0-9]+ at {{FUNC}}";

  private static @Nullable TitleRules instance;

  static synchronized TitleRules get() {
    TitleRules rules = instance;
    if (rules == null) {
      rules = load();
      instance = rules;
    }
    return rules;
  }

  private static TitleRules load() {
    try (InputStream in = TitleRules.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new TitleRules(new ObjectMapper(new YAMLFactory()).readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  private TitleRules(JsonNode root) {
    rip = compile("{{RIP}}");
    warningRip = compile("(?:{{RIP}}|" + INTERRUPT_FRAME + ")");
    String relaxedPc = root.path("relaxedRip").asText();
    relaxedRip = compile("(?:{{RIP}}|" + relaxedPc + ")");
    relaxedWarningRip = compile("(?:{{RIP}}|" + INTERRUPT_FRAME + "|" + relaxedPc + ")");
    relaxedStackEnds = compileAll(root.path("relaxedStackEnds"));
    callTrace = compile(root.path("callTrace").asText());
    stackStarts = compileAll(root.path("stackStarts"));
    riscvStackStart = compile(root.path("riscvStackStart").asText());
    frameLines = compileAll(root.path("frameLines"));
    relaxedFrames = compileAll(root.path("relaxedFrameLines"));
    List<Pattern> withQuestionable = new ArrayList<>(relaxedFrames);
    withQuestionable.addAll(compileAll(root.path("questionableFrameLines")));
    questionableFrames = List.copyOf(withQuestionable);
    corruptedLines = compileAll(root.path("corruptedLines"));
    stripPrefixes = strings(root.path("stripPrefixes"));
    stallAnchors = alternation(strings(root.path("stallAnchors")));
    hangAnchors = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.path("hangAnchors").properties()) {
      hangAnchors.put(e.getKey(), e.getValue().asText());
    }
    hangSkip = strings(root.path("hangSkip"));
    reportStartIgnores = compileAll(root.path("reportStartIgnores"));
    infoMessagesWithStack = strings(root.path("infoMessagesWithStack"));
    List<Replacement> repl = new ArrayList<>();
    for (JsonNode r : root.path("titleReplacements")) {
      repl.add(new Replacement(compile(r.path("match").asText()), r.path("replace").asText()));
    }
    titleReplacements = List.copyOf(repl);
    List<TypeRule> typeRules = new ArrayList<>();
    for (JsonNode t : root.path("types")) {
      typeRules.add(new TypeRule(t.path("type").asText(), strings(t.path("prefixes"))));
    }
    types = List.copyOf(typeRules);
    // syzkaller's list, plus the frames whose job is to report (the one reporting-frame table)
    List<String> globalSkip = new ArrayList<>(strings(root.path("skip")));
    globalSkip.addAll(ReportingFrames.titleSkips());
    List<OopsRule> rules = new ArrayList<>();
    for (JsonNode o : root.path("oopses")) {
      List<Format> formats = new ArrayList<>();
      for (JsonNode f : o.path("formats")) {
        formats.add(format(f, globalSkip));
      }
      rules.add(
          new OopsRule(
              o.path("header").asText(), compileAll(o.path("suppress")), List.copyOf(formats)));
    }
    // Kinds that linux-titles.yaml does not list carry their title format in the kind table. A
    // kind under a header the file already lists ("BUG:") goes before that header's formats: it is
    // the more specific (the file's last formats are the header's catch-alls).
    for (TitleFormat t : ReportKinds.titleFormats()) {
      Format f = format(t, globalSkip);
      int at = -1;
      for (int i = 0; i < rules.size() && at < 0; i++) {
        if (rules.get(i).header().equals(t.header())) {
          at = i;
        }
      }
      if (at < 0) {
        rules.add(new OopsRule(t.header(), List.of(), List.of(f)));
      } else {
        OopsRule o = rules.get(at);
        List<Format> merged = new ArrayList<>();
        merged.add(f);
        merged.addAll(o.formats());
        rules.set(at, new OopsRule(o.header(), o.suppress(), List.copyOf(merged)));
      }
    }
    oopses = List.copyOf(rules);
    fallbackStack =
        new StackSpec(
            parts(List.of("$rip", "$calltrace", "$stack")),
            parts(List.of("$calltrace", "$stack")),
            alternation(globalSkip),
            Extractor.FIRST);
    fallbackBareStack =
        new StackSpec(
            parts(List.of("$stack")), List.of(), alternation(globalSkip), Extractor.FIRST);
  }

  private Format format(JsonNode f, List<String> globalSkip) {
    JsonNode report = f.path("report");
    JsonNode stack = f.get("stack");
    return new Format(
        compile(f.path("title").asText()),
        report.isMissingNode() ? null : compile(report.asText()),
        f.path("fmt").asText(),
        strings(f.path("alt")),
        stack == null ? null : stackSpec(stack, globalSkip),
        f.path("noStackTrace").asBoolean(false),
        f.path("corrupted").asBoolean(false));
  }

  private Format format(TitleFormat t, List<String> globalSkip) {
    StackSpec stack = null;
    if (!t.stack().isEmpty()) {
      List<String> skip = new ArrayList<>(globalSkip);
      skip.addAll(t.skip());
      stack = new StackSpec(parts(t.stack()), List.of(), alternation(skip), Extractor.FIRST);
    }
    return new Format(
        compile(t.title()), null, t.fmt(), t.alt(), stack, t.stack().isEmpty(), false);
  }

  private StackSpec stackSpec(JsonNode s, List<String> globalSkip) {
    List<Part> parts;
    List<Part> parts2;
    if (s.path("warning").asBoolean(false)) {
      // A WARNING's stack starts at the RIP line (x86) or "--- interrupt:" (powerpc); older
      // kernels print only "Call Trace:".
      parts = List.of(new Part(warningRip), new Part(null));
      parts2 = List.of(new Part(callTrace), new Part(null));
    } else {
      parts = parts(s.path("parts"));
      parts2 = parts(s.path("parts2"));
    }
    List<String> skip = new ArrayList<>(globalSkip);
    skip.addAll(strings(s.path("skip")));
    Extractor extractor =
        switch (s.path("extractor").asText("")) {
          case "stall" -> Extractor.STALL;
          case "hang" -> Extractor.HANG;
          default -> Extractor.FIRST;
        };
    return new StackSpec(parts, parts2, alternation(skip), extractor);
  }

  private List<Part> parts(JsonNode list) {
    return parts(strings(list));
  }

  private List<Part> parts(List<String> list) {
    List<Part> parts = new ArrayList<>();
    for (String s : list) {
      switch (s) {
        case "$stack" -> parts.add(new Part(null));
        case "$rip" -> parts.add(new Part(rip));
        case "$calltrace" -> parts.add(new Part(callTrace));
        default -> parts.add(new Part(compile(s)));
      }
    }
    return List.copyOf(parts);
  }

  /** The pattern a relaxed reading uses for a part: the faulting-PC lines in more spellings. */
  @Nullable Pattern relaxed(@Nullable Pattern part) {
    if (part == rip) {
      return relaxedRip;
    }
    return part == warningRip ? relaxedWarningRip : part;
  }

  /**
   * Whether a relaxed reading goes on without this part when the report does not show it: the
   * faulting-PC line and the call-trace heading, which older kernels and pastes leave out (other
   * parts mark where the guilty stack is and stay required).
   */
  boolean mayBeMissing(@Nullable Pattern part) {
    return part == rip || part == warningRip || part == callTrace;
  }

  /** Compiles with only {@code \n} as line terminator, as console text is split on it. */
  Pattern compile(String re) {
    return Pattern.compile(KernelMacros.expand(re), Pattern.UNIX_LINES);
  }

  private Pattern alternation(List<String> res) {
    StringBuilder sb = new StringBuilder();
    for (String re : res) {
      if (sb.length() > 0) {
        sb.append('|');
      }
      sb.append("(?:").append(re).append(')');
    }
    return compile(sb.toString());
  }

  private List<Pattern> compileAll(JsonNode list) {
    List<Pattern> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(compile(n.asText()));
    }
    return List.copyOf(out);
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(n.asText());
    }
    return List.copyOf(out);
  }
}
