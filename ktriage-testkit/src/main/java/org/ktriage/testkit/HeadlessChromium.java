package org.ktriage.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a local HTML file in headless Chromium (Debian's {@code chromium} package) for browser
 * tests: returns the DOM after load, every console message the page produced, every network request
 * the page made (read from Chromium's NetLog: requests whose network isolation key is the page's
 * {@code file://} site, so the browser's own background traffic is not counted), and a screenshot.
 */
public final class HeadlessChromium {
  /** Where Debian installs the browser. */
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  private static final long TIMEOUT_SECONDS = 120;
  private static final Pattern CONSOLE = Pattern.compile(":CONSOLE[^\\]]*\\] (.*)");
  private static final Pattern URL = Pattern.compile("\"url\":\"([^\"]*)\"");

  /**
   * What a page load showed.
   *
   * @param dom the serialised DOM after load
   * @param consoleMessages console messages (errors, CSP violations, logs), empty when none
   * @param networkRequests URLs the page requested over the network, empty when none
   * @param screenshot the PNG screenshot
   */
  public record PageLoad(
      String dom, List<String> consoleMessages, List<String> networkRequests, Path screenshot) {}

  private HeadlessChromium() {}

  /**
   * Loads {@code html} twice (once to dump the DOM, once for a screenshot of the given size),
   * keeping Chromium's profile, logs and the screenshot under {@code workDir}.
   *
   * @throws IllegalStateException when Chromium is not installed or does not finish in time
   */
  public static PageLoad load(Path html, Path workDir, String screenshotName, int width, int height)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          "browser tests need Chromium at "
              + BINARY
              + ": install Debian's chromium package"
              + " (.ci/run does)");
    }
    Files.createDirectories(workDir);
    String url = html.toAbsolutePath().toUri().toString();
    String base = screenshotName.replaceFirst("\\.png$", "");
    Run dom = run(workDir, base + "-dom", List.of("--dump-dom", url));
    Path screenshot = workDir.resolve(screenshotName).toAbsolutePath();
    Run shot =
        run(
            workDir,
            base + "-shot",
            List.of(
                "--hide-scrollbars",
                "--window-size=" + width + "," + height,
                "--screenshot=" + screenshot,
                url));
    List<String> console = new ArrayList<>(dom.console);
    console.addAll(shot.console);
    List<String> requests = new ArrayList<>(dom.requests);
    requests.addAll(shot.requests);
    if (!Files.isRegularFile(screenshot)) {
      throw new IllegalStateException("Chromium wrote no screenshot; see " + shot.stderr);
    }
    return new PageLoad(dom.stdout, console, requests, screenshot);
  }

  private record Run(String stdout, List<String> console, List<String> requests, Path stderr) {}

  private static Run run(Path workDir, String name, List<String> extra)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "profile-" + name + "-");
    Path netLog = workDir.resolve("netlog-" + name + ".json");
    Path out = workDir.resolve("chromium-" + name + ".out");
    Path err = workDir.resolve("chromium-" + name + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--user-data-dir=" + profile.toAbsolutePath(),
            "--enable-logging=stderr",
            "--v=0",
            "--log-net-log=" + netLog.toAbsolutePath()));
    cmd.addAll(extra);
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("Chromium did not finish in " + TIMEOUT_SECONDS + " s");
    }
    List<String> console = new ArrayList<>();
    for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
      Matcher m = CONSOLE.matcher(line);
      if (m.find()) {
        console.add(m.group(1));
      }
    }
    List<String> requests = new ArrayList<>();
    if (Files.isRegularFile(netLog)) {
      // NetLog writes one event per line; the page's own requests carry its file:// site
      for (String line : Files.readAllLines(netLog, StandardCharsets.UTF_8)) {
        if (!line.contains("\"network_isolation_key\":\"file://")) {
          continue;
        }
        Matcher m = URL.matcher(line);
        if (m.find() && !m.group(1).startsWith("file:") && !m.group(1).startsWith("data:")) {
          requests.add(m.group(1));
        }
      }
    } else {
      throw new IllegalStateException("Chromium wrote no NetLog; see " + err);
    }
    return new Run(Files.readString(out, StandardCharsets.UTF_8), console, requests, err);
  }
}
