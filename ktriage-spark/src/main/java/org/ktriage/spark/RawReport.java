package org.ktriage.spark;

import java.io.Serializable;

/**
 * One raw report of the archive as the service stored it (the {@code report} table's {@code raw}
 * column: the upload's text, scrubbed).
 *
 * @param id the report's id in the service
 * @param name how the report is named in the results (its export name, or {@code report:<id>})
 * @param raw the stored bytes
 */
@SuppressWarnings("ArrayRecordComponent") // carried once to the reader, never compared
public record RawReport(long id, String name, byte[] raw) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The name of a report that has none of its own. */
  public static String defaultName(long id) {
    return "report:" + id;
  }
}
