package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.testkit.HeadlessChromium;
import org.ktriage.testkit.HeadlessChromium.PageLoad;

/**
 * {@code triage --format html} over real logs (every 8th syzkaller corpus report with its header
 * stripped, every lab console log, one corrupt file named with markup), loaded in headless Chromium
 * (issue 6): no console message, no network request, the script allowed by the page's CSP runs,
 * every bucket of the JSON output has its row, and every example link resolves to a written report.
 * The page, its reports and a screenshot land in {@code target/browser/triage/}.
 */
class TriageHtmlTest {
  private static final Path WORK = Path.of("target", "browser", "triage");
  private static final Pattern EXAMPLE = Pattern.compile("<a href=\"([^\"]+)\">example report</a>");
  private static final Pattern ROW =
      Pattern.compile("<tr id=\"b-([0-9a-f]+)\"[^>]*data-count=\"(\\d+)\"");
  private static final String CORRUPT = "corrupt <script>alert(\"x\") 'q'.gz";

  @TempDir static Path logs;
  static final List<String> inputs = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    Path corpus = TriageCommandTest.corpus();
    List<Path> reports;
    try (Stream<Path> files = Files.list(corpus)) {
      reports = files.filter(Files::isRegularFile).sorted().toList();
    }
    // file times spread over 30 days: triage takes a console log's time from its file
    Instant base = Instant.parse("2026-10-01T09:00:00Z");
    for (int i = 0; i < reports.size(); i += 8) {
      String all = Files.readString(reports.get(i), StandardCharsets.ISO_8859_1);
      // the header block ends at the first empty line (a file may have an empty header)
      int end = all.startsWith("\n") ? -1 : all.indexOf("\n\n");
      assertThat(all.startsWith("\n") || end > 0).as("header of %s", reports.get(i)).isTrue();
      Path log = logs.resolve("log-" + reports.get(i).getFileName());
      Files.writeString(log, all.substring(end + 2), StandardCharsets.ISO_8859_1);
      Files.setLastModifiedTime(log, FileTime.from(base.plus((i * 7L) % 30, ChronoUnit.DAYS)));
    }
    Files.write(logs.resolve(CORRUPT), new byte[] {0x1f, (byte) 0x8b, 8, 0, 'x', 'y'});
    inputs.add(logs.toString());
    Path lab = SeedCaseTest.shared().resolve("lab/out");
    try (Stream<Path> dirs = Files.list(lab)) {
      dirs.map(d -> d.resolve("console.log"))
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(p -> inputs.add(p.toString()));
    }
    if (inputs.size() < 2) {
      fail("missing lab console logs under " + lab);
    }
  }

  private static Run triage(String... leading) {
    List<String> args = new ArrayList<>(List.of(leading));
    args.add("--no-progress");
    args.addAll(inputs);
    return Run.of(args.toArray(String[]::new));
  }

  @Test
  void bucketsPageLoadsOfflineWithRowsAndExampleReports() throws Exception {
    Files.createDirectories(WORK);
    Path page = WORK.resolve("buckets.html");
    Run html = triage("triage", "--format", "html", "-o", page.toString());
    assertThat(html.exitCode()).as(html.err()).isEqualTo(ExitCode.ANALYSED);
    assertThat(html.out()).isEmpty();
    assertThat(html.err()).doesNotContain("no example report");

    // the buckets the JSON output names, largest first
    Run json = triage("triage", "--format", "json");
    JsonNode root = new ObjectMapper().readTree(json.out());
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (JsonNode b : root.get("buckets")) {
      expected.put(b.get("signature").asText(), b.get("count").asInt());
    }
    assertThat(expected).hasSizeGreaterThan(20);

    String written = Files.readString(page, StandardCharsets.UTF_8);
    Map<String, Integer> rows = new LinkedHashMap<>();
    Matcher row = ROW.matcher(written);
    while (row.find()) {
      rows.put(row.group(1), Integer.parseInt(row.group(2)));
    }
    // same buckets, same counts, same order (sorted by count with scripts off, when the
    // filter and sort controls stay hidden)
    assertThat(rows).containsExactlyEntriesOf(expected);
    assertThat(written).contains("<div class=\"controls\" id=\"controls\" hidden>");

    List<String> links = new ArrayList<>();
    Matcher a = EXAMPLE.matcher(written);
    while (a.find()) {
      links.add(a.group(1));
    }
    assertThat(links).hasSize(expected.size());
    for (String link : links) {
      assertThat(link).startsWith("buckets-reports/").doesNotContain("..");
      Path report = page.resolveSibling(link);
      assertThat(report).as("example report %s", link).isRegularFile();
      assertThat(Files.readString(report, StandardCharsets.UTF_8)).contains("id=\"verdict\"");
    }
    // every unreadable input is listed with its reason, the corrupt file's name as text
    JsonNode unreadable = root.get("unreadable");
    assertThat(unreadable.size()).isPositive();
    String section = written.substring(written.indexOf("<section id=\"unreadable\">"));
    assertThat(section.split("<tr><td><code>", -1)).hasSize(unreadable.size() + 1);
    for (JsonNode u : unreadable) {
      String path = u.get("path").asText();
      if (!path.endsWith(CORRUPT)) {
        assertThat(section).contains(path).contains(u.get("error").asText());
      }
    }
    assertThat(written)
        .contains("corrupt &lt;script&gt;alert(\"x\") 'q'.gz")
        .doesNotContain("<script>alert");

    PageLoad load = HeadlessChromium.load(page, WORK, "triage-buckets.png", 1280, 2400);
    assertThat(load.consoleMessages()).as("console messages").isEmpty();
    assertThat(load.networkRequests()).as("network requests").isEmpty();
    // the inline script ran (the CSP allowed it): controls shown, count of rows written
    assertThat(load.dom())
        .contains("<div class=\"controls\" id=\"controls\">")
        .contains("all " + expected.size() + " buckets")
        .contains("6.1.0-")
        .contains("<svg class=\"spark\"")
        .contains("id=\"unreadable\"");

    // the top bucket's example report loads the same way
    Path top = page.resolveSibling(links.get(0));
    PageLoad example = HeadlessChromium.load(top, WORK, "triage-example.png", 1280, 1600);
    assertThat(example.consoleMessages()).as("console messages of %s", top).isEmpty();
    assertThat(example.networkRequests()).as("network requests of %s", top).isEmpty();
  }

  @Test
  void htmlNeedsAnOutputFileAndOtherFormatsRefuseOne() {
    Run noOutput = Run.of("triage", "--format", "html", logs.toString());
    assertThat(noOutput.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noOutput.err()).contains("--format html needs -o FILE");

    Run tableWithOutput = Run.of("triage", "-o", "x.html", logs.toString());
    assertThat(tableWithOutput.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(tableWithOutput.err()).contains("-o is for --format html");
  }

  @Test
  void reportFolderAndLinksFollowThePageName() {
    assertThat(TriageHtml.reportsDir(Path.of("out", "buckets.html")))
        .isEqualTo(Path.of("out", "buckets-reports"));
    assertThat(TriageHtml.reportsDir(Path.of("fleet"))).isEqualTo(Path.of("fleet-reports"));
    assertThat(TriageHtml.reportName("0123abcd")).isEqualTo("0123abcd.html");
    assertThat(TriageHtml.reportName("../x/y")).isEqualTo(".._x_y.html");
    assertThat(TriageHtml.href("my page-reports/ab#1.html"))
        .isEqualTo("my%20page-reports/ab%231.html");
    assertThat(TriageHtml.href("a:b-reports/c.html")).isEqualTo("./a:b-reports/c.html");
  }
}
