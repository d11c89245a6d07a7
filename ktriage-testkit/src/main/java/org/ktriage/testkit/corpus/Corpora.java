package org.ktriage.testkit.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Reads every corpus with its own labels: syzkaller's headers, satyr's and ABRT's manifests,
 * linux-docs' README table, the lab's {@code scenario.json}, the wild corpus's headers; and, for
 * what a corpus does not label itself (the lab's class and first rule, the seed's answers), the
 * small label tables under {@code corpus/labels/}.
 *
 * @param shared the shared material folder ({@code ktriage.shared})
 * @param repo the repository root ({@code ktriage.root})
 */
public record Corpora(Path shared, Path repo) {

  /** Every corpus, in the order of the score table. */
  public List<Corpus> all() {
    return List.of(
        syzkaller("syzkaller", List.of("report", "symbolize")),
        syzkaller("syzkaller-all", List.of("all/report")),
        syzkallerGuilty(),
        satyr(),
        abrt(),
        linuxDocs(),
        lab("lab", shared.resolve("lab/out")),
        lab("lab-heldout", repo.resolve("lab/out")),
        seed(),
        wild("tune"),
        wild("heldout"));
  }

  /**
   * syzkaller pkg/report's corpus: the Linux reports ({@code report/}, {@code symbolize/}) or the
   * OS-independent ones run against every reporter ({@code all/report/}: Go panics, SYZFATAL).
   */
  public Corpus syzkaller(String name, List<String> subs) {
    Path root = shared.resolve("corpus/syzkaller");
    List<Case> cases = new ArrayList<>();
    for (String sub : subs) {
      for (Path p : list(root.resolve(sub))) {
        String n = p.getFileName().toString();
        if (n.matches("[0-9]+")) {
          cases.add(syzkallerCase(sub + "/" + n, read(p)));
        }
      }
    }
    cases.sort(Comparator.comparing(Corpora::numericOrder));
    return new Corpus(name, cases);
  }

  /**
   * syzkaller's symbolized reports ({@code guilty/}, {@code guilty_raw/}: a {@code FILE:} header,
   * then the report) and the decompiler inputs ({@code decompile/<arch>/N.in}): every one is a
   * crash report.
   */
  public Corpus syzkallerGuilty() {
    Path root = shared.resolve("corpus/syzkaller");
    List<Case> cases = new ArrayList<>();
    for (String sub : List.of("guilty", "guilty_raw")) {
      for (Path p : list(root.resolve(sub))) {
        Case c = wildCase(sub + "/" + p.getFileName(), read(p));
        cases.add(new Case(c.name(), c.text(), Map.of(Measure.FOUND, "yes")));
      }
    }
    for (Path arch : list(root.resolve("decompile"))) {
      for (Path p : list(arch)) {
        if (p.getFileName().toString().endsWith(".in")) {
          String n = "decompile/" + arch.getFileName() + "/" + p.getFileName();
          cases.add(new Case(n, read(p), Map.of(Measure.FOUND, "yes")));
        }
      }
    }
    return new Corpus("syzkaller-guilty", cases);
  }

  private static Case syzkallerCase(String name, byte[] all) {
    String text = new String(all, StandardCharsets.ISO_8859_1).replace("\r", "");
    int end = text.indexOf("\n\n");
    String header = end < 0 ? text : text.substring(0, end);
    String log = end < 0 ? "" : text.substring(end + 2);
    int rep = log.indexOf("\n\nREPORT:\n");
    if (log.startsWith("REPORT:\n")) {
      log = "";
    } else if (rep >= 0) {
      log = log.substring(0, rep + 1);
    }
    String title = "";
    String type = "";
    String frame = "";
    boolean corrupted = false;
    List<String> alts = new ArrayList<>();
    for (String line : header.split("\n", -1)) {
      String v = line.contains(":") ? line.substring(line.indexOf(':') + 1).strip() : "";
      if (line.startsWith("TITLE:")) {
        title = v;
      } else if (line.startsWith("ALT:")) {
        alts.add(v);
      } else if (line.startsWith("TYPE:")) {
        type = v;
      } else if (line.startsWith("FRAME:")) {
        frame = v;
      } else if (line.startsWith("CORRUPTED:")) {
        corrupted = v.equals("Y");
      }
    }
    Map<Measure, String> labels = new EnumMap<>(Measure.class);
    labels.put(Measure.FOUND, title.isEmpty() ? "no" : "yes");
    labels.put(Measure.TITLE, title);
    labels.put(Measure.ALT, String.join("\n", alts.stream().sorted().toList()));
    labels.put(Measure.TYPE, type);
    labels.put(Measure.CORRUPTED, corrupted ? "Y" : "N");
    if (!type.isEmpty()) {
      labels.put(Measure.CLASS, TypeClasses.label(type));
    }
    if (!frame.isEmpty() && !frame.equals("corrupted")) {
      labels.put(Measure.CULPRIT, frame);
    }
    return new Case(name, log.getBytes(StandardCharsets.ISO_8859_1), labels);
  }

