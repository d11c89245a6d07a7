package org.ktriage.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ktriage.model.Diagnosis;
import org.ktriage.model.Evidence;
import org.ktriage.model.Finding;
import org.ktriage.render.HandBuilt;
import org.ktriage.render.RenderOptions;

class HtmlRendererTest {
  static String render(Diagnosis d) throws Exception {
    StringWriter out = new StringWriter();
    new HtmlRenderer(new RenderOptions(false, "test")).render(d, out);
    return out.toString();
  }

  static Path artifact(String name, String html) throws Exception {
    Path dir = Path.of("target", "html-reports");
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve(name), html);
  }

  @Test
  void logTextWithMarkupQuotesAndControlBytesRendersAsText() throws Exception {
    String evil =
        "evil <script>alert(1)</script> \"quoted\" 'single' & <img src=x onerror=alert(2)>"
            + " \u0000nul \u001b[31mansi\u0007bell";
    String html = render(HandBuilt.seedLike(evil));
    artifact("escaping.html", html);

    assertThat(html).doesNotContain("<script").doesNotContain("<img");
    assertThat(html)
        .contains(
            "evil &lt;script&gt;alert(1)&lt;/script&gt; \"quoted\" 'single' &amp; &lt;img src=x"
                + " onerror=alert(2)&gt; \\x00nul \\x1b[31mansi\\x07bell");
    // no control byte other than newline survives anywhere in the document
    assertThat(html.chars().filter(c -> (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f)))
        .isEmpty();
  }

  @Test
  void quotesInAttributeValuesAreEscaped() throws Exception {
    Diagnosis seed = HandBuilt.seedLike("x");
    Finding f = seed.findings().get(0);
    Finding evil =
        new Finding(
            "x\" onmouseover=\"alert(1)",
            f.severity(),
            f.confidence(),
            f.summary(),
            f.evidence(),
            f.causes(),
            f.nextSteps(),
            f.missing(),
            f.references());
    Diagnosis d = HandBuilt.withFindings(seed, List.of(evil));
    String html = render(d);

    assertThat(html).contains("id=\"rule-x&#34; onmouseover=&#34;alert(1)\"");
    // in text content the quote is harmless and stays a quote
    assertThat(html).contains("<code>x\" onmouseover=\"alert(1)</code>");
  }

  @Test
  void reportIsSelfContained() throws Exception {
    String html = render(HandBuilt.seedLike("line"));

    assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
    while (refs.find()) {
      assertThat(refs.group(1)).as("link target").startsWith("#");
    }
    assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("@import");
  }

  @Test
  void verdictChainStacksFindingsAndLogArePresent() throws Exception {
    String html = render(HandBuilt.seedLike("BUG: unable to handle kernel paging request"));
    artifact("seed-like.html", html);

    assertThat(html)
        .containsSubsequence(
            "<h1>Page fault in run_timer_softirq+0xf8 (softirq, CPU 1) — first failure; the Hard"
                + " LOCKUP panic is a consequence</h1>",
            "0xffffffffa88b53b0",
            "module-area",
            "<svg class=\"chain\"",
            "page-fault",
            "recursive-lock",
            "hard-lockup",
            "id=\"stacks\"",
            "class=\"layer ctx-task\"",
            "class=\"layer ctx-softirq\"",
            "class=\"layer ctx-hardirq\"",
            "class=\"layer ctx-nmi\"",
            "first failure",
            "timer-of-unloaded-module",
            "id=\"timeline\"",
            "lab_timer",
            "What is missing",
            "broken-rule");
    // the faulting address is marked in the register block
    assertThat(html).containsPattern("<div class=\"hit\"><dt>RCX</dt><dd>ffffffffa88b53b0</dd>");
    // evidence that cites a shown log line links to it, and the line exists
    assertThat(html).contains("id=\"L0-81\"");
  }

  @Test
  void registersAreMarkedByTheValuesEvidenceNamesNotByItsWords() throws Exception {
    Diagnosis seed = HandBuilt.seedLike("x");
    String lockReg = "<div class=\"hit\"><dt>RDI</dt><dd>ffff88007b90c000</dd>";

    // the lock finding's evidence names the lock word as a value: RDI holding it is marked
    assertThat(render(seed)).contains(lockReg);

    // the same words without the value: nothing is read out of the prose
    List<Finding> wordsOnly =
        seed.findings().stream()
            .map(
                f ->
                    new Finding(
                        f.rule(),
                        f.severity(),
                        f.confidence(),
                        f.summary(),
                        f.evidence().stream().map(e -> new Evidence(e.text(), e.source())).toList(),
                        f.causes(),
                        f.nextSteps(),
                        f.missing(),
                        f.references()))
            .toList();
    Diagnosis d = HandBuilt.withFindings(seed, wordsOnly);
    String html = render(d);
    assertThat(html).contains("ffff88007b90c000").doesNotContain(lockReg);
    // the primary failure's address is marked from the primary failure itself
    assertThat(html).contains("<div class=\"hit\"><dt>RCX</dt><dd>ffffffffa88b53b0</dd>");
  }

  @Test
  void taintLettersAreExplainedFromTheKernelTable() throws Exception {
    String html = render(HandBuilt.seedLike("x"));

    assertThat(html).contains("out-of-tree module loaded", "unsigned module loaded");
  }

  @Test
  void noCrashReportSaysSo() throws Exception {
    String html = render(HandBuilt.empty());

    assertThat(html)
        .contains("<h1>No crash found in the input</h1>")
        .doesNotContain("id=\"chain\"");
  }
}
