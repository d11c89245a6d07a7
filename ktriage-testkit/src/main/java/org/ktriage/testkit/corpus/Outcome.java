package org.ktriage.testkit.corpus;

import org.jspecify.annotations.Nullable;
import org.ktriage.model.Diagnosis;

/**
 * What the real pipeline gave for one file.
 *
 * @param diagnosis the diagnosis, or null when the input was refused
 * @param refusal the one-line reason the input was refused, or null
 * @param type syzkaller's crash TYPE of the title (empty when unknown or untitled)
 * @param kernelOnlyTitle the title computed again from the kernel's own lines only (see {@link
 *     KernelOutput}); equal to the title when no line was dropped
 */
public record Outcome(
    @Nullable Diagnosis diagnosis,
    @Nullable String refusal,
    String type,
    @Nullable String kernelOnlyTitle) {

  /** The input was refused with this one-line reason. */
  public static Outcome refused(String reason) {
    return new Outcome(null, reason, "", null);
  }
}
