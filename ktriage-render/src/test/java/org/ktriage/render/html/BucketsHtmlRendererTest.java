package org.ktriage.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ktriage.analysis.bucket.Bucket;
import org.ktriage.analysis.bucket.MergeSuggestion;
import org.ktriage.analysis.bucket.SeenSeries;
import org.ktriage.analysis.bucket.TriageResult;
import org.ktriage.render.RenderOptions;

class BucketsHtmlRendererTest {
  private static final String EVIL_TITLE =
      "BUG: <script>alert(\"t\")</script> in 'quoted' & <img src=x onerror=alert(2)> \u001b[31m";
  private static final String EVIL_PATH = "logs/<script>alert(1)</script>\"a'b.log";

  private static Bucket bucket(String sig, String title, int count, String path) {
    return new Bucket(
        sig,
        title,
        "null-deref",
        count,
        1,
        Instant.parse("2026-01-01T10:00:00Z"),
        Instant.parse("2026-01-04T11:30:00Z"),
        List.of("6.1.0-<b>"),
        List.of("host\"1"),
        path,
        List.of("run_timer_softirq", "<frame>"));
  }

  private static String render(TriageRun run) throws Exception {
    StringWriter out = new StringWriter();
    new BucketsHtmlRenderer(new RenderOptions(false, "test")).render(run, out);
    Path dir = Path.of("target", "html-reports");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("buckets-escaping.html"), out.toString());
    return out.toString();
  }

  private static TriageRun evilRun() {
    SeenSeries seen =
        SeenSeries.of(
            List.of(
                Instant.parse("2026-01-01T10:00:00Z"),
                Instant.parse("2026-01-04T11:00:00Z"),
                Instant.parse("2026-01-04T11:30:00Z")));
    return new TriageRun(
        List.of(
            bucket("0123456789abcdef", EVIL_TITLE, 3, EVIL_PATH),
            bucket("fedcba9876543210", "WARNING in foo", 1, "b.log")),
        seen == null ? Map.of() : Map.of("0123456789abcdef", seen),
        Map.of("0123456789abcdef", "buckets-reports/0123456789abcdef.html"),
        List.of(new MergeSuggestion("0123456789abcdef", "fedcba9876543210", 0.875)),
        List.of(TriageResult.unreadable("bad/<script>x</script>\".log", "reason <b>bold</b>")),
        5,
        4,
        0);
  }

  @Test
  void titlesPathsAndReasonsWithMarkupAndQuotesRenderAsText() throws Exception {
    String html = render(evilRun());

    // the only script element is the page's own, at the end of the body
    assertThat(html.split("<script", -1)).hasSize(2);
    assertThat(html).doesNotContain("<img").doesNotContain("<b>").doesNotContain("<frame>");
    assertThat(html)
        .contains(
            "<div class=\"title\">BUG: &lt;script&gt;alert(\"t\")&lt;/script&gt; in 'quoted'"
                + " &amp; &lt;img src=x onerror=alert(2)&gt; \\x1b[31m</div>")
        .contains("logs/&lt;script&gt;alert(1)&lt;/script&gt;\"a'b.log")
        .contains("bad/&lt;script&gt;x&lt;/script&gt;\".log")
        .contains("reason &lt;b&gt;bold&lt;/b&gt;")
        .contains("6.1.0-&lt;b&gt;")
        .contains("host\"1")
        .contains("&lt;frame&gt;");
    // attribute values (data-title) are escaped too
    assertThat(html)
        .contains(
            "data-title=\"BUG: &lt;script>alert(&#34;t&#34;)&lt;/script> in &#39;quoted&#39;");
  }

  @Test
  void contentSecurityPolicyAllowsExactlyTheInlineScript() throws Exception {
    String html = render(evilRun());
    Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
    assertThat(script.find()).isTrue();
    String hash = BucketsHtmlRenderer.sha256(script.group(1));

    assertThat(html)
        .contains(
            "content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;;"
                + " img-src data:; script-src &#39;"
                + hash
                + "&#39;\"");
  }

  @Test
  void pageReadsWithoutScriptSortedByCountWithSparklineAndLinks() throws Exception {
    String html = render(evilRun());

    assertThat(html.indexOf("id=\"b-0123456789abcdef\""))
        .isPositive()
        .isLessThan(html.indexOf("id=\"b-fedcba9876543210\""));
    // controls only appear once the script runs
    assertThat(html).contains("id=\"controls\" hidden");
    assertThat(html)
        .contains("<a href=\"buckets-reports/0123456789abcdef.html\">example report</a>")
        .contains("3 sightings from 2026-01-01 to 2026-01-04, at most 2 per day")
        .contains("2026-01-01 10:00")
        .contains("2026-01-04 11:30")
        .contains("data-last=\"2026-01-04T11:30:00.000000000Z\"")
        .contains("href=\"#b-fedcba9876543210\"")
        .contains("0.88");
  }

  @Test
  void sparklineBarsScaleToTheBusiestDay() {
    SeenSeries s = new SeenSeries(java.time.LocalDate.parse("2026-01-01"), 1, List.of(1, 0, 2));
    BucketsView.Sparkline spark = BucketsViews.sparkline(s);

    assertThat(spark.width()).isEqualTo(18);
    assertThat(spark.bars()).isEqualTo("M0.00 22v-10.00h5.00v10.00zM12.00 22v-20.00h5.00v20.00z");
  }

  @Test
  void noCrashNoTable() throws Exception {
    String html =
        render(new TriageRun(List.of(), Map.of(), Map.of(), List.of(), List.of(), 2, 0, 2));

    assertThat(html).contains("No input shows a crash.").doesNotContain("id=\"buckets\"");
  }
}
