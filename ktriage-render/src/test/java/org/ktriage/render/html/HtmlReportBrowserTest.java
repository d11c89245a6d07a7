package org.ktriage.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ktriage.render.HandBuilt;
import org.ktriage.testkit.HeadlessChromium;
import org.ktriage.testkit.HeadlessChromium.PageLoad;

/** Loads HTML reports in headless Chromium: no console messages, no network, content present. */
class HtmlReportBrowserTest {
  private static final Path WORK = Path.of("target", "browser");

  @Test
  void seedShapedReportLoadsCleanlyOffline() throws Exception {
    Path html =
        HtmlRendererTest.artifact(
            "seed-like.html",
            HtmlRendererTest.render(HandBuilt.seedLike("BUG: unable to handle kernel paging")));

    PageLoad page = HeadlessChromium.load(html, WORK, "seed-like.png", 1280, 2400);

    assertThat(page.consoleMessages()).isEmpty();
    assertThat(page.networkRequests()).isEmpty();
    assertThat(page.dom())
        .contains("Page fault in run_timer_softirq+0xf8 (softirq, CPU 1)")
        .contains("<svg class=\"chain\"")
        .contains("layer ctx-nmi")
        .contains("layer ctx-softirq")
        .contains("timer-of-unloaded-module");
    assertThat(Files.size(page.screenshot())).isGreaterThan(10_000);
  }

  @Test
  void detectorSeesConsoleErrorsAndNetworkRequests() throws Exception {
    // proves the checks above can fail: a page that logs and fetches is caught
    Files.createDirectories(WORK);
    Path bad =
        Files.writeString(
            WORK.resolve("bad.html"),
            "<html><body><img src=\"http://127.0.0.1:9/x.png\"><script>console.error('boom')"
                + "</script>bad</body></html>");

    PageLoad page = HeadlessChromium.load(bad, WORK, "bad.png", 400, 300);

    assertThat(page.consoleMessages()).anyMatch(m -> m.contains("boom"));
    assertThat(page.networkRequests()).contains("http://127.0.0.1:9/x.png");
  }
}
