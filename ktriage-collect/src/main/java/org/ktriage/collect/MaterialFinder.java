package org.ktriage.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Finds crash material on the host, read-only.
 *
 * <ul>
 *   <li>kdump directories under a root such as {@code /var/crash}: the RHEL/Fedora layout of {@code
 *       kdump.service} ({@code <ip>-<date>/vmcore} and {@code vmcore-dmesg.txt}; {@code
 *       vmcore.flat} when saved over ssh) and the Debian/Ubuntu layout of {@code kdump-tools}
 *       ({@code <YYYYMMDDHHMM>/dump.<stamp>} and {@code dmesg.<stamp>}). A directory that still
 *       holds a {@code *-incomplete} file is being written (both tools save under that name and
 *       rename when done) and is left for a later run. Remembered by the directory's path and the
 *       names of its files.
 *   <li>pstore records ({@link PstoreDmesg}) in {@code /sys/fs/pstore} or in the archive {@code
 *       systemd-pstore} moves them to ({@code /var/lib/systemd/pstore}, where one dump's parts are
 *       also joined into {@code <id>/dmesg.txt}). Remembered by the SHA-256 of the joined text, so
 *       a record seen first in {@code /sys/fs/pstore} and later in the archive is sent once.
 *   <li>a file or directory named by the user, remembered by its path, size and modification time.
 * </ul>
 */
public final class MaterialFinder {
  private MaterialFinder() {}

  /** What a search found, and what it passed over with the reason (for the user). */
  public record Found(List<Material> materials, List<String> passedOver) {
    public Found {
      materials = List.copyOf(materials);
      passedOver = List.copyOf(passedOver);
    }
  }

  /** kdump's capture file names (RHEL kdump, Debian kdump-tools) and their logs. */
  private static boolean isKdumpFile(String name) {
    return name.equals("vmcore")
        || name.equals("vmcore.flat")
        || name.equals("vmcore-dmesg.txt")
        || name.startsWith("dump.")
        || name.startsWith("dmesg.");
  }

