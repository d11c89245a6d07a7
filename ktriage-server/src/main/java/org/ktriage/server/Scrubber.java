package org.ktriage.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes what identifies a machine or a network from report text before it is stored ({@code
 * ktriage serve --scrub}): MAC addresses (as the kernel prints them with {@code %pM}: six or more
 * colon-separated octets, e.g. {@code BSSID 50:50:50:50:50:50} or netfilter's {@code MAC=} header
 * run), IPv6 addresses ({@code %pI6c}: compressed with {@code ::} or all eight groups, an IPv4 tail
 * allowed), IPv4 addresses ({@code %pI4}) and the host's names (the one the log's syslog or journal
 * prefix carries, and the one the submitter gave). A placeholder takes each one's place, so the
 * lines still read as the kernel wrote them; nothing the diagnosis needs (functions, offsets,
 * registers, code bytes, kernel addresses, PCI addresses, times) has these shapes.
 */
final class Scrubber {
  static final String MAC = "REDACTED-MAC";
  static final String IPV6 = "REDACTED-IPV6";
  static final String IPV4 = "REDACTED-IPV4";
  static final String HOST = "redacted-host";

  /** Six or more octets joined by colons (or dashes, all the same), not inside a longer run. */
  private static final Pattern MAC_ADDRESS =
      Pattern.compile(
          "(?<![0-9A-Fa-f])(?<![0-9A-Fa-f][:-])"
              + "(?:(?:[0-9A-Fa-f]{2}:){5,}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:])"
              + "|(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f-]))");

  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final String DOTTED = "(?:" + OCTET + "\\.){3}" + OCTET;
  private static final String H16 = "[0-9A-Fa-f]{1,4}";

  /**
   * An IPv6 address: eight groups, or groups around one {@code ::} with at least one group (a bare
   * {@code ::} is punctuation), optionally ending in a dotted IPv4 address.
   */
  private static final Pattern IPV6_ADDRESS =
      Pattern.compile(
          "(?<![0-9A-Za-z.])(?<![0-9A-Fa-f]:)(?<!::)(?:"
              + "(?:"
              + H16
              + ":){7}"
              + H16
              + "|(?:"
              + H16
              + ":){6}"
              + DOTTED
              + "|(?:"
              + H16
              + "(?::"
              + H16
              + ")*)?::(?:(?:"
              + H16
              + ":)*(?:"
              + DOTTED
              + "|"
              + H16
              + "))"
              + "|"
              + H16
              + "(?::"
              + H16
              + ")*::"
              + ")(?![0-9A-Za-z:]|\\.[0-9])");

  private static final Pattern IPV4_ADDRESS =
      Pattern.compile("(?<![0-9A-Za-z.])" + DOTTED + "(?![0-9A-Za-z]|\\.[0-9])");

  private final List<Pattern> hostNames;

  /**
   * A scrubber for one report.
   *
   * @param names the host names to remove (the log's own and the submitter's); blank ones and those
   *     too short to be told from ordinary words (one letter) are ignored
   */
  Scrubber(Collection<@Nullable String> names) {
    TreeSet<String> all =
        new TreeSet<>(Comparator.comparing(String::length).reversed().thenComparing(s -> s));
    for (String n : names) {
      if (n == null) {
        continue;
      }
      String name = n.strip().toLowerCase(Locale.ROOT);
      if (name.length() < 2 || name.equals("localhost") || name.equals("(none)")) {
        continue;
      }
      all.add(name);
      int dot = name.indexOf('.');
      if (dot >= 2) {
        all.add(name.substring(0, dot)); // the short name of a fully qualified one
      }
    }
    List<Pattern> out = new ArrayList<>();
    for (String name : all) { // longest first: the FQDN goes before its short name
      out.add(
          Pattern.compile(
              "(?<![A-Za-z0-9_.-])" + Pattern.quote(name) + "(?![A-Za-z0-9_-])",
              Pattern.CASE_INSENSITIVE));
    }
    this.hostNames = out;
  }

  /** The text with every MAC, IPv6 and IPv4 address and the host names replaced. */
  String scrub(String text) {
    String s = replace(MAC_ADDRESS, text, MAC);
    s = replace(IPV6_ADDRESS, s, IPV6);
    s = replace(IPV4_ADDRESS, s, IPV4);
    for (Pattern p : hostNames) {
      s = replace(p, s, HOST);
    }
    return s;
  }

  private static String replace(Pattern p, String s, String with) {
    Matcher m = p.matcher(s);
    return m.find() ? m.reset().replaceAll(Matcher.quoteReplacement(with)) : s;
  }
}
