package org.ktriage.server.netconsole;

/**
 * What a receiver has seen, summed over its senders.
 *
 * @param datagrams datagrams received
 * @param records extended records completed (fragments joined)
 * @param missed extended records never received, counted from gaps in the printk sequence numbers
 *     (messages the sender's console loglevel filtered out also leave gaps)
 * @param lines log lines produced
 * @param reports reports cut
 * @param partialReports of which cut off by a sender gone silent
 * @param delivered reports the sink took
 * @param lost reports the sink failed on or that overflowed its queue
 */
public record ReceiverStats(
    long datagrams,
    long records,
    long missed,
    long lines,
    long reports,
    long partialReports,
    long delivered,
    long lost) {}
