package org.ktriage.analysis.bucket;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Inputs that show the same crash (same signature).
 *
 * @param signature the shared signature
 * @param title the most frequent title among the inputs (ties: the alphabetically first)
 * @param failureClass the most frequent failure class id
 * @param count how many inputs
 * @param corrupted how many of them were flagged corrupted
 * @param firstSeen earliest time seen, or null when no input had a time
 * @param lastSeen latest time seen, or null
 * @param kernels distinct kernel releases, sorted
 * @param hosts distinct host names, sorted
 * @param examplePath one input (the first in path order)
 * @param frames the example's normalized stack, top first
 */
public record Bucket(
    String signature,
    String title,
    String failureClass,
    int count,
    int corrupted,
    @Nullable Instant firstSeen,
    @Nullable Instant lastSeen,
    List<String> kernels,
    List<String> hosts,
    String examplePath,
    List<String> frames) {
  public Bucket {
    kernels = List.copyOf(kernels);
    hosts = List.copyOf(hosts);
    frames = List.copyOf(frames);
  }
}
