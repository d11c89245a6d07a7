package org.ktriage.render.html;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the HTML template shows, already in display form (input text cleaned of control bytes;
 * the template escapes it): built from a {@code Diagnosis} by {@link ReportViews}.
 *
 * @param documentTitle the page title
 * @param headline the verdict sentence
 * @param crashFound false when the input holds no crash
 * @param confidence confidence of the leading finding as a percentage, or null
 * @param title syzbot-compatible title, or null
 * @param classes class and trigger as shown
 * @param address the faulting address, or null
 * @param facts short facts under the verdict (panic, CPU, kernel)
 * @param chain the cause chain diagram, or null when there is no chain
 * @param chainSteps the chain as a list (for printing and screen readers)
 * @param cpus CPUs with stacks
 * @param findings findings, most important first
 * @param events notable log lines (module loads and unloads, warnings, oopses, panic)
 * @param log log lines around the crash, with anchors evidence links point at
 * @param logNote what of the log is not shown, or null
 * @param kernel kernel facts
 * @param taints taint letters with their meaning
 * @param modules loaded modules
 * @param lastUnloaded the last unloaded module, or null
 * @param missing what is missing from the inputs
 * @param ruleFailures rules that failed
 * @param sources inputs read
 * @param version ktriage version that wrote the report
 */
public record ReportView(
    String documentTitle,
    String headline,
    boolean crashFound,
    @Nullable String confidence,
    @Nullable String title,
    String classes,
    @Nullable AddressView address,
    List<Fact> facts,
    @Nullable ChainDiagram chain,
    List<ChainStep> chainSteps,
    List<CpuView> cpus,
    List<FindingView> findings,
    List<LogLineView> events,
    List<LogLineView> log,
    @Nullable String logNote,
    List<Fact> kernel,
    List<Fact> taints,
    List<ModuleView> modules,
    @Nullable String lastUnloaded,
    List<String> missing,
    List<Fact> ruleFailures,
    List<Fact> sources,
    String version) {

  /** A labelled value. */
  public record Fact(String label, String value) {}

  /** An address with its kind and what that kind means. */
  public record AddressView(String hex, String kind, String meaning) {}

  /** One link of the cause chain as text. */
  public record ChainStep(
      String event,
      @Nullable String where,
      @Nullable String place,
      @Nullable String detail,
      @Nullable String anchor) {}

  /**
   * The cause chain as an SVG drawing: boxes left to right, wrapping into rows, joined by arrows.
   *
   * @param width drawing width in px
   * @param height drawing height in px
   * @param boxes one box per chain event
   * @param arrows SVG path data of the arrows between boxes
   */
  public record ChainDiagram(int width, int height, List<ChainBox> boxes, List<String> arrows) {}

  /** One box of the chain diagram; {@code role} is a CSS class (first, middle, last). */
  public record ChainBox(
      int x,
      int y,
      int w,
      int h,
      String role,
      String event,
      String where,
      String place,
      String full) {}

  /** A CPU with its stack drawn as nested contexts, outermost layer first. */
  public record CpuView(String label, boolean panicCpu, @Nullable LayerView outermost) {}

  /**
   * One context on a CPU's stack; {@code inner} is the context that interrupted or nested in it.
   */
  public record LayerView(
      String context,
      @Nullable String marker,
      List<FrameView> frames,
      @Nullable ExceptionView exception,
      @Nullable LayerView inner) {}

  /** A call-trace frame; {@code hit} marks the primary failure's function. */
  public record FrameView(String where, @Nullable String module, boolean reliable, boolean hit) {}

  /** A saved register frame; {@code fault} marks the primary failure. */
  public record ExceptionView(
      String where,
      @Nullable String ip,
      boolean fault,
      boolean userMode,
      List<RegisterView> registers) {}

  /** A register; {@code hit} marks a value the verdict or findings mention. */
  public record RegisterView(String name, String value, boolean hit) {}

  /** A finding with its evidence linked to source lines. */
  public record FindingView(
      String rule,
      String severity,
      String confidence,
      double confidenceValue,
      String summary,
      List<EvidenceView> evidence,
      List<String> causes,
      List<String> nextSteps,
      List<String> missing,
      List<String> references) {}

  /** One piece of evidence; {@code anchor} is the id of its source line in the log, or null. */
  public record EvidenceView(String text, @Nullable String source, @Nullable String anchor) {}

  /** A log line; {@code kind} is a CSS class ("", module, warning, oops, panic). */
  public record LogLineView(
      String anchor, String time, String text, String kind, boolean cited, String source) {}

  /** A loaded module. */
  public record ModuleView(String name, @Nullable String taint, @Nullable String range) {}
}
