package org.ktriage.analysis.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.UnreadableInputException;

/**
 * Titles every log of the syzkaller report corpus and compares with its expected TITLE, ALT set,
 * TYPE and CORRUPTED headers; fails when an exact-match rate drops below its floor. Logs go through
 * the real ingest layer ({@code Ingest.read}), as in production.
 */
class CrashTitlesCorpusTest {
  // Floors ratchet up: raise them when the engine gets better, never lower them.
  private static final double TITLE_FLOOR = 0.985;
  private static final double ALT_FLOOR = 1.0;
  private static final double TYPE_FLOOR = 0.985;
  private static final double CORRUPTED_FLOOR = 0.998;

  record Expected(String title, List<String> alts, String type, boolean corrupted, String log) {}

  static Path corpus() {
    String shared = System.getProperty("ktriage.shared");
    assertThat(shared).as("system property ktriage.shared (the shared folder)").isNotNull();
    Path dir = Path.of(shared, "corpus", "syzkaller");
    assertThat(dir.resolve("report")).as("syzkaller report corpus under %s", dir).isDirectory();
    return dir;
  }

  static Expected parse(Path file) throws IOException {
    String all = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    all = all.replace("\r", "");
    int headerEnd = all.indexOf("\n\n");
    String header = headerEnd < 0 ? all : all.substring(0, headerEnd);
    String log = headerEnd < 0 ? "" : all.substring(headerEnd + 2);
    int rep = log.indexOf("\n\nREPORT:\n");
    if (rep >= 0) {
      log = log.substring(0, rep + 1);
    }
    String title = "";
    String type = "";
    boolean corrupted = false;
    List<String> alts = new ArrayList<>();
    for (String line : header.split("\n")) {
      if (line.startsWith("TITLE:")) {
        title = line.substring(6).strip();
      } else if (line.startsWith("ALT:")) {
        alts.add(line.substring(4).strip());
      } else if (line.startsWith("TYPE:")) {
        type = line.substring(5).strip();
      } else if (line.startsWith("CORRUPTED:")) {
        corrupted = line.substring(10).strip().equals("Y");
      }
    }
    return new Expected(title, alts, type, corrupted, log);
  }

  /** The Linux reports, the OS-independent ones and the symbolizer case (all header-format). */
  static List<Path> files() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String sub : List.of("report", "all/report", "symbolize")) {
      Path dir = corpus().resolve(sub);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().matches("[0-9]+"))
            .sorted(
                (a, b) ->
                    Integer.compare(
                        Integer.parseInt(a.getFileName().toString()),
                        Integer.parseInt(b.getFileName().toString())))
            .forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void titlesMatchSyzkaller() throws Exception {
    List<Path> files = files();
    assertThat(files).as("corpus files").hasSizeGreaterThan(700);
    int titleOk = 0;
    int altOk = 0;
    int typeOk = 0;
    int corruptedOk = 0;
    StringBuilder failures = new StringBuilder();
    for (Path f : files) {
      Expected e = parse(f);
      CrashTitle t = null;
      if (!e.log().isBlank()) { // an empty log is unreadable to ingest and shows no crash
        try {
          t = CrashTitles.of(Ingested.read(e.log()));
        } catch (UnreadableInputException ex) {
          failures.append(String.format("INGEST %s: %s%n", f.getFileName(), ex.getMessage()));
        }
      }
      String title = t == null ? "" : t.title();
      List<String> alts = t == null ? List.of() : new ArrayList<>(t.altTitles());
      alts = alts.stream().sorted().toList();
      List<String> expAlts = e.alts().stream().sorted().toList();
      String type = t == null ? "" : t.type();
      boolean corrupted = t != null && t.corrupted();
      String name = corpus().relativize(f).toString();
      if (title.equals(e.title())) {
        titleOk++;
      } else {
        failures.append(String.format("TITLE %s: got [%s] want [%s]%n", name, title, e.title()));
      }
      if (alts.equals(expAlts)) {
        altOk++;
      } else {
        failures.append(String.format("ALT   %s: got %s want %s%n", name, alts, expAlts));
      }
      if (type.equals(e.type())) {
        typeOk++;
      } else {
        failures.append(String.format("TYPE  %s: got [%s] want [%s]%n", name, type, e.type()));
      }
      if (corrupted == e.corrupted()) {
        corruptedOk++;
      } else {
        failures.append(
            String.format(
                "CORR  %s: got %s want %s (%s)%n", name, corrupted, e.corrupted(), title));
      }
    }
    double n = files.size();
    System.out.print(failures);
    System.out.printf(
        "syzkaller corpus (%d logs): TITLE %.1f%%  ALT %.1f%%  TYPE %.1f%%  CORRUPTED %.1f%%%n",
        files.size(), 100 * titleOk / n, 100 * altOk / n, 100 * typeOk / n, 100 * corruptedOk / n);
    assertThat(titleOk / n).as("exact TITLE rate").isGreaterThanOrEqualTo(TITLE_FLOOR);
    assertThat(altOk / n).as("exact ALT-set rate").isGreaterThanOrEqualTo(ALT_FLOOR);
    assertThat(typeOk / n).as("exact TYPE rate").isGreaterThanOrEqualTo(TYPE_FLOOR);
    assertThat(corruptedOk / n).as("exact CORRUPTED rate").isGreaterThanOrEqualTo(CORRUPTED_FLOOR);
  }
}
