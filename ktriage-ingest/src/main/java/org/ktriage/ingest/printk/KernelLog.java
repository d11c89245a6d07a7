package org.ktriage.ingest.printk;

import java.util.List;

/**
 * The kernel log read from a dump.
 *
 * @param records records in ring order (ascending seq)
 * @param ring which buffer layout was read ({@code lockless}, {@code printk_log})
 * @param problems what could not be read (skipped, cut or lost records), for people
 */
public record KernelLog(List<PrintkRecord> records, String ring, List<String> problems) {
  public KernelLog {
    records = List.copyOf(records);
    problems = List.copyOf(problems);
  }
}