  /** satyr's kernel oopses: every file is one oops; taint and module counts from its test table. */
  public Corpus satyr() {
    Path root = shared.resolve("corpus/satyr");
    Map<String, String[]> expected = new LinkedHashMap<>();
    for (String[] row : tsv(root.resolve("expected.tsv"))) {
      expected.put(row[0], row);
    }
    List<Case> cases = new ArrayList<>();
    for (Path p : list(root.resolve("kerneloopses"))) {
      String name = "kerneloopses/" + p.getFileName();
      Map<Measure, String> labels = new EnumMap<>(Measure.class);
      labels.put(Measure.FOUND, "yes");
      String[] row = expected.get(name);
      if (row != null) {
        labels.put(Measure.TAINT, row[4]);
        labels.put(Measure.MODULES, row[5]);
      }
      cases.add(new Case(name, read(p), labels));
    }
    return new Corpus("satyr", cases);
  }

  /** ABRT's oops-collector inputs: oops count, kernel release and first oops line per input. */
  public Corpus abrt() {
    Path root = shared.resolve("corpus/abrt");
    Map<String, Map<Measure, String>> byInput = new LinkedHashMap<>();
    for (String[] row : tsv(root.resolve("manifest.tsv"))) {
      String input = row[0];
      if (input.contains(" + ")) {
        continue; // pstore fragments to be merged: one case is one text
      }
      Map<Measure, String> labels =
          byInput.computeIfAbsent(input, k -> new EnumMap<>(Measure.class));
      Matcher count = Pattern.compile("(>=)?\\s*([0-9]+)").matcher(cell(row, 2));
      if (count.lookingAt()) {
        int n = Integer.parseInt(count.group(2));
        labels.put(Measure.FOUND, n > 0 ? "yes" : "no");
        labels.put(Measure.OOPSES, (count.group(1) == null ? "" : ">=") + n);
      }
      if (!cell(row, 3).isEmpty()) {
        labels.put(Measure.RELEASE, cell(row, 3));
      }
      if (!cell(row, 4).isEmpty()) {
        labels.put(Measure.HEADLINE, cell(row, 4));
      }
    }
    List<Case> cases = new ArrayList<>();
    byInput.forEach(
        (input, labels) -> {
          String text = new String(read(root.resolve(input)), StandardCharsets.ISO_8859_1);
          // ABRT's test setup puts the local host name in its templates; any fixed name does.
          text =
              text.replace(":FULL_HOSTNAME:", "localhost.localdomain")
                  .replace(":HOSTNAME:", "localhost");
          cases.add(new Case(input, text.getBytes(StandardCharsets.ISO_8859_1), labels));
        });
    return new Corpus("abrt", cases);
  }

  /** The kernel documentation's sample reports; the README's table names the one negative. */
  public Corpus linuxDocs() {
    Path root = shared.resolve("corpus/linux-docs");
    String readme = new String(read(root.resolve("README.md")), StandardCharsets.UTF_8);
    List<Case> cases = new ArrayList<>();
    for (Path p : list(root.resolve("samples"))) {
      String n = p.getFileName().toString();
      String row = "";
      for (String line : readme.split("\n", -1)) {
        if (line.startsWith("| " + n + " |")) {
          row = line;
        }
      }
      if (row.isEmpty()) {
        throw new IllegalStateException("linux-docs sample not in the README table: " + n);
      }
      boolean negative = row.toLowerCase(Locale.ROOT).contains("negative");
      cases.add(new Case("samples/" + n, read(p), Map.of(Measure.FOUND, negative ? "no" : "yes")));
    }
    return new Corpus("linux-docs", cases);
  }

