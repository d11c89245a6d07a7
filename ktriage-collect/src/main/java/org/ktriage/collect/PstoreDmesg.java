package org.ktriage.collect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * pstore's dmesg records, as the pstore file system shows them and as {@code systemd-pstore} leaves
 * them.
 *
 * <p>On a kmsg dump (panic, oops, emergency restart) {@code pstore_dump()} in {@code
 * fs/pstore/platform.c} walks the kernel log backwards from its end in chunks of the backend's
 * record size; each chunk becomes one record whose text starts with the header {@code "%s#%d
 * Part%u\n"}: the reason ({@code kmsg_dump_reason_str()}: {@code Panic}, {@code Oops}, {@code
 * Emergency}, {@code Shutdown}, {@code Unknown}), the dump counter of that boot, and the part
 * number — {@code Part1} holds the end of the log, higher parts hold older text. The log lines come
 * from {@code kmsg_dump_get_buffer(…, syslog=true, …)}, so each starts with {@code <N>} (the syslog
 * priority) before its {@code [ seconds.micros]} time stamp. {@code pstore_mkfile()} in {@code
 * fs/pstore/inode.c} names the files {@code dmesg-<backend>-<id>} ({@code dmesg-ramoops-0}, {@code
 * dmesg-efi-…}, {@code dmesg-erst-…}), with {@code .enc.z} appended when the record stayed
 * compressed because the kernel could not decompress it. Console records ({@code
 * console-ramoops-N}) are the previous boot's console output without a header.
 */
final class PstoreDmesg {
  private PstoreDmesg() {}

  /** {@code dmesg-<backend>-<id>[.enc.z]}. */
  static final Pattern DMESG_FILE = Pattern.compile("dmesg-([A-Za-z0-9_]+)-(\\d+)(\\.enc\\.z)?");

  /** {@code console-<backend>-<id>}. */
  static final Pattern CONSOLE_FILE = Pattern.compile("console-([A-Za-z0-9_]+)-(\\d+)");

  /** The first line of a dmesg record: reason, dump counter, part. */
  static final Pattern HEADER = Pattern.compile("([A-Za-z]+)#(\\d+) Part(\\d+)");

  /** pstore records are small (ramoops record_size, EFI variables); anything larger is not one. */
  static final int MAX_RECORD_BYTES = 4 << 20;

  /** The most read of a joined dump or a console record (a whole kernel log buffer at most). */
  static final int MAX_JOINED_BYTES = 64 << 20;

  /** One record file: where it is, its header fields and the text after the header. */
  record Part(
      Path file,
      String backend,
      String reason,
      int counter,
      int part,
      String body,
      Instant mtime) {}

  /**
   * Reads one {@code dmesg-*} record, or returns null when its first line is not a pstore header
   * (then it is not a record of this format).
   */
  static @Nullable Part read(Path file, String backend) throws IOException {
    byte[] b;
    try (InputStream in = Files.newInputStream(file)) {
      b = in.readNBytes(MAX_RECORD_BYTES);
    }
    String text = new String(b, StandardCharsets.ISO_8859_1);
    int nl = text.indexOf('\n');
    String first = nl < 0 ? text : text.substring(0, nl);
    Matcher m = HEADER.matcher(first.strip());
    if (!m.matches()) {
      return null;
    }
    return new Part(
        file,
        backend,
        m.group(1),
        Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)),
        nl < 0 ? "" : text.substring(nl + 1),
        Files.getLastModifiedTime(file).toInstant());
  }

  /** One dump: its parts joined oldest first (highest part number first, {@code Part1} last). */
  record Dump(String backend, String reason, int counter, List<Part> parts) {
    String text() {
      StringBuilder sb = new StringBuilder();
      for (Part p : parts) {
        sb.append(p.body());
        if (!p.body().isEmpty() && !p.body().endsWith("\n")) {
          sb.append('\n');
        }
      }
      return sb.toString();
    }

    /** Part numbers absent between 1 and the highest one seen (a record lost or not written). */
    List<Integer> missingParts() {
      List<Integer> missing = new ArrayList<>();
      int highest = parts.get(0).part();
      for (int n = highest; n >= 1; n--) {
        int k = n;
        if (parts.stream().noneMatch(p -> p.part() == k)) {
          missing.add(n);
        }
      }
      return missing;
    }

    Instant newest() {
      return parts.stream().map(Part::mtime).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    }
  }

  /** Groups records of one directory into dumps by backend, reason and dump counter. */
  static List<Dump> group(List<Part> parts) {
    Map<String, List<Part>> byDump = new LinkedHashMap<>();
    for (Part p : parts) {
      byDump
          .computeIfAbsent(
              p.backend() + "\0" + p.reason() + "\0" + p.counter(), k -> new ArrayList<>())
          .add(p);
    }
    List<Dump> dumps = new ArrayList<>();
    for (List<Part> ps : byDump.values()) {
      ps.sort(Comparator.comparingInt(Part::part).reversed());
      Part a = ps.get(0);
      dumps.add(new Dump(a.backend(), a.reason(), a.counter(), List.copyOf(ps)));
    }
    dumps.sort(Comparator.comparingInt(Dump::counter));
    return dumps;
  }
}
