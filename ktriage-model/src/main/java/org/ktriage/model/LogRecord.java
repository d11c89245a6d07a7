package org.ktriage.model;

import org.jspecify.annotations.Nullable;

/**
 * One kernel log line with its prefixes stripped into fields.
 *
 * @param seq position in the merged log (0-based; for dumps the printk sequence number)
 * @param timestampNanos printk time since boot in nanoseconds, null when the line had none
 * @param level syslog level 0..7, or -1 when unknown
 * @param callerId printk caller id as printed without brackets ("T123", "C1"), or null
 * @param text the message text without timestamp, level or caller prefix
 * @param source where the line was read
 */
public record LogRecord(
    long seq,
    @Nullable Long timestampNanos,
    int level,
    @Nullable String callerId,
    String text,
    SourceSpan source) {}
