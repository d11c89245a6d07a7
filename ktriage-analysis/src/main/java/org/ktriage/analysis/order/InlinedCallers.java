package org.ktriage.analysis.order;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.stack.FrameNames;
import org.ktriage.model.FailureClass;
import org.ktriage.model.Frame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;

/**
 * The function whose code is at a frame's address when the compiler inlined it into the function
 * kallsyms names. A symbolized trace (scripts/decode_stacktrace.sh and syzkaller's symbolizer run
 * {@code addr2line -i}; syzkaller's pkg/report symbolizeLine()) prints every function inlined at an
 * address as a line {@code "g file.c:123 [inline]"} above the line of the symbol that holds it,
 * innermost first: at {@code f+0x…} the code that faulted, or that made the call the trace returns
 * to, is {@code g}'s, and a fix changes {@code g} ({@code alloc_sk_msg()}, inlined into {@code
 * sk_psock_skb_ingress_self()}, is what calls {@code kzalloc()} under RCU). A function inlined from
 * a header ({@code .h}: syzkaller's pkg/report guiltyFileIgnores never blames a header) or one of
 * {@link org.ktriage.model.kind.ReportingFrames} (a primitive, an allocator, a checker) is a helper
 * the code called and is passed over, as is a syscall or interrupt entry.
 */
final class InlinedCallers {

  private InlinedCallers() {}

  /** An inlined function line: {@code "g file.c:123 [inline]"} (the column optional). */
  private static final Pattern INLINED =
      Pattern.compile("(?<![\\w.$])([A-Za-z_][\\w.$]*) (\\S+):\\d+(?::\\d+)? \\[inline\\]\\s*$");

  /**
   * What may precede a trace frame's or a register line's symbol: bracketed addresses, a {@code ?}
   * mark, and x86's {@code RIP: 0010:}, arm64's {@code pc : }, powerpc's {@code NIP [..] }.
   */
  private static final String LEAD =
      "^\\s*(?:\\[[^\\]]*\\]\\s*)*(?:(?:RIP|IP|pc|PC|NIP)\\s*:?\\s*(?:\\[[^\\]]*\\]\\s*)?"
          + "(?:[0-9a-fA-F]{4}:)?\\s*)?";

  /** Most inlined lines read above one frame. */
  private static final int MAX_CHAIN = 32;

  /**
   * The primary blaming the function inlined at its frame's address, or {@code p} unchanged when
   * the report's text prints no inlined function there that is to blame.
   *
   * @param lines the report's lines in print order
   */
  static Primary refine(FailureClass c, Primary p, List<LogRecord> lines) {
    String fn = p.function();
    if (fn == null) {
      return p;
    }
    Frame inlined = at(c, fn, p.module(), lines);
    return inlined == null ? p : p.withFrame(inlined);
  }

  /**
   * The innermost function to blame that the report prints as inlined at the first printed frame or
   * register line of {@code function} that has inlined lines above it, or null.
   */
  static @Nullable Frame at(
      FailureClass c, String function, @Nullable String module, List<LogRecord> lines) {
    Pattern printed =
        Pattern.compile(LEAD + Pattern.quote(function) + "(?:\\.[\\w.]+)?\\+0x[0-9a-fA-F]+");
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).text();
      if (Culprits.endsOwnStack(text)) {
        return null;
      }
      // every match holds the function's name: a line without it is passed over without a search
      if (!text.contains(function) || !printed.matcher(text).find()) {
        continue;
      }
      int top = i;
      while (top > 0 && i - top < MAX_CHAIN && INLINED.matcher(lines.get(top - 1).text()).find()) {
        top--;
      }
      if (top < i) {
        return innermost(c, lines.subList(top, i), module);
      }
    }
    return null;
  }

  /**
   * The symbol kallsyms printed for the frame that holds {@code p}'s function when the report
   * prints that function only as inlined from a source file ({@code "g file.c:123 [inline]"} lines
   * above {@code f+0x…}, no frame of its own): {@code p} naming {@code f}, the name a report of the
   * same bug without symbolization prints (its signature's frame); else {@code p} itself.
   */
  static Primary asPrinted(Primary p, CrashFacts f) {
    String fn = p.function();
    if (fn == null) {
      return p;
    }
    String b = FrameNames.base(fn);
    for (Oops o : f.report().oopses()) {
      for (Frame fr : Culprits.framesOf(o)) {
        if (FrameNames.base(fr.function()).equals(b)) {
          return p;
        }
      }
    }
    List<LogRecord> lines = f.logLines();
    Pattern own = Pattern.compile("(?<![\\w.$])" + Pattern.quote(fn) + "(?:\\.[\\w.]+)?\\+0x");
    String holder = null;
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).text();
      if (own.matcher(text).find()) {
        return p;
      }
      Matcher m = INLINED.matcher(text);
      if (holder == null
          && m.find()
          && !m.group(2).endsWith(".h")
          && FrameNames.base(m.group(1)).equals(b)) {
        holder = holderBelow(lines, i);
      }
    }
    return holder == null
        ? p
        : p.withFrame(new Frame(holder, null, null, p.module(), null, true, null));
  }

  /**
   * The symbol printed after the chain of inlined lines that line {@code at} is part of, or null.
   */
  private static @Nullable String holderBelow(List<LogRecord> lines, int at) {
    for (int k = at + 1; k < lines.size() && k <= at + MAX_CHAIN; k++) {
      String text = lines.get(k).text();
      if (INLINED.matcher(text).find()) {
        continue;
      }
      Matcher m = SYMBOL.matcher(text);
      return m.find() ? m.group(1) : null;
    }
    return null;
  }

  /** The symbol of a frame or register line: {@code f+0x…}. */
  private static final Pattern SYMBOL =
      Pattern.compile(LEAD + "([A-Za-z_][\\w$]*)(?:\\.[\\w.]+)?\\+0x[0-9a-fA-F]+");

  /** The first inlined function of a chain (innermost first) that is to blame, or null. */
  private static @Nullable Frame innermost(
      FailureClass c, List<LogRecord> chain, @Nullable String module) {
    for (LogRecord line : chain) {
      Matcher m = INLINED.matcher(line.text());
      if (!m.find()) {
        continue;
      }
      String name = m.group(1);
      String b = FrameNames.base(name);
      if (m.group(2).endsWith(".h")
          || Culprits.notCulprit(c, b)
          || FrameNames.entryKind(b).isPresent()
          || FrameNames.contextMarker(b).isPresent()) {
        continue;
      }
      return new Frame(name, null, null, module, null, true, line.source());
    }
    return null;
  }
}
