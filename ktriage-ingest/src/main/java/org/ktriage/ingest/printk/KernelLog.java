package org.ktriage.ingest.printk;

import java.util.List;

/**
 * The kernel log read from a dump.
 *
 * @param records records in ring order (ascending seq)
 * @param ring which buffer layout was read ({@code lockless}, {@code printk_log})
 * @param problems what could not be read (corrupt or lost records), for people
 * @param notes normal gaps of a ring (overwritten early records, a record cut by the crash)
 */
public record KernelLog(
    List<PrintkRecord> records, String ring, List<String> problems, List<String> notes) {
  public KernelLog {
    records = List.copyOf(records);
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
  }
}
