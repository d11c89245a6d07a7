/**
 * {@code ktriage collect}: finds new crash material on a host (kdump directories under {@code
 * /var/crash}, pstore records, given files), diagnoses it on the host with the same ingest and
 * analysis as {@code ktriage analyze} (a vmcore never leaves the host), sends the diagnosis, the
 * kernel log and the host's identity to a {@code ktriage serve}, and remembers what it sent so that
 * nothing is sent twice. It never deletes or changes the files it reads, and it never prints: the
 * CLI reports its {@link org.ktriage.collect.CollectEvent}s.
 */
@NullMarked
package org.ktriage.collect;

import org.jspecify.annotations.NullMarked;
