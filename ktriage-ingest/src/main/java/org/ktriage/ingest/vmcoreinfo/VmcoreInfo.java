package org.ktriage.ingest.vmcoreinfo;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The VMCOREINFO note text ({@code KEY=value} lines) as a typed view: {@code SYMBOL()} and {@code
 * KERNELOFFSET} are hex without 0x, {@code SIZE/OFFSET/LENGTH} decimal, {@code NUMBER()} decimal or
 * 0x-prefixed hex. Unknown keys are kept, the last duplicate wins, trailing NULs and a missing
 * final newline are tolerated.
 */
public final class VmcoreInfo {
  private final String raw;
  private final Map<String, String> values;

  private VmcoreInfo(String raw, Map<String, String> values) {
    this.raw = raw;
    this.values = values;
  }

  /** Parses the note text. */
  public static VmcoreInfo parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    int nul = text.indexOf('\0');
    String t = nul >= 0 ? text.substring(0, nul) : text;
    for (String line : t.split("\n", -1)) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      m.put(line.substring(0, eq), line.substring(eq + 1).trim());
    }
    return new VmcoreInfo(t, m);
  }

  /** The text as found (up to the first NUL). */
  public String raw() {
    return raw;
  }

  /** A value by full key ({@code OSRELEASE}, {@code SYMBOL(prb)}), or null. */
  public @Nullable String get(String key) {
    return values.get(key);
  }

  /** True when the key is present. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** {@code OSRELEASE}, or null. */
  public @Nullable String osRelease() {
    return values.get("OSRELEASE");
  }

  /** {@code PAGESIZE}, or null. */
  public @Nullable Long pageSize() {
    return parseAuto(values.get("PAGESIZE"), false);
  }

  /** {@code SYMBOL(name)} (hex), or null. */
  public @Nullable Long symbol(String name) {
    return parseAuto(values.get("SYMBOL(" + name + ")"), true);
  }

  /** {@code OFFSET(struct.field)} (decimal), or null. */
  public @Nullable Long offset(String structField) {
    return parseAuto(values.get("OFFSET(" + structField + ")"), false);
  }

  /** {@code SIZE(name)} (decimal), or null. */
  public @Nullable Long size(String name) {
    return parseAuto(values.get("SIZE(" + name + ")"), false);
  }

  /** {@code LENGTH(name)} (decimal), or null. */
  public @Nullable Long length(String name) {
    return parseAuto(values.get("LENGTH(" + name + ")"), false);
  }

  /** {@code NUMBER(name)} (decimal, or hex when prefixed with 0x), or null. */
  public @Nullable Long number(String name) {
    return parseAuto(values.get("NUMBER(" + name + ")"), false);
  }

  /** {@code KERNELOFFSET} (hex), or null. */
  public @Nullable Long kernelOffset() {
    return parseAuto(values.get("KERNELOFFSET"), true);
  }

  /** {@code CRASHTIME} seconds, or null. */
  public @Nullable Long crashTime() {
    return parseAuto(values.get("CRASHTIME"), false);
  }

  /**
   * Parses a number: 0x-prefixed ⇒ hex; otherwise hex when {@code hexDefault}, else decimal
   * (optionally negative). Returns null when absent or malformed.
   */
  static @Nullable Long parseAuto(@Nullable String v, boolean hexDefault) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      String s = v;
      boolean neg = false;
      if (s.startsWith("-")) {
        neg = true;
        s = s.substring(1);
      }
      long r;
      if (s.startsWith("0x") || s.startsWith("0X")) {
        r = Long.parseUnsignedLong(s.substring(2), 16);
      } else if (hexDefault) {
        r = Long.parseUnsignedLong(s, 16);
      } else {
        r = Long.parseUnsignedLong(s, 10);
      }
      return neg ? -r : r;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
