package org.ktriage.ingest.text;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.LogRecord;

/**
 * The log lines of a text input that are not {@code crash} output, tallied as they stream past: how
 * many there were, how many carry printk's timestamp or level (kernel text), the first {@code Linux
 * version} banner (init/version.c linux_banner) and a bounded window of the most recent ones.
 */
final class LogTally implements Consumer<LogRecord> {
  private static final Pattern LINUX_VERSION =
      Pattern.compile("Linux version (?<rel>\\S+) .*?(?<ver>#\\d+.*)?$");

  private final int windowSize;
  private final ArrayDeque<LogRecord> window = new ArrayDeque<>();
  private long lines;
  private long kernelLines;
  private @Nullable String release;
  private @Nullable String version;

  LogTally(int windowSize) {
    this.windowSize = windowSize;
  }

  @Override
  public void accept(LogRecord r) {
    lines++;
    if (r.timestampNanos() != null || r.level() >= 0) {
      kernelLines++;
    }
    if (release == null && r.text().startsWith("Linux version ")) {
      Matcher m = LINUX_VERSION.matcher(r.text());
      if (m.find()) {
        release = m.group("rel");
        version = m.group("ver");
      }
    }
    if (window.size() == windowSize) {
      window.removeFirst();
    }
    window.addLast(r);
  }

  /** Every log line seen. */
  long lines() {
    return lines;
  }

  /** Lines with printk's timestamp or level prefix: the input is kernel text. */
  long kernelLines() {
    return kernelLines;
  }

  /** The release of the first {@code Linux version} banner, or null. */
  @Nullable String release() {
    return release;
  }

  /** The build version ({@code #1 SMP …}) of that banner, or null. */
  @Nullable String version() {
    return version;
  }

  /** The most recent lines, oldest first (at most the window size). */
  List<LogRecord> window() {
    return List.copyOf(window);
  }
}
