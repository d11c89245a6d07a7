package org.ktriage.server;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks every value a client sends before it reaches the database: a bad value is refused with a
 * 400 that names it, never stored or echoed into a page.
 */
final class Params {
  /** A host name (RFC 1123 labels, dots) or an address (IPv4, IPv6 with colons). */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,252}");

  /** A kernel release as {@code uname -r} prints it. */
  private static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}");

  /** A free-form label: a word or key=value. */
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:=/+-]{0,63}");

  /** A failure class id (kebab-case). */
  private static final Pattern CLASS = Pattern.compile("[a-z][a-z0-9-]{0,63}");

  /** A signature as the analysis layer makes it. */
  private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9:_-]{1,128}");

  /**
   * A kernel symbol or module name as a stack trace prints it: C identifiers with the compiler's
   * suffixes ({@code .cold}, {@code .constprop.0}, {@code .isra.0}) and module names with dashes.
   */
  private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9_.$-]{1,200}");

  static final int MAX_LABELS = 16;

  private Params() {}

  static @Nullable String host(@Nullable String v) {
    return matching("host", v, HOST);
  }

  static @Nullable String release(@Nullable String v) {
    return matching("release", v, RELEASE);
  }

  static @Nullable String failureClass(@Nullable String v) {
    return matching("class", v, CLASS);
  }

  static @Nullable String label(@Nullable String v) {
    return matching("label", v, LABEL);
  }

  /** A function or module name to filter on ({@code function}, {@code module}). */
  static @Nullable String symbol(String name, @Nullable String v) {
    return matching(name, v, SYMBOL);
  }

  static void signature(@Nullable String v) {
    matching("signature", v, SIGNATURE);
  }

  /** Labels from repeated parameters and comma-separated lists, sorted and distinct. */
  static List<String> labels(List<String> raw) {
    TreeSet<String> out = new TreeSet<>();
    for (String r : raw) {
      for (String one : r.split(",", -1)) {
        String s = one.strip();
        if (!s.isEmpty()) {
          out.add(matching("label", s, LABEL));
        }
      }
    }
    if (out.size() > MAX_LABELS) {
      throw ApiException.badRequest(
          "too many labels: " + out.size() + " (at most " + MAX_LABELS + ")");
    }
    return new ArrayList<>(out);
  }

  /** One of the given words. */
  static @Nullable String oneOf(String name, @Nullable String v, List<String> allowed) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (!allowed.contains(v)) {
      throw ApiException.badRequest(
          name + " must be one of " + String.join(", ", allowed) + ", got " + quote(v));
    }
    return v;
  }

  /** An ISO-8601 instant ({@code 2024-05-01T10:00:00Z}) or date ({@code 2024-05-01}, UTC). */
  static @Nullable Instant time(String name, @Nullable String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      if (v.length() == 10) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          name + " must be an ISO-8601 time or date (2024-05-01T10:00:00Z), got " + quote(v));
    }
  }

  /** A non-negative integer at most {@code max}, or {@code dflt} when absent. */
  static int integer(String name, @Nullable String v, int dflt, int max) {
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0 || n > max) {
        throw ApiException.badRequest(name + " must be between 0 and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer, got " + quote(v));
    }
  }

  /** A path id: a positive integer. */
  static long id(String name, String v) {
    try {
      long n = Long.parseLong(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw ApiException.badRequest(name + " must be a positive integer, got " + quote(v));
  }

  /** Free text of at most {@code max} characters without control characters. */
  static @Nullable String text(String name, @Nullable String v, int max) {
    if (v == null) {
      return null;
    }
    if (v.length() > max) {
      throw ApiException.badRequest(name + " is longer than " + max + " characters");
    }
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (ch < 0x20 && ch != '\n' && ch != '\t') {
        throw ApiException.badRequest(name + " contains control characters");
      }
    }
    return v;
  }

  /** An http or https URL (a fix commit, a tracker entry). */
  static @Nullable String link(@Nullable String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.length() > 2000 || !v.matches("https?://[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+")) {
      throw ApiException.badRequest("link must be an http(s) URL, got " + quote(v));
    }
    return v;
  }

  private static @Nullable String matching(String name, @Nullable String v, Pattern p) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (!p.matcher(v).matches()) {
      throw ApiException.badRequest("bad " + name + " " + quote(v) + ": expected " + p.pattern());
    }
    return v;
  }

  /** A value quoted for a message: cut to 60 characters, control characters escaped. */
  static String quote(String v) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < v.length() && i < 60; i++) {
      char ch = v.charAt(i);
      if (ch < 0x20 || ch == '"' || ch == '\\') {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.append(v.length() > 60 ? "…\"" : "\"").toString();
  }
}
