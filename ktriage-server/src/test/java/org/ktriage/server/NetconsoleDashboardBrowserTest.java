package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.server.netconsole.LiveGuestTraffic;
import org.ktriage.server.netconsole.NetconsoleReceiver;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A lab guest's panic, sent over netconsole, on the dashboard in a real browser (Debian's headless
 * Chromium, as {@link DashboardBrowserTest}): the datagrams the guest of {@code
 * lab/live/live-guest.sh} sent (plain and extended target) replayed over loopback into a netconsole
 * receiver in front of an open service; an engineer filters the bucket list on the netconsole
 * label, opens the bucket and one of its reports, and sees the crash, its class and where it came
 * from (the sender's address as host, {@code source=netconsole}).
 */
class NetconsoleDashboardBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SENDER = "127.0.0.1";
  private static final String LABEL = "source=netconsole";

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void theGuestsPanicIsABucketOnTheDashboard(String backend) throws Exception {
    DashboardBrowserTest.requireBrowser();
    LiveGuestTraffic traffic = LiveGuestTraffic.load();
    String expected = LiveGuestTraffic.consoleSignature();
    try (Backend b = Backend.start(backend, tmp);
        NetconsoleReceiver nc = traffic.replayInto(b.server)) {
      assertThat(nc.stats().delivered()).as("reports delivered by the receiver").isEqualTo(2);
      JsonNode report = get(b, "/api/v1/reports/1");
      assertThat(report.get("signature").asText()).isEqualTo(expected);
      long bucket = report.get("bucketId").asLong();
      assertThat(get(b, "/api/v1/reports/2").get("bucketId").asLong()).isEqualTo(bucket);
      JsonNode detail = get(b, "/api/v1/buckets/" + bucket);
      String title = detail.get("title").asText();
      String failureClass = detail.get("class").asText();
      // what analyze says of the guest's console log: sysrq-c's panic (drivers/tty/sysrq.c
      // sysrq_handle_crash() calls panic("sysrq triggered crash"))
      assertThat(title).isEqualTo("kernel panic: sysrq triggered crash");

      WebDriver d = DashboardBrowserTest.chromium(tmp.resolve("profile"));
      try {
        // the bucket list, filtered on the netconsole label
        d.get(b.server.url() + "/buckets");
        assertThat(d.getCurrentUrl()).endsWith("/buckets");
        d.findElement(By.id("filter-label")).sendKeys(LABEL);
        DashboardBrowserTest.navigate(d, d.findElement(By.id("apply")));
        List<WebElement> rows = d.findElements(By.cssSelector("#buckets tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).findElement(By.cssSelector("td.title")).getText()).isEqualTo(title);
        assertThat(rows.get(0).findElement(By.cssSelector("td.num")).getText()).isEqualTo("2");
        assertThat(rows.get(0).getText()).containsIgnoringCase(failureClass);

        // the bucket page: the crash, its class, its source and sender
        DashboardBrowserTest.navigate(d, d.findElement(By.linkText(title)));
        assertThat(d.getCurrentUrl()).endsWith("/buckets/" + bucket);
        assertThat(d.findElement(By.id("title")).getText()).isEqualTo(title);
        // (the page's style sets the class line in capitals)
        assertThat(d.findElement(By.id("summary")).getText())
            .containsIgnoringCase(failureClass)
            .contains(expected);
        assertThat(d.findElement(By.id("count")).getText()).isEqualTo("2");
        assertThat(d.findElement(By.id("facet-labels")).getText()).contains("2 × " + LABEL);
        assertThat(d.findElement(By.id("facet-hosts")).getText()).contains("2 × " + SENDER);
        assertThat(d.findElement(By.id("facet-releases")).getText()).contains("6.1.0-56-amd64");
        List<WebElement> reports = d.findElements(By.cssSelector("#reports tbody tr"));
        assertThat(reports).hasSize(2);
        for (WebElement r : reports) {
          List<WebElement> cells = r.findElements(By.tagName("td"));
          assertThat(cells.get(2).getText()).isEqualTo(SENDER);
          assertThat(cells.get(3).getText()).isEqualTo("6.1.0-56-amd64");
          assertThat(cells.get(4).getText()).isEqualTo(LABEL);
        }

        // one report's full HTML report, read from the kernel log the receiver cut
        DashboardBrowserTest.navigate(
            d, reports.get(0).findElement(By.cssSelector("td:first-child a")));
        assertThat(d.getCurrentUrl()).matches(".*/reports/[12]$");
        assertThat(d.findElement(By.tagName("h1")).getText()).containsIgnoringCase("sysrq");
        assertThat(d.findElement(By.tagName("body")).getText()).contains(expected);
      } finally {
        d.quit();
      }
    }
  }

  private static JsonNode get(Backend b, String path) throws Exception {
    HttpResponse<String> r =
        Backend.HTTP.send(
            HttpRequest.newBuilder(URI.create(b.server.url() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