  /**
   * Lab scenarios' console logs: culprit, module and release from {@code scenario.json}; class and
   * first rule from {@code corpus/labels/lab.tsv} (keyed by scenario, without the {@code @kernel}
   * suffix: the same injected bug on another kernel).
   */
  public Corpus lab(String name, Path out) {
    Map<String, Map<Measure, String>> table = labels("lab.tsv");
    List<Case> cases = new ArrayList<>();
    for (Path dir : list(out)) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      String scenario = dir.getFileName().toString();
      String json = new String(read(dir.resolve("scenario.json")), StandardCharsets.UTF_8);
      Map<Measure, String> labels = new EnumMap<>(Measure.class);
      Map<Measure, String> row = table.get(scenario.replaceFirst("@.*", ""));
      if (row == null) {
        throw new IllegalStateException(
            "lab scenario without a row in corpus/labels/lab.tsv: " + scenario);
      }
      labels.putAll(row);
      labels.put(Measure.FOUND, "yes");
      String fn = jsonString(json, "guilty_function");
      if (fn != null) {
        labels.put(Measure.CULPRIT, fn.split("[ (;]", -1)[0]);
      }
      String module = jsonString(json, "guilty_module");
      if (module != null) {
        labels.put(Measure.MODULE, module);
      }
      String release = jsonString(json, "kernel_release");
      if (release != null) {
        labels.put(Measure.RELEASE, release);
      }
      cases.add(new Case(scenario + "/console.log", read(dir.resolve("console.log")), labels));
    }
    return new Corpus(name, cases);
  }

  /** The founding case as it came (seed) and as the repo's samples keep it. */
  public Corpus seed() {
    Map<String, Map<Measure, String>> table = labels("seed.tsv");
    List<Case> cases = new ArrayList<>();
    Map<String, Path> files = new LinkedHashMap<>();
    list(shared.resolve("seed")).forEach(p -> files.put("seed/" + p.getFileName(), p));
    list(repo.resolve("samples")).forEach(p -> files.put("samples/" + p.getFileName(), p));
    files.forEach(
        (n, p) -> {
          Map<Measure, String> labels = new EnumMap<>(Measure.class);
          Map<Measure, String> row = table.get(n);
          if (row == null) {
            throw new IllegalStateException(
                "seed file without a row in corpus/labels/seed.tsv: " + n);
          }
          labels.putAll(row);
          labels.put(Measure.FOUND, "yes");
          cases.add(new Case(n, read(p), labels));
        });
    return new Corpus("seed", cases);
  }

  /** The wild corpus's part {@code tune} or {@code heldout}: labels in each file's header. */
  public Corpus wild(String part) {
    Path dir = repo.resolve("corpus/wild").resolve(part);
    List<Case> cases = new ArrayList<>();
    for (Path p : Files.isDirectory(dir) ? list(dir) : List.<Path>of()) {
      if (p.getFileName().toString().endsWith(".txt")) {
        cases.add(wildCase(part + "/" + p.getFileName(), read(p)));
      }
    }
    // the held-out part is never read while tuning: only its score is shown (README.md)
    return new Corpus("wild-" + part, cases, part.equals("heldout"));
  }

  static Case wildCase(String name, byte[] all) {
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int end = text.replace("\r", "").indexOf("\n\n");
    Map<String, String> header = new LinkedHashMap<>();
    int bodyStart = 0;
    if (end >= 0) {
      String[] lines = text.split("\n", -1);
      int offset = 0;
      for (String line : lines) {
        offset += line.length() + 1;
        String l = line.replace("\r", "");
        if (l.isEmpty()) {
          break;
        }
        int colon = l.indexOf(':');
        if (colon > 0) {
          header.put(
              l.substring(0, colon).strip().toUpperCase(Locale.ROOT),
              l.substring(colon + 1).strip());
        }
      }
      bodyStart = Math.min(offset, text.length());
    }
    Map<Measure, String> labels = new EnumMap<>(Measure.class);
    labels.put(Measure.FOUND, "yes");
    putIfSet(labels, Measure.CLASS, header.get("CLASS"));
    putIfSet(labels, Measure.CULPRIT, header.get("CULPRIT"));
    putIfSet(labels, Measure.MODULE, header.get("MODULE"));
    putIfSet(labels, Measure.RULES, header.get("RULES"));
    putIfSet(labels, Measure.TITLE, header.get("TITLE"));
    byte[] body = text.substring(bodyStart).getBytes(StandardCharsets.ISO_8859_1);
    return new Case(name, body, labels);
  }

  private static void putIfSet(Map<Measure, String> labels, Measure m, @Nullable String v) {
    if (v != null && !v.isBlank()) {
      labels.put(m, v.strip());
    }
  }

  /**
   * A label table {@code corpus/labels/NAME}: a header row of measure keys, then one row per file.
   */
  private Map<String, Map<Measure, String>> labels(String file) {
    List<String[]> rows = tsvWithHeader(repo.resolve("corpus/labels").resolve(file));
    String[] head = rows.get(0);
    Map<String, Map<Measure, String>> out = new LinkedHashMap<>();
    for (String[] row : rows.subList(1, rows.size())) {
      Map<Measure, String> m = new EnumMap<>(Measure.class);
      for (int i = 1; i < head.length && i < row.length; i++) {
        if (!row[i].isBlank()) {
          m.put(Measure.ofKey(head[i]), row[i].strip());
        }
      }
      out.put(row[0], m);
    }
    return out;
  }

  private static @Nullable String jsonString(String json, String key) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(null|\"((?:[^\"\\\\]|\\\\.)*)\")")
            .matcher(json);
    return m.find() && m.group(2) != null ? m.group(2).replace("\\\"", "\"") : null;
  }

  private static String cell(String[] row, int i) {
    return i < row.length ? row[i].strip() : "";
  }

  /** Rows of a TSV file without its header row. */
  private static List<String[]> tsv(Path p) {
    List<String[]> rows = tsvWithHeader(p);
    return rows.subList(1, rows.size());
  }

  private static List<String[]> tsvWithHeader(Path p) {
    List<String[]> rows = new ArrayList<>();
    for (String line : new String(read(p), StandardCharsets.UTF_8).split("\n", -1)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        rows.add(line.split("\t", -1));
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalStateException("empty table: " + p);
    }
    return rows;
  }

  private static String numericOrder(Case c) {
    String n = c.name();
    int slash = n.lastIndexOf('/');
    return n.substring(0, slash + 1)
        + String.format("%08d", Integer.parseInt(n.substring(slash + 1)));
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("corpus file unreadable: " + p, e);
    }
  }

  static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("corpus folder missing: " + dir);
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
