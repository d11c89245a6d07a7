package org.ktriage.ingest.text;

import java.util.List;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.kind.ReportKind;

/**
 * Reads the lines of a report that name the faulting program counter, one per arch and era: x86
 * {@code RIP: 0010:func+off/size} and {@code EIP: 0060:[<addr>]}, the v2.6–v4.x {@code IP: [<addr>]
 * func+off/size} and {@code EIP is at func+off/size}, ppc {@code NIP [addr] func+off/size}, s390
 * {@code Krnl PSW : … (func+off/size)}, the trailing {@code RIP [<addr>] func} of old x86 reports,
 * and arm/arm64/riscv/mips {@code PC is at}/{@code pc :}/{@code epc :} lines ({@link
 * ReportLine#PC_PREFIXES}); and the site a WARN() or generic BUG() header names when no such line
 * was printed.
 */
final class ProgramCounterLine {
  private ProgramCounterLine() {}

  /**
   * What a program-counter line did: the report's exception frame afterwards ({@code ip}, the
   * previous one when the line adds nothing) and whether the line confirms a tentative report.
   */
  record Read(TraceBuilder.@Nullable PendingException ip, boolean confirms) {}

  /**
   * Reads one line given the report's exception frame so far; null when the line is not a
   * program-counter line. The first such line wins; a later line only names a function the first
   * one left unnamed.
   */
  static @Nullable Read read(
      String text, int from, SourceSpan span, TraceBuilder.@Nullable PendingException ip) {
    char c = from < text.length() ? text.charAt(from) : '\0';
    if ((c == 'R' || c == 'E')
        && (text.startsWith("RIP: ", from) || text.startsWith("EIP: ", from))) {
      TraceBuilder.PendingException e = rip(text, from, span);
      if (e != null) {
        return new Read(ip == null ? e : ip, true);
      }
    }
    if (c == 'I' && text.startsWith("IP: ", from)) {
      Matcher m = ReportLine.IP.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        return new Read(ip == null ? pending(m, span, false, m.group("addr")) : ip, false);
      }
    }
    if (c == 'E' && text.startsWith("EIP is at ", from)) {
      Read r = eipIsAt(text, from, span, ip);
      if (r != null) {
        return r;
      }
    }
    if (c == 'N' && text.startsWith("NIP [", from)) {
      Matcher m = ReportLine.PPC_NIP.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        TraceBuilder.PendingException next = ip;
        if (ip == null || ip.function == null) {
          next = pending(m, span, false, m.group("addr"));
        }
        return new Read(next, true);
      }
    }
    if ((c == 'K' || c == 'U') && text.startsWith(" PSW : ", from + 4)) {
      Matcher m = ReportLine.S390_PSW.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        TraceBuilder.PendingException next = ip;
        if (ip == null) {
          next = pending(m, span, m.group("mode").equals("User"), m.group("addr"));
        }
        return new Read(next, true);
      }
    }
    if ((c == 'R' || c == 'E')
        && (text.startsWith("RIP ", from)
            || text.startsWith("EIP ", from)
            || text.startsWith("EIP: [<", from))) {
      Matcher m = ReportLine.RIP_TRAILER.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        return new Read(ip == null ? pending(m, span, false, m.group("addr")) : ip, false);
      }
    }
    if (startsWithAny(text, from, ReportLine.PC_PREFIXES)) {
      Matcher m = ReportLine.ARM_PC.matcher(text);
      m.region(from, text.length());
      if (m.lookingAt()) {
        TraceBuilder.PendingException next = ip;
        if (ip == null) {
          String addr = m.group("addr") != null ? m.group("addr") : m.group("uaddr");
          next = pending(m, span, false, addr);
        } else if (ip.function == null && (m.group("func") != null || m.group("bare") != null)) {
          next = pending(m, span, false, null);
        }
        return new Read(next, true);
      }
    }
    return null;
  }

  /**
   * i386 before v4.x: {@code EIP is at func+off/size} (arch/x86/kernel/process_32.c), which names
   * the function of an {@code EIP: 0060:[<addr>]} line printed before it.
   */
  private static @Nullable Read eipIsAt(
      String text, int from, SourceSpan span, TraceBuilder.@Nullable PendingException ip) {
    Matcher m = ReportLine.EIP_IS_AT.matcher(text);
    m.region(from, text.length());
    if (!m.lookingAt()) {
      return null;
    }
    TraceBuilder.PendingException next = ip;
    if (ip == null) {
      next = pending(m, span, false, m.group("uaddr"));
    } else if (ip.function == null && m.group("func") != null) {
      next =
          new TraceBuilder.PendingException(
              m.group("func"), m.group("off"), group(m, "mod"), ip.ip, ip.userMode, ip.source);
      next.registers.putAll(ip.registers);
    }
    return new Read(next, true);
  }

  static boolean startsWithAny(String text, int from, List<String> prefixes) {
    for (String p : prefixes) {
      if (text.startsWith(p, from)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The function a WARN() header names, for arches that print no register block for a warning
   * (arm32 and mips __warn() print only the trace): {@code WARNING: CPU: 0 PID: 1 at file:line
   * func+off/size [mod]} (v4.x+), {@code WARNING: at file:line [addr] func[+off/size] [mod]()}
   * (v2.6–v4.x, kernel/panic.c warn_slowpath_common()); also the generic BUG() of arches without
   * their own (asm-generic/bug.h, LKL, UML): {@code BUG: failure at file:line/func()!}.
   */
  static TraceBuilder.@Nullable PendingException warnSite(
      ReportKind rule, String headline, SourceSpan span) {
    Matcher m =
        switch (rule.family()) {
          case "warning" -> ReportLine.WARN_SITE.matcher(headline);
          case "bug" -> ReportLine.GENERIC_BUG_SITE.matcher(headline);
          default -> null;
        };
    if (m == null) {
      return null;
    }
    if (!m.find()) {
      return null;
    }
    return pending(m, span, false, null);
  }

  /** An x86 {@code RIP: cs:addr|func+off/size} line, user mode by its code segment selector. */
  static TraceBuilder.@Nullable PendingException rip(String text, int from, SourceSpan span) {
    Matcher m = ReportLine.RIP.matcher(text);
    m.region(from, text.length());
    if (!m.lookingAt()) {
      return null;
    }
    String cs = m.group("cs");
    boolean user = cs.equals("0033") || cs.equals("0023") || cs.equals("0073");
    String addr = m.group("addr") != null ? m.group("addr") : m.group("uaddr");
    return pending(m, span, user, addr);
  }

  static TraceBuilder.PendingException pending(
      Matcher m, SourceSpan span, boolean user, @Nullable String addr) {
    String func = group(m, "func");
    if (func == null) {
      func = group(m, "bare");
    }
    return new TraceBuilder.PendingException(
        func,
        func == null ? null : group(m, "off"),
        group(m, "mod"),
        ReportLine.hex(addr),
        user,
        span);
  }

  private static @Nullable String group(Matcher m, String name) {
    try {
      return m.group(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
