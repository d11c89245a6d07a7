package org.ktriage.server.netconsole;

import org.jspecify.annotations.Nullable;

/**
 * A crash report cut out of one sender's stream.
 *
 * @param sender the sender's address ({@code ip:port})
 * @param host the sender's IP address as the service's {@code host}
 * @param release the kernel release the sender prepended ({@code netconsole=+r…}), or null
 * @param log the kernel log: the lines since the previous report of this sender up to this report's
 *     end, one {@code <level>[seconds.micros] text} (extended) or console line (plain) per line
 * @param partial true when the sender went silent before the report ended (the report is cut off)
 * @param why why it was cut here, for the log
 */
public record CutReport(
    String sender,
    String host,
    @Nullable String release,
    String log,
    boolean partial,
    String why) {}
