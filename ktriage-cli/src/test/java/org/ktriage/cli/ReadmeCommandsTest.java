package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.testkit.Shared;

/**
 * Every {@code ./ktriage} command line in the README's shell blocks runs as written, with real
 * inputs put in for the placeholders (upper-case words, the example file names): no usage error, no
 * unreadable input. A line that reads standard input ({@code -}) runs in its own process with a
 * real log piped into it.
 */
class ReadmeCommandsTest {
  private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path tmp;

  static List<String> commandLines() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    Matcher m = SH_BLOCK.matcher(readme);
    while (m.find()) {
      for (String line : m.group(1).split("\n")) {
        String cmd = line.replaceAll("\\s+#.*$", "").strip();
        if (cmd.contains("./ktriage ")) {
          out.add(cmd);
        }
      }
    }
    return out;
  }

  @Test
  void everyReadmeCommandLineWorksAsWritten() throws Exception {
    List<String> lines = commandLines();
    assertThat(lines).hasSizeGreaterThan(15);
    Map<String, String> values = placeholders();
    List<String> failures = new ArrayList<>();
    for (String line : lines) {
      boolean piped =
          line.indexOf('|') >= 0 && line.indexOf('|') < line.indexOf("./ktriage")
              || List.of(line.split("\\s+")).contains("-");
      String command = line.substring(line.indexOf("./ktriage ") + "./ktriage ".length());
      List<String> args = new ArrayList<>();
      for (String word : command.split("\\s+")) {
        String v = values.get(word);
        if (v == null && Files.exists(Path.of("..", word))) {
          v = Path.of("..", word).toString(); // a path relative to the repository
        }
        args.add(v != null ? v : word);
      }
      int code;
      String err;
      if (piped) {
        JavaRun r =
            JavaRun.of(
                256,
                60_000,
                Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt"),
                args.toArray(new String[0]));
        code = r.exitCode();
        err = r.err();
      } else {
        Run r = Run.of(args.toArray(new String[0]));
        code = r.exitCode();
        err = r.err();
      }
      if (code != ExitCode.ANALYSED || err.contains("Unknown option")) {
        failures.add(line + " -> exit " + code + ": " + err.strip());
      }
    }
    assertThat(failures).isEmpty();
  }

  private Map<String, String> placeholders() throws IOException {
    Path log = Shared.path("lab/fixtures/timer-after-unload-kdump.dmesg.txt");
    Path dump = Shared.path("lab/fixtures/timer-after-unload-kdump.vmcore");
    Path kdumpDir = Files.createDirectories(tmp.resolve("127.0.0.1-2026-01-01-00:00:00"));
    Files.copy(log, kdumpDir.resolve("vmcore-dmesg.txt"));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Files.copy(log, logs.resolve("a.log"));
    Files.copy(Path.of("..", "samples", "seed-crash-session.txt"), logs.resolve("b.txt"));
    Path gz = tmp.resolve("log.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(log, o);
    }
    // a real task of the dump, from its own bt listing
    Run bt = Run.of("dump", dump.toString(), "bt", "-a");
    Matcher task = Pattern.compile("PID: (\\d+)\\s+TASK: ([0-9a-f]+)").matcher(bt.out());
    assertThat(task.find()).as("a task in %s", bt.out()).isTrue();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("INPUT...", Path.of("..", "samples", "seed-crash-session.txt").toString());
    v.put("crash-session.txt", Path.of("..", "samples", "seed-crash-session.txt").toString());
    v.put("vmcore-dmesg.txt", log.toString());
    v.put("KDUMP-DIRECTORY", kdumpDir.toString());
    v.put("VMCORE", dump.toString());
    v.put("LOG.gz", gz.toString());
    v.put("LOGS-DIRECTORY", logs.toString());
    v.put("PID", task.group(1));
    v.put("ADDR", task.group(2));
    v.put("NAME", "task_struct");
    v.put("RULE-ID", "bad-paging-request");
    v.put("RULES-DIRECTORY", Files.createDirectories(tmp.resolve("rules")).toString());
    v.put("report.html", tmp.resolve("report.html").toString());
    v.put("buckets.html", tmp.resolve("buckets.html").toString());
    return v;
  }
}
