package org.ktriage.ingest.printk;

/**
 * One kernel log record as stored in the dump, text kept as raw bytes.
 *
 * @param seq printk sequence number
 * @param timestampNanos ts_nsec (local clock since boot)
 * @param level syslog level 0..7
 * @param facility syslog facility
 * @param flags record flags (LOG_NEWLINE 0x2, LOG_CONT 0x8, …)
 * @param callerId raw caller_id (bit 31 set ⇒ CPU number, else thread id), or -1 when absent
 * @param text the text bytes (no trailing newline; may contain embedded newlines)
 * @param dataless true when the record has no text block (makedumpfile prints nothing for it)
 * @param truncated true when the stored text was shorter than text_len
 */
@SuppressWarnings("ArrayRecordComponent") // raw bytes read once, never compared
public record PrintkRecord(
    long seq,
    long timestampNanos,
    int level,
    int facility,
    int flags,
    long callerId,
    byte[] text,
    boolean dataless,
    boolean truncated) {
  /** The caller id as printed ({@code T123} or {@code C1}), or null. */
  public String callerIdText() {
    if (callerId < 0) {
      return "";
    }
    return ((callerId & 0x80000000L) != 0 ? "C" : "T") + (callerId & 0x7fffffffL);
  }
}
