package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * A crash in the same log that is independent of the one diagnosed: a crash of another boot (a
 * concatenated capture, a reboot), or reports of the crashed boot that nothing links to the crash
 * (a WARN at boot, an hour before an unrelated oops).
 *
 * @param boot the boot of the log it happened in (0 = the first in the log)
 * @param reports how many reports of the log belong to it
 * @param source the first line of its first report
 * @param timestampNanos the printk time of that line, or null
 * @param diagnosis the incident analysed on its own (its own title, class, signature, primary)
 */
public record Incident(
    int boot, int reports, SourceSpan source, @Nullable Long timestampNanos, Diagnosis diagnosis) {}
