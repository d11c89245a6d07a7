/**
 * Text readers: kernel logs in every dress (dmesg, syslog, journal, /dev/kmsg, serial console), the
 * oops/report splitter, and {@code crash} session transcripts.
 */
@NullMarked
package org.ktriage.ingest.text;

import org.jspecify.annotations.NullMarked;
