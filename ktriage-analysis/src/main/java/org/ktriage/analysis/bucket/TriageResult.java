package org.ktriage.analysis.bucket;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The triage outcome of one input file.
 *
 * @param path the input as given
 * @param title the crash title, or null when the input shows no crash or could not be read
 * @param altTitles alternative titles
 * @param failureClass the failure class id ({@code null-deref}, …), or null when unread
 * @param signature the crash signature, or null when there is no crash or it could not be read
 * @param corrupted true when the report is truncated or intermixed
 * @param frames normalized functions of the failing stack, top first (for similarity)
 * @param seen when the crash happened (wall clock of the log where known, else file time), or null
 * @param kernel the kernel release, or null
 * @param host the host name, or null
 * @param error why the input could not be read, or null when it was read
 */
public record TriageResult(
    String path,
    @Nullable String title,
    List<String> altTitles,
    @Nullable String failureClass,
    @Nullable String signature,
    boolean corrupted,
    List<String> frames,
    @Nullable Instant seen,
    @Nullable String kernel,
    @Nullable String host,
    @Nullable String error) {
  public TriageResult {
    altTitles = List.copyOf(altTitles);
    frames = List.copyOf(frames);
  }

  /** A result for an input that could not be read. */
  public static TriageResult unreadable(String path, String error) {
    return new TriageResult(
        path, null, List.of(), null, null, false, List.of(), null, null, null, error);
  }

  /** True when the input was read and shows a crash. */
  public boolean hasCrash() {
    return error == null && signature != null;
  }
}
