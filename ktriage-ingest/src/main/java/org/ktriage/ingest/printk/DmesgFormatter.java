package org.ktriage.ingest.printk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Prints records as {@code makedumpfile --dump-dmesg} does: {@code [%5lu.%06lu] } from ts_nsec, the
 * text with every embedded newline followed by an indent as wide as that prefix, bytes that are
 * neither printable ASCII nor white space as {@code \xNN} — makedumpfile formats a signed {@code
 * char}, so bytes ≥ 0x80 come out as {@code \xffffffNN}, reproduced here — then a newline.
 * Data-less records print nothing. With caller ids on, {@code [%6s] } follows the time stamp (the
 * kernel's own {@code CONFIG_PRINTK_CALLER} console form; makedumpfile 1.7 does not print it).
 */
public final class DmesgFormatter {
  private final boolean callerIds;

  /** A formatter; {@code callerIds} adds the caller column. */
  public DmesgFormatter(boolean callerIds) {
    this.callerIds = callerIds;
  }

  /** The makedumpfile-compatible formatter (no caller column). */
  public static DmesgFormatter makedumpfile() {
    return new DmesgFormatter(false);
  }

  /** Writes all records. */
  public void write(List<PrintkRecord> records, OutputStream out) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    for (PrintkRecord r : records) {
      if (r.dataless()) {
        continue;
      }
      line.reset();
      format(r, line);
      line.writeTo(out);
    }
  }

  /** The text of all records as one string (ISO-8859-1 bytes as chars). */
  public String format(List<PrintkRecord> records) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      write(records, b);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  private void format(PrintkRecord r, ByteArrayOutputStream out) {
    long ts = r.timestampNanos();
    String prefix =
        String.format(
            "[%5d.%06d] ",
            Long.divideUnsigned(ts, 1_000_000_000L),
            Long.remainderUnsigned(ts, 1_000_000_000L) / 1000);
    if (callerIds && r.callerId() >= 0) {
      prefix = prefix.substring(0, prefix.length() - 1) + String.format("[%6s] ", r.callerIdText());
    }
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    out.write(p, 0, p.length);
    for (byte b : r.text()) {
      int c = b & 0xff;
      if (c == '\n') {
        out.write('\n');
        for (int i = 0; i < p.length; i++) {
          out.write(' ');
        }
      } else if ((c >= 0x20 && c < 0x7f) || (c >= 0x09 && c <= 0x0d)) {
        out.write(c);
      } else {
        String esc = String.format("\\x%02x", (int) b);
        byte[] e = esc.getBytes(StandardCharsets.US_ASCII);
        out.write(e, 0, e.length);
      }
    }
    out.write('\n');
  }
}
