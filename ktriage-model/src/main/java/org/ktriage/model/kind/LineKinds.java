package org.ktriage.model.kind;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a log line is, from the report-kind table: a header marks its kind's {@link LineKind}; a few
 * lines that are not headers are marked too (listed here with where the kernel prints them).
 */
public final class LineKinds {
  private LineKinds() {}

  /**
   * Lines that are not report headers but belong to one, or to a module's life, first match wins.
   */
  private static final List<Map.Entry<LineKind, Pattern>> OTHER_LINES =
      List.of(
          // crash's "sys"/"bt" header names the panic string as "PANIC: …"
          Map.entry(LineKind.PANIC, Pattern.compile("^PANIC: ")),
          // KASAN's decoding of a #GP on a shadow address (mm/kasan/report.c
          // kasan_non_canonical_hook)
          Map.entry(LineKind.OOPS, Pattern.compile("^KASAN: ")),
          // printed by __warn()'s caller before the WARNING line (include/asm-generic/bug.h
          // CUT_HERE)
          Map.entry(LineKind.WARNING, Pattern.compile("-+\\[ cut here \\]-+")),
          // kernel/module/main.c: load, signature and taint messages; drivers' unload messages
          Map.entry(
              LineKind.MODULE,
              Pattern.compile(
                  "(?i)\\bunload|loading out-of-tree module|module verification failed"
                      + "|taints kernel|\\bmodule\\b")));

  /** The kind of one log line's message text; {@link LineKind#NONE} for ordinary lines. */
  public static LineKind of(String text) {
    String t = text.strip();
    ReportKinds.Match m = ReportKinds.match(t, 0);
    if (m != null && m.kind().lineKind() != LineKind.NONE) {
      return m.kind().lineKind();
    }
    for (Map.Entry<LineKind, Pattern> e : OTHER_LINES) {
      if (e.getValue().matcher(t).find()) {
        return e.getKey();
      }
    }
    return LineKind.NONE;
  }
}
