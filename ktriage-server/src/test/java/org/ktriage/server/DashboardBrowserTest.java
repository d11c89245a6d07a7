package org.ktriage.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.testkit.PostgresCluster;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through chromedriver clicks
 * through what a kernel engineer does after hosts posted crashes — sign in with a token, the bucket
 * list, a filter, a sort, a bucket, one of its reports, a lifecycle change — and checks what each
 * page shows against the JSON API's answers. A later crash on a newer release then shows the bucket
 * regressed, on its page and on the release page.
 */
class DashboardBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void ingestBucketReportLifecycle(String backend) throws Exception {
    requireBrowser();
    try (Backend b = Backend.start(backend, tmp)) {
      String token = b.server.createToken("alice", Set.of("read", "write"));
      byte[] kasan = CrashServerTest.corpus("5");
      byte[] ubsan = CrashServerTest.corpus("40");
      // hosts post their crashes through the API, as `curl --data-binary` or a CI job does
      post(b, token, "/api/v1/reports?host=builder-1&release=6.1.0-56-amd64&label=ci", kasan);
      post(
          b,
          token,
          "/api/v1/reports?host=builder-2&release=6.1.0-57-amd64",
          CrashServerTest.gzip(kasan));
      JsonNode other = post(b, token, "/api/v1/reports?host=web-3&release=6.1.0-56-amd64", ubsan);
      long kasanBucket = bucketOf(b, token, kasan);
      JsonNode detail = get(b, token, "/api/v1/buckets/" + kasanBucket);
      String kasanTitle = detail.get("title").textValue();
      String otherTitle = other.get("title").textValue();
      assertThat(kasanTitle).isNotEqualTo(otherTitle);

      WebDriver d = chromium(tmp.resolve("profile"));
      try {
        d.get(b.server.url() + "/buckets");
        // a server with tokens sends a browser without one to the sign-in page
        assertThat(d.getCurrentUrl()).contains("/login");
        d.findElement(By.id("token")).sendKeys("kt_wrong");
        navigate(d, d.findElement(By.id("sign-in")));
        assertThat(d.findElement(By.id("error")).getText()).contains("unknown token");
        d.findElement(By.id("token")).sendKeys(token);
        navigate(d, d.findElement(By.id("sign-in")));

        // the bucket list: both crashes, the busiest first
        assertThat(urlOnceLoaded(d, "/buckets")).endsWith("/buckets");
        assertThat(d.findElement(By.id("user")).getText()).isEqualTo("alice");
        assertThat(titles(d)).containsExactly(kasanTitle, otherTitle);
        assertThat(counts(d)).containsExactly("2", "1");

        // filter on a host
        d.findElement(By.id("filter-host")).sendKeys("web-3");
        navigate(d, d.findElement(By.id("apply")));
        assertThat(titles(d)).containsExactly(otherTitle);
        assertThat(d.findElement(By.id("filter-host")).getAttribute("value")).isEqualTo("web-3");
        navigate(d, d.findElement(By.linkText("clear")));
        assertThat(titles(d)).hasSize(2);

        // sort by title: a click sorts ascending, a second click turns the order round
        navigate(d, header(d, "title"));
        List<String> ascending = new ArrayList<>(List.of(kasanTitle, otherTitle));
        ascending.sort(String::compareTo);
        assertThat(titles(d)).containsExactlyElementsOf(ascending);
        assertThat(header(d, "title").getText()).isEqualTo("title ↑");
        navigate(d, header(d, "title"));
        List<String> descending = new ArrayList<>(ascending);
        java.util.Collections.reverse(descending);
        assertThat(titles(d)).containsExactlyElementsOf(descending);

        // search by the function of the crash
        String function = detail.get("functions").get(0).get("value").textValue();
        WebElement search = d.findElement(By.id("search"));
        search.clear();
        search.sendKeys(function);
        navigate(d, search::submit);
        assertThat(titles(d)).containsExactly(kasanTitle);

        // the bucket page
        navigate(d, d.findElement(By.linkText(kasanTitle)));
        String bucketPage = urlOnceLoaded(d, "/buckets/" + kasanBucket);
        assertThat(bucketPage).endsWith("/buckets/" + kasanBucket);
        assertThat(d.findElement(By.id("title")).getText()).isEqualTo(kasanTitle);
        assertThat(d.findElement(By.id("count")).getText()).isEqualTo("2");
        assertThat(d.findElement(By.id("status")).getText()).isEqualTo("new");
        assertThat(d.findElement(By.id("facet-hosts")).getText())
            .contains("builder-1")
            .contains("builder-2");
        assertThat(d.findElement(By.id("facet-releases")).getText())
            .contains("6.1.0-56-amd64")
            .contains("6.1.0-57-amd64");
        assertThat(d.findElement(By.id("facet-functions")).getText()).contains(function);
        assertThat(d.findElements(By.cssSelector("svg.trend rect"))).isNotEmpty();
        List<WebElement> reports = d.findElements(By.cssSelector("#reports tbody tr a"));
        assertThat(reports).hasSize(2);

        // one report's full HTML report
        navigate(d, reports.get(0));
        assertThat(d.findElement(By.tagName("h1")).getText()).contains(function);
        assertThat(d.getTitle()).contains(function);
        d.navigate().back();

        // the lifecycle change: fixed in 6.2, with a note (markup stays text) and the fix
        d.findElement(By.cssSelector("#change-status option[value=fixed]")).click();
        d.findElement(By.id("change-fixed-in")).sendKeys("6.2");
        String note = "<b>patched</b> in net-next";
        d.findElement(By.id("change-note")).sendKeys(note);
        d.findElement(By.id("change-link")).sendKeys("https://example.org/fix/1");
        navigate(d, d.findElement(By.id("change-submit")));
        assertThat(d.findElement(By.id("status")).getText()).isEqualTo("fixed in 6.2");
        WebElement events = d.findElement(By.id("events"));
        assertThat(events.getText()).contains(note).contains("alice");
        assertThat(events.findElements(By.tagName("b"))).isEmpty();
        assertThat(events.findElement(By.linkText("https://example.org/fix/1"))).isNotNull();
        // the API agrees
        JsonNode after = get(b, token, "/api/v1/buckets/" + kasanBucket);
        assertThat(after.get("status").textValue()).isEqualTo("fixed");
        assertThat(after.get("fixedIn").textValue()).isEqualTo("6.2");

        // a refused change says why and changes nothing
        d.findElement(By.cssSelector("#change-status option[value=fixed]")).click();
        navigate(d, d.findElement(By.id("change-submit")));
        assertThat(d.findElement(By.id("error")).getText()).contains("fixedIn");
        assertThat(d.findElement(By.id("status")).getText()).isEqualTo("fixed in 6.2");

        // the crash comes back on a later release: the bucket is regressed
        post(b, token, "/api/v1/reports?host=builder-9&release=6.3.0", CrashServerTest.xz(kasan));
        d.get(bucketPage);
        assertThat(d.findElement(By.id("status")).getText()).isEqualTo("regressed (fixed in 6.2)");
        assertThat(d.findElement(By.id("count")).getText()).isEqualTo("3");
        navigate(d, d.findElement(By.linkText("6.3.0")));
        assertThat(d.findElement(By.id("release")).getText()).isEqualTo("6.3.0");
        assertThat(d.findElement(By.id("regressed-in")).getText()).contains(kasanTitle);
        assertThat(d.findElements(By.id("new-in-empty"))).hasSize(1);

        // the releases list, newest first
        navigate(d, d.findElement(By.linkText("Releases")));
        List<String> releases = new ArrayList<>();
        for (WebElement a : d.findElements(By.cssSelector("#releases tbody td a"))) {
          releases.add(a.getText());
        }
        assertThat(releases).containsExactly("6.3.0", "6.1.0-57-amd64", "6.1.0-56-amd64");

        // signing out closes the dashboard again
        navigate(d, d.findElement(By.xpath("//form[@action='/logout']/button")));
        d.get(b.server.url() + "/buckets");
        assertThat(d.getCurrentUrl()).contains("/login");
      } finally {
        d.quit();
      }
    }
  }

  /** Fails under CI (./run-tests installs the browser), else skips with the reason. */
  static void requireBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String why =
        "the dashboard browser test needs "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " (Debian's chromium and chromium-driver; ./run-tests installs them)";
    if (PostgresCluster.underCi()) {
      fail(why);
    }
    System.err.println("SKIPPED: " + why);
    Assumptions.abort(why);
  }

  static WebDriver chromium(Path profile) throws IOException {
    Files.createDirectories(profile);
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(profile.resolveSibling("chromedriver.log").toFile())
            .build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    // an element of the next page may be looked up while that page is still being parsed
    d.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
    return d;
  }

  /**
   * The page's address once a click's navigation has arrived at {@code suffix}, or after {@link
   * #NAVIGATION} the address it is at: a click returns when the form is submitted, and the
   * POST-redirect-GET that follows can still be on its way.
   */
  private static String urlOnceLoaded(WebDriver d, String suffix) throws InterruptedException {
    long until = System.nanoTime() + NAVIGATION.toNanos();
    String url = java.util.Objects.requireNonNull(d.getCurrentUrl());
    while (!url.endsWith(suffix) && System.nanoTime() < until) {
      Thread.sleep(50);
      url = java.util.Objects.requireNonNull(d.getCurrentUrl());
    }
    return url;
  }

  /**
   * How long a click's navigation may take: as long as a page load may (a machine running many
   * builds can hold a POST-redirect-GET for many seconds).
   */
  private static final Duration NAVIGATION = Duration.ofSeconds(60);

  /**
   * Clicks (or submits) and waits until the browser has left the page it was on: a click returns
   * once the link is followed or the form sent, not when the next page is there, and reading the
   * page before then reads the old one.
   */
  static void navigate(WebDriver d, WebElement e) throws InterruptedException {
    navigate(d, e::click);
  }

  private static void navigate(WebDriver d, Runnable action) throws InterruptedException {
    WebElement page = d.findElement(By.tagName("html"));
    action.run();
    long until = System.nanoTime() + NAVIGATION.toNanos();
    while (System.nanoTime() < until) {
      try {
        page.getTagName();
      } catch (org.openqa.selenium.WebDriverException left) {
        // stale, or "does not belong to the document" while the next one replaces it
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "still on " + d.getCurrentUrl() + " " + NAVIGATION + " after the click");
  }

  /** The bucket list's column header link whose label starts with {@code label}. */
  private static WebElement header(WebDriver d, String label) {
    for (WebElement a : d.findElements(By.cssSelector("#buckets thead a"))) {
      if (a.getText().startsWith(label)) {
        return a;
      }
    }
    throw new AssertionError("no column " + label + " in " + d.getCurrentUrl());
  }

  private static List<String> titles(WebDriver d) {
    List<String> out = new ArrayList<>();
    for (WebElement a : d.findElements(By.cssSelector("#buckets td.title a"))) {
      out.add(a.getText());
    }
    return out;
  }

  private static List<String> counts(WebDriver d) {
    List<String> out = new ArrayList<>();
    for (WebElement a : d.findElements(By.cssSelector("#buckets td.num"))) {
      out.add(a.getText());
    }
    return out;
  }

  private static long bucketOf(Backend b, String token, byte[] raw) throws Exception {
    return post(b, token, "/api/v1/reports", raw).get("bucketId").longValue();
  }

  static JsonNode post(Backend b, String token, String path, byte[] body) throws Exception {
    HttpResponse<String> r =
        Backend.HTTP.send(
            HttpRequest.newBuilder(URI.create(b.server.url() + path))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return JSON.readTree(r.body());
  }

  static JsonNode get(Backend b, String token, String path) throws Exception {
    HttpResponse<String> r =
        Backend.HTTP.send(
            HttpRequest.newBuilder(URI.create(b.server.url() + path))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