  /** The kdump directories below {@code root} (or {@code root} itself when it is one). */
  public static Found kdump(Path root) throws IOException {
    List<Material> found = new ArrayList<>();
    List<String> passed = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return new Found(found, passed);
    }
    List<Path> dirs = new ArrayList<>();
    dirs.add(root);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      for (Path d : ds) {
        if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
          dirs.add(d);
        }
      }
    }
    dirs.sort(Comparator.comparing(Path::toString));
    for (Path d : dirs) {
      kdumpDirectory(d, found, passed);
    }
    return new Found(found, passed);
  }

  private static void kdumpDirectory(Path dir, List<Material> found, List<String> passed)
      throws IOException {
    List<Path> files = new ArrayList<>();
    boolean incomplete = false;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path f : ds) {
        String name = f.getFileName().toString();
        if (!Files.isRegularFile(f)) {
          continue;
        }
        if (name.endsWith("-incomplete")) {
          incomplete = true;
        } else if (isKdumpFile(name)) {
          files.add(f);
        }
      }
    }
    if (files.isEmpty() && !incomplete) {
      return;
    }
    if (incomplete) {
      passed.add(dir + ": a dump is still being saved (*-incomplete); left for a later run");
      return;
    }
    files.sort(Comparator.comparing(Path::toString));
    StringBuilder key = new StringBuilder("kdump:").append(dir.toAbsolutePath().normalize());
    for (Path f : files) {
      key.append(':').append(f.getFileName());
    }
    found.add(
        new Material(
            Material.Kind.KDUMP, key.toString(), files, null, dir.toString(), newest(files)));
  }

  /** The pstore dumps and console records in {@code root} and its subdirectories (2 levels). */
  public static Found pstore(Path root) throws IOException {
    List<Material> found = new ArrayList<>();
    List<String> passed = new ArrayList<>();
    pstoreDirectory(root, 0, found, passed);
    return new Found(found, passed);
  }

  private static void pstoreDirectory(
      Path dir, int depth, List<Material> found, List<String> passed) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(entries::add);
    }
    entries.sort(Comparator.comparing(Path::toString));
    Path joined = dir.resolve("dmesg.txt");
    List<PstoreDmesg.Part> parts = new ArrayList<>();
    for (Path f : entries) {
      String name = f.getFileName().toString();
      if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
        if (depth < 2) {
          pstoreDirectory(f, depth + 1, found, passed);
        }
        continue;
      }
      if (!Files.isRegularFile(f)) {
        continue;
      }
      Matcher dm = PstoreDmesg.DMESG_FILE.matcher(name);
      if (dm.matches()) {
        if (dm.group(3) != null) {
          passed.add(f + ": record left compressed by the kernel (.enc.z); not read");
          continue;
        }
        PstoreDmesg.Part p = PstoreDmesg.read(f, dm.group(1));
        if (p == null) {
          passed.add(f + ": no pstore header (\"Panic#1 Part1\") on its first line; not read");
        } else {
          parts.add(p);
        }
      } else if (PstoreDmesg.CONSOLE_FILE.matcher(name).matches()) {
        String text = readCapped(f);
        found.add(pstoreMaterial(text, f.toString(), Files.getLastModifiedTime(f).toInstant()));
      }
    }
    if (Files.isRegularFile(joined)) {
      // systemd-pstore's join of one dump's parts: the same text as the parts beside it
      String text = readCapped(joined);
      found.add(
          pstoreMaterial(text, joined.toString(), Files.getLastModifiedTime(joined).toInstant()));
      return;
    }
    for (PstoreDmesg.Dump d : PstoreDmesg.group(parts)) {
      String where =
          dir.resolve("dmesg-" + d.backend() + "-*")
              + " ("
              + d.reason()
              + "#"
              + d.counter()
              + ", "
              + d.parts().size()
              + (d.parts().size() == 1 ? " part" : " parts")
              + ")";
      if (!d.missingParts().isEmpty()) {
        passed.add(where + ": parts " + d.missingParts() + " are missing; sent without them");
      }
      found.add(pstoreMaterial(d.text(), where, d.newest()));
    }
  }

  private static Material pstoreMaterial(String text, String where, Instant seen) {
    return new Material(
        Material.Kind.PSTORE,
        "pstore:sha256:" + sha256(keyText(text)),
        List.of(),
        text,
        where,
        seen);
  }

  /** A file or directory the user named. */
  public static Material given(Path p) throws IOException {
    Path abs = p.toAbsolutePath().normalize();
    if (Files.isDirectory(p)) {
      Found f = kdump(p);
      if (f.materials().size() == 1 && f.materials().get(0).where().equals(p.toString())) {
        return f.materials().get(0);
      }
      return new Material(
          Material.Kind.FILE, "dir:" + abs, List.of(p), null, p.toString(), newest(List.of(p)));
    }
    long size = Files.size(p);
    Instant mtime = Files.getLastModifiedTime(p).toInstant();
    return new Material(
        Material.Kind.FILE,
        "file:" + abs + ":" + size + ":" + mtime.toEpochMilli(),
        List.of(p),
        null,
        p.toString(),
        mtime);
  }

  private static Instant newest(List<Path> files) throws IOException {
    Instant t = Instant.EPOCH;
    for (Path f : files) {
      Instant m = Files.getLastModifiedTime(f).toInstant();
      if (m.isAfter(t)) {
        t = m;
      }
    }
    return t;
  }

  static String sha256(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** A pstore text without pstore's own header lines, for the key: the kernel's lines only. */
  static String keyText(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!PstoreDmesg.HEADER.matcher(line.strip()).matches() && !line.isBlank()) {
        sb.append(line.strip()).append('\n');
      }
    }
    return sb.toString();
  }

  private static String readCapped(Path f) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(f)) {
      return new String(in.readNBytes(PstoreDmesg.MAX_JOINED_BYTES), StandardCharsets.ISO_8859_1);
    }
  }
}
