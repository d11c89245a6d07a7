package org.ktriage.server.netconsole;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One netconsole datagram, parsed.
 *
 * <p>Plain netconsole ({@code write_msg()} in {@code drivers/net/netconsole.c}) sends the console
 * text as it is, in chunks of at most {@code MAX_PRINT_CHUNK} (1000) bytes: lines may be split
 * across datagrams and carry no sequence number. Extended netconsole ({@code netconsole=+…}, {@code
 * write_ext_msg()}) sends one printk record per datagram in the {@code /dev/kmsg} form ({@code
 * info_print_ext_header()} and {@code msg_print_ext_body()} in {@code kernel/printk/printk.c}):
 *
 * <pre>
 * [release,]&lt;prefix&gt;,&lt;seq&gt;,&lt;usec&gt;,&lt;flag&gt;[,caller=T123][,ncfrag=&lt;off&gt;/&lt;total&gt;];&lt;text&gt;\n[ KEY=value\n…]
 * </pre>
 *
 * where {@code prefix} is {@code facility << 3 | level}, {@code seq} the printk sequence number,
 * {@code usec} the time since boot, {@code flag} {@code -} (or {@code c}/{@code +} for continuation
 * fragments before v5.10), the text has non-printable bytes escaped as {@code \xNN}, and dictionary
 * lines follow the text. The release is prepended with {@code netconsole=+r…} (v6.6). A record
 * longer than the chunk is sent in fragments, each repeating the header with {@code ncfrag=<byte
 * offset>/<total bytes>} of the body after the {@code ;}.
 */
sealed interface Datagram {
  /** Console text of a plain netconsole. */
  record Plain(String text) implements Datagram {}

  /**
   * One extended record or fragment of one.
   *
   * @param release the sender's kernel release when prepended, or null
   * @param level the syslog level (0..7)
   * @param seq the printk sequence number
   * @param micros the time stamp, microseconds since boot
   * @param continuation true for a pre-5.10 continuation fragment ({@code +}): it continues the
   *     previous record's line
   * @param fragmentOffset the byte offset of this fragment in the body, or -1 when whole
   * @param fragmentTotal the body's total length when fragmented, else the body's length
   * @param body the bytes after the {@code ;}
   */
  @SuppressWarnings("ArrayRecordComponent") // bytes of one datagram, read once, never compared
  record Extended(
      @Nullable String release,
      int level,
      long seq,
      long micros,
      boolean continuation,
      int fragmentOffset,
      int fragmentTotal,
      byte[] body)
      implements Datagram {}

  /** The longest body a fragmented record may claim; the kernel's records are far shorter. */
  int MAX_RECORD_BYTES = 64 * 1024;

  /** {@code [release,]prefix,seq,usec,flag[,more…];}: the extended header up to its {@code ;}. */
  Pattern EXTENDED =
      Pattern.compile(
          "^(?:(?<release>[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}),)?(?<prefix>\\d{1,4}),(?<seq>\\d{1,20}),"
              + "(?<usec>\\d{1,20}),(?<flag>[-c+])(?<more>(?:,[A-Za-z]+=[^,;]*)*);");

  /** {@code ncfrag=<offset>/<total>} among the extra header fields. */
  Pattern NCFRAG = Pattern.compile(",ncfrag=(\\d{1,9})/(\\d{1,9})");

  /** Parses a datagram's bytes; a malformed extended header is read as plain text. */
  static Datagram parse(byte[] b, int length) {
    int headerEnd = -1;
    for (int i = 0; i < Math.min(length, 256); i++) {
      if (b[i] == ';') {
        headerEnd = i;
        break;
      }
      if (b[i] == '\n') {
        break;
      }
    }
    if (headerEnd > 0) {
      String header = new String(b, 0, headerEnd + 1, StandardCharsets.ISO_8859_1);
      Matcher m = EXTENDED.matcher(header);
      if (m.matches()) {
        Extended e = extended(m, b, headerEnd + 1, length);
        if (e != null) {
          return e;
        }
      }
    }
    return new Plain(new String(b, 0, length, StandardCharsets.ISO_8859_1));
  }

  private static @Nullable Extended extended(Matcher m, byte[] b, int bodyStart, int length) {
    long seq;
    long usec;
    int prefix;
    try {
      seq = Long.parseLong(m.group("seq"));
      usec = Long.parseLong(m.group("usec"));
      prefix = Integer.parseInt(m.group("prefix"));
    } catch (NumberFormatException e) {
      return null; // 20 digits beyond a long: not a kernel's header
    }
    byte[] body = java.util.Arrays.copyOfRange(b, bodyStart, length);
    int off = -1;
    int total = body.length;
    Matcher f = NCFRAG.matcher(m.group("more"));
    if (f.find()) {
      off = Integer.parseInt(f.group(1));
      total = Integer.parseInt(f.group(2));
      if (total > MAX_RECORD_BYTES || off + body.length > total) {
        return null;
      }
    }
    return new Extended(
        m.group("release"), prefix & 7, seq, usec, m.group("flag").equals("+"), off, total, body);
  }
}
