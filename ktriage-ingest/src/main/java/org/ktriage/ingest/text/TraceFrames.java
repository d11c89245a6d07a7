package org.ktriage.ingest.text;

import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.Frame;
import org.ktriage.model.SourceSpan;

/**
 * One call-trace frame read from a line, in every form the kernel's unwinders and the debuggers
 * print it (the patterns are {@link ReportLine}'s).
 */
final class TraceFrames {
  private TraceFrames() {}

  /** A frame parsed from a trace line, or null. */
  static @Nullable Frame frame(String text, int from, SourceSpan span) {
    if (!ReportShapes.mayBeFrame(text, from)) {
      return null;
    }
    String t = text.substring(from).stripTrailing();
    if (t.startsWith("__pfx_")) {
      return null;
    }
    if (t.startsWith("#")) {
      return debuggerFrame(t, span);
    }
    if ((t.startsWith("([<") && t.endsWith(")")) || (t.startsWith("[") && !t.startsWith("[<"))) {
      return bracketed(t, span);
    }
    Matcher m = ReportLine.NEW_FRAME.matcher(t);
    if (m.matches()) {
      if (m.group("func").startsWith("__pfx_")) {
        return null;
      }
      return new Frame(
          m.group("func"),
          m.group("off"),
          m.group("size"),
          m.group("mod"),
          null,
          m.group("q") == null,
          span);
    }
    if (t.startsWith("[<") || t.startsWith("? [<")) {
      Matcher a = ReportLine.ARM32_FRAME.matcher(t);
      if (a.lookingAt()) {
        return new Frame(
            a.group("func"),
            a.group("off"),
            a.group("size"),
            a.group("mod"),
            ReportLine.hex(a.group("addr")),
            true,
            span);
      }
      Matcher o = ReportLine.OLD_FRAME.matcher(t);
      if (o.lookingAt()) {
        return new Frame(
            o.group("func"),
            o.group("off"),
            o.group("size"),
            o.group("mod"),
            ReportLine.hex(o.group("addr")),
            o.group("q") == null && o.group("q1") == null,
            span);
      }
    }
    Matcher ad = ReportLine.ADDR_FRAME.matcher(t);
    if (ad.matches()) {
      String hex = ad.group("addr");
      Long addr = hex.length() <= 16 ? Long.parseUnsignedLong(hex, 16) : null;
      return new Frame("0x" + hex, null, null, null, addr, ad.group("q") == null, span);
    }
    Matcher d = ReportLine.DECODED_FRAME.matcher(t);
    if (d.matches()) {
      return new Frame(
          d.group("func"),
          d.group("off"),
          d.group("size"),
          d.group("mod"),
          null,
          d.group("q") == null,
          span);
    }
    return null;
  }

  /**
   * A frame as drgn ({@code #0 func+0x1/0x2 (file:line)}, {@code #1 0xffffffffc10ff5f3}) or gdb
   * ({@code #0 0x… in func (args) at file:line}) prints it, or null.
   */
  private static @Nullable Frame debuggerFrame(String t, SourceSpan span) {
    Matcher num = ReportLine.DEBUGGER_FRAME_NUMBER.matcher(t);
    if (!num.lookingAt()) {
      return null;
    }
    String rest = t.substring(num.end());
    Matcher g = ReportLine.GDB_FRAME.matcher(rest);
    if (g.matches()) {
      return new Frame(
          g.group("func"), null, null, null, ReportLine.hex(g.group("addr")), true, span);
    }
    Matcher src = ReportLine.SOURCE_SUFFIX.matcher(rest);
    boolean sourced = src.find();
    if (sourced) {
      rest = rest.substring(0, src.start());
    }
    Frame f = frame(rest, 0, span);
    if (f != null) {
      return f;
    }
    if (sourced && rest.matches("[A-Za-z_][A-Za-z0-9_.$]*")) {
      // drgn's inlined frame: a function and its source position, no address
      return new Frame(rest, null, null, null, null, true, span);
    }
    return null;
  }

  /**
   * s390's frame taken from r14 ({@code ([<…>] f+0x1/0x2)}) and powerpc's {@code [sp] [pc]
   * f+0x1/0x2} frames, or null.
   */
  private static @Nullable Frame bracketed(String t, SourceSpan span) {
    if (t.startsWith("([<") && t.endsWith(")")) {
      // s390: the frame taken from r14 rather than a stack slot, in parentheses (show_trace())
      Frame inner = frame(t.substring(1, t.length() - 1), 0, span);
      return inner == null
          ? null
          : new Frame(
              inner.function(),
              inner.offset(),
              inner.size(),
              inner.module(),
              inner.address(),
              false,
              span);
    }
    Matcher p = ReportLine.PPC_FRAME.matcher(t);
    if (p.matches()) {
      return new Frame(
          p.group("func"),
          p.group("off"),
          p.group("size"),
          p.group("mod"),
          ReportLine.hex(p.group("addr")),
          p.group("unreliable") == null,
          span);
    }
    return null;
  }
}
