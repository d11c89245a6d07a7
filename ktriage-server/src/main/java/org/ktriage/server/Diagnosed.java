package org.ktriage.server;

import org.jspecify.annotations.Nullable;

/**
 * What the service keeps of one report's diagnosis.
 *
 * @param contentKind {@code text} (a kernel log or crash output, diagnosed here) or {@code json} (a
 *     host's {@code ktriage analyze --format json})
 * @param crashFound whether the report shows a crash
 * @param signature the bucket signature, or null without a crash
 * @param title the crash title, or null
 * @param failureClass the primary failure class id
 * @param kernelRelease the kernel release the report names, or null
 * @param hostname the host name the report names, or null
 * @param function the function of the primary failure, or null
 * @param module the module of the primary failure's function, or null (built-in)
 * @param diagnosisJson the diagnosis as {@code ktriage analyze --format json} gives it
 */
record Diagnosed(
    String contentKind,
    boolean crashFound,
    @Nullable String signature,
    @Nullable String title,
    String failureClass,
    @Nullable String kernelRelease,
    @Nullable String hostname,
    @Nullable String function,
    @Nullable String module,
    String diagnosisJson) {}
