package org.ktriage.collect;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One crash's material found on the host, not yet diagnosed.
 *
 * @param kind where it was found
 * @param key what the collector remembers it by (stable across runs, see {@link MaterialFinder})
 * @param files the user's files to read (never changed or deleted); empty for assembled text
 * @param assembledText the kernel log put together from several records (pstore parts), or null
 * @param where a short description for messages (a directory or file)
 * @param seen when the crash was saved (the newest file's modification time)
 */
public record Material(
    Kind kind,
    String key,
    List<Path> files,
    @Nullable String assembledText,
    String where,
    Instant seen) {

  /** Where material comes from; the id is also the {@code source=} label sent with it. */
  public enum Kind {
    /** A kdump capture directory (RHEL {@code kdump} or Debian {@code kdump-tools}). */
    KDUMP("kdump"),
    /** A pstore dmesg record (its parts joined) or a console record of the previous boot. */
    PSTORE("pstore"),
    /** A file named on the command line. */
    FILE("file");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    /** The kebab-case id. */
    public String id() {
      return id;
    }
  }

  public Material {
    files = List.copyOf(files);
  }
}
