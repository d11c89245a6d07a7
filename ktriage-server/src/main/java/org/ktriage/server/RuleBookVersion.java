package org.ktriage.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.ktriage.analysis.Analyzer;
import org.ktriage.ingest.Ingest;
import org.ktriage.model.CrashReport;
import org.ktriage.render.json.JsonRenderer;

/**
 * The version of what made a diagnosis: a digest of every class-path entry that decides one — the
 * rule files ({@code rules/}) and the class bytes of the model, ingest and analysis layers, the
 * JSON renderer whose document is stored, and the server's own diagnoser — as this JVM loads them.
 * Two servers stamp the same version only when all of that is byte for byte the same; a change to a
 * rule or to the code that reads a report or applies the rules changes it (two builds with the same
 * rule files but different analysis code diagnosed 0.13 % of a store differently). Re-triage
 * compares it: a generation staged under another version is not resumed or applied, and ingest adds
 * a new report to a staged generation only when it was diagnosed under that generation's version.
 *
 * <p>The class bytes are what {@code javac} made of the sources, so the same commit built by the
 * same JDK stamps the same version whether it runs from module jars, the launcher's one jar or
 * {@code target/classes}; another compiler may stamp another version for the same sources (a
 * re-triage then moves nothing: safe, never silent). Computed once per JVM, on first use: a few
 * hundred entries read from the class path, tens of milliseconds.
 */
final class RuleBookVersion {
  /**
   * The class-path entries that decide a diagnosis, by name prefix: the layers below render, the
   * rule files, the stored JSON document's renderer, and the server's diagnoser and reader.
   */
  static final List<String> DECIDING =
      List.of(
          "rules/",
          "org/ktriage/model/",
          "org/ktriage/ingest/",
          "org/ktriage/analysis/",
          "org/ktriage/render/json/",
          "org/ktriage/server/Diagnose",
          "org/ktriage/server/ReportReader");

  /** One class of each place those entries come from (a module jar, a directory, one big jar). */
  private static final List<Class<?>> ANCHORS =
      List.of(
          CrashReport.class,
          Ingest.class,
          Analyzer.class,
          JsonRenderer.class,
          RuleBookVersion.class);

  private RuleBookVersion() {}

  private static final class Current {
    static final String VERSION = compute();
  }

  /** {@code rules-} and the first 12 hex digits of the digest, for the class path of this JVM. */
  static String current() {
    return Current.VERSION;
  }

  private static String compute() {
    try {
      return of(locations());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the classes that make a diagnosis", e);
    }
  }

  /** Where this JVM loads the deciding entries from, each place once. */
  static List<Path> locations() {
    LinkedHashSet<Path> out = new LinkedHashSet<>();
    for (Class<?> c : ANCHORS) {
      CodeSource source = c.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        throw new IllegalStateException("no class-path location for " + c.getName());
      }
      try {
        out.add(Path.of(source.getLocation().toURI()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IllegalStateException(
            "class-path location of " + c.getName() + " is not a file: " + source.getLocation(), e);
      }
    }
    return new ArrayList<>(out);
  }

  /** The version of the deciding entries in these jars or class directories. */
  static String of(Collection<Path> locations) throws IOException {
    return stamp(entries(locations));
  }

  /**
   * The deciding entries of these jars or class directories by name (the first place wins, as on a
   * class path), with their bytes.
   */
  static SortedMap<String, byte[]> entries(Collection<Path> locations) throws IOException {
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (Path p : locations) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.walk(p)) {
          for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
            String name = p.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
            if (deciding(name) && !out.containsKey(name)) {
              out.put(name, Files.readAllBytes(f));
            }
          }
        }
      } else {
        try (ZipFile jar = new ZipFile(p.toFile())) {
          Enumeration<? extends ZipEntry> all = jar.entries();
          while (all.hasMoreElements()) {
            ZipEntry e = all.nextElement();
            if (!e.isDirectory() && deciding(e.getName()) && !out.containsKey(e.getName())) {
              try (InputStream in = jar.getInputStream(e)) {
                out.put(e.getName(), in.readAllBytes());
              }
            }
          }
        }
      }
    }
    return out;
  }

  static boolean deciding(String name) {
    for (String prefix : DECIDING) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The version of a set of entries: names and bytes, in name order. */
  static String stamp(SortedMap<String, byte[]> entries) {
    if (!entries.containsKey("rules/index.txt")) {
      throw new IllegalStateException("bundled rule resource missing: rules/index.txt");
    }
    MessageDigest sha = sha256();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(sha256().digest(e.getValue()));
    }
    return "rules-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
