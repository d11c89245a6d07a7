package org.ktriage.analysis.classify;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.address.AddressClassifier;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;
import org.ktriage.model.kind.ReportKinds;
import org.ktriage.model.kind.ReportRole;
import org.ktriage.model.kind.Wording;

/**
 * Classifies what the kernel printed (an oops headline, die header, report body or panic message)
 * into the {@link FailureClass} vocabulary. The knowledge is the report-kind table's ({@link
 * ReportKinds}: its class wordings, the class of each header, the panic wordings); this class is
 * only the engine that applies it in order (formats.md §7, playbook §1–§18): specific wordings
 * first, then the class of a kind the table titles itself, then the generic headers' wordings.
 */
public final class FailureClassifier {

  private FailureClassifier() {}

  /** Lines read from a report body to find overrides and a class when the headline has none. */
  private static final int BODY_LINES = 60;

  /** The class of one report. */
  public static FailureClass classify(Oops oops) {
    return kasanNull(oops, freedMemory(oops, nullPage(oops, classifyReport(oops))));
  }

  /**
   * The end of the addresses nothing is ever mapped at: x86 (arch/x86/mm/fault.c show_fault_oops),
   * arm64 (arch/arm64/mm/fault.c die_kernel_fault), powerpc and riscv call a fault below PAGE_SIZE
   * a NULL pointer dereference, but a member at a large offset of a NULL struct pointer faults
   * higher ({@code NODE_DATA(nid)->node_zonelists} is 0x1608 bytes in). User space may not map
   * below {@code vm.mmap_min_addr} (mm/Kconfig DEFAULT_MMAP_MIN_ADDR, security/Kconfig
   * LSM_MMAP_MIN_ADDR: 65536 where distributions set it) and the kernel maps nothing there, so a
   * kernel access below 64 KiB is a NULL pointer plus an offset.
   */
  private static final long NULL_PAGE_END = 0x10000;

  /**
   * The fault address of architectures whose fault message does not say NULL: s390 {@code Failing
   * address: …} (arch/s390/mm/fault.c dump_fault_info), ppc before v5.2 {@code … for data at
   * address 0x…}, arm32 and mips {@code … at virtual address …}.
   */
  private static final Pattern FAULT_ADDRESS =
      Pattern.compile(
          "(?:Failing address: |Unable to handle kernel .*? at (?:virtual )?address (?:0x)?)"
              + "([0-9a-fA-F]{1,16})\\b");

  /**
   * A page fault (or an illegal instruction) inside the first page is a NULL pointer dereference
   * whatever the architecture calls it: a read or write through a NULL pointer plus a small member
   * offset, or a call through a NULL function pointer (the program counter itself in page 0).
   */
  private static FailureClass nullPage(Oops oops, FailureClass c) {
    if (c != FailureClass.PAGE_FAULT && c != FailureClass.INVALID_OPCODE) {
      return c;
    }
    ExceptionFrame ip = oops.ip();
    if (ip != null
        && !ip.userMode()
        && ip.ip() != null
        && Long.compareUnsigned(ip.ip(), NULL_PAGE_END) < 0) {
      return FailureClass.NULL_DEREF;
    }
    if (c != FailureClass.PAGE_FAULT) {
      return c;
    }
    Long address = faultAddress(oops);
    return address != null && Long.compareUnsigned(address, NULL_PAGE_END) < 0
        ? FailureClass.NULL_DEREF
        : c;
  }

  private static @Nullable Long faultAddress(Oops oops) {
    if (oops.faultAddress() != null) {
      // the headline's address or CR2 (x86: the page-fault linear address, read by
      // arch/x86/mm/fault.c exc_page_fault)
      return oops.faultAddress();
    }
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), BODY_LINES);
    for (int i = -1; i < limit; i++) {
      String t = i < 0 ? oops.headline() : lines.get(i).text();
      Matcher m = FAULT_ADDRESS.matcher(t);
      if (m.find()) {
        try {
          return Long.parseUnsignedLong(m.group(1), 16);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * usercopy's report of a copy from a slab object (mm/usercopy.c usercopy_abort): "… from SLUB
   * object 'kmalloc-512' (offset 0, size 1802201963)!"; the length read from a freed object.
   */
  private static final Pattern USERCOPY_SIZE =
      Pattern.compile(
          "usercopy: Kernel memory \\w+ attempt detected .*\\(offset \\d+, size (\\d+)\\)");

  /**
   * A usercopy report whose length is slab poison reads a freed object: the slab allocator fills a
   * freed object with POISON_FREE 0x6b (include/linux/poison.h; mm/slub.c init_object under
   * slub_debug/SLAB_POISON), and usercopy checked a length read from it (mm/usercopy.c
   * __check_heap_object → usercopy_abort). A fault or #GP through a poison pointer keeps the class
   * the CPU raised (the lab's use-after-free scenario is a #GP); the use-after-free-poison rule
   * says what the value means.
   */
  private static FailureClass freedMemory(Oops oops, FailureClass c) {
    if (c != FailureClass.BUG) {
      return c;
    }
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), BODY_LINES);
    for (int i = -1; i < limit; i++) {
      Matcher m = USERCOPY_SIZE.matcher(i < 0 ? oops.headline() : lines.get(i).text());
      if (m.find()) {
        try {
          return freedLength(Long.parseLong(m.group(1))) ? FailureClass.USE_AFTER_FREE : c;
        } catch (NumberFormatException e) {
          return c;
        }
      }
    }
    return c;
  }

  /** A 32-bit length made of POISON_FREE bytes (at least three of four). */
  private static boolean freedLength(long v) {
    if ((v >>> 32) != 0) {
      return false;
    }
    int b = 0;
    for (int i = 0; i < 4; i++) {
      if (((v >>> (8 * i)) & 0xff) == 0x6b) {
        b++;
      }
    }
    return b >= 3;
  }

  /**
   * A #GP under KASAN_INLINE before v5.1 (see {@link #kasanShadowCheck}) is a NULL pointer
   * dereference.
   */
  private static FailureClass kasanNull(Oops oops, FailureClass c) {
    if (c != FailureClass.GPF || !kasanShadowCheck(oops)) {
      return c;
    }
    // a freed or deleted object's pointer (slab or list poison) also fails the shadow check
    ExceptionFrame ip = oops.ip();
    if (ip != null) {
      for (Long v : ip.registers().values().values()) {
        if (AddressClassifier.poison(v).filter(p -> !p.name().startsWith("KASAN")).isPresent()) {
          return c;
        }
      }
    }
    return FailureClass.NULL_DEREF;
  }

  /**
   * x86's die header names CONFIG_KASAN ("general protection fault: 0000 [#1] SMP KASAN",
   * arch/x86/kernel/dumpstack.c __die_header); before v5.1 it did not print the #GP's address.
   */
  private static final Pattern KASAN_DIE_FLAG =
      Pattern.compile("^general protection fault: [0-9a-f]{4} \\[#\\d+\\].* KASAN\\b");

  /**
   * A #GP of a KASAN_INLINE kernel before v5.1, whose header carries no address: the compiler's
   * check reads the shadow byte at (addr >> 3) + 0xdffffc0000000000, which is non-canonical only
   * for an address in the lower half (arch/x86/mm/kasan_init_64.c kasan_die_handler then says "GPF
   * could be caused by NULL-ptr deref or user memory access"). The kernel does not touch user
   * memory through plain pointers, so it is a NULL pointer plus an offset; v5.1+ prints the range
   * itself ("KASAN: null-ptr-deref in range", a body override).
   */
  private static boolean kasanShadowCheck(Oops oops) {
    String header = oops.dieHeader() != null ? oops.dieHeader() : oops.headline();
    return KASAN_DIE_FLAG.matcher(header.strip()).find();
  }

  private static FailureClass classifyReport(Oops oops) {
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), BODY_LINES);
    for (Wording r : ReportKinds.BODY_OVERRIDES) {
      for (int i = 0; i < limit; i++) {
        if (r.pattern().matcher(lines.get(i).text()).find()) {
          return r.failureClass();
        }
      }
      if (oops.ip() != null
          && oops.ip().function() != null
          && r.pattern().matcher(oops.ip().function()).find()) {
        return r.failureClass();
      }
    }
    FailureClass c = classifyText(oops.headline());
    if (c != FailureClass.UNKNOWN) {
      if (c == FailureClass.PAGE_FAULT && oops.headline().startsWith("Oops")) {
        // A bare die header: a body line may say more.
        FailureClass body = classifyLines(lines, limit);
        return body == FailureClass.UNKNOWN ? c : body;
      }
      if (c == FailureClass.EXPLICIT_PANIC) {
        return c;
      }
      return c;
    }
    if (oops.dieHeader() != null) {
      c = classifyText(oops.dieHeader());
      if (c != FailureClass.UNKNOWN) {
        return c;
      }
    }
    c = classifyLines(lines, limit);
    if (c != FailureClass.UNKNOWN) {
      return c;
    }
    c = kindClass(oops.headline());
    if (c != FailureClass.UNKNOWN) {
      return c;
    }
    if (oops.panicMessage() != null) {
      c = classifyPanic(oops.panicMessage());
      if (c == FailureClass.UNKNOWN && isFatalException(oops.panicMessage())) {
        // "Fatal exception" is printed only after die() (x86 oops_end, arm64/s390/powerpc die) of
        // an exception taken in kernel mode; with the die header lost, the commonest path there is
        // a kernel page fault (x86 page_fault_oops, arm64 die_kernel_fault, s390 do_no_context).
        return FailureClass.PAGE_FAULT;
      }
      return c;
    }
    return FailureClass.UNKNOWN;
  }

  /**
   * The class the report-kind table gives the headline's kind, when the rows above know nothing of
   * it (a kind added as one table entry); headers that open a report only with a body prove
   * nothing.
   */
  private static FailureClass kindClass(String headline) {
    String t = headline.strip();
    ReportKinds.Match m = ReportKinds.match(t, 0);
    if (m == null || m.kind().role() == ReportRole.TENTATIVE) {
      return FailureClass.UNKNOWN;
    }
    return m.kind().failureClass();
  }

  private static FailureClass classifyLines(List<LogRecord> lines, int limit) {
    for (int i = 0; i < limit; i++) {
      FailureClass c = classifyText(lines.get(i).text());
      if (c != FailureClass.UNKNOWN && c != FailureClass.EXPLICIT_PANIC) {
        return c;
      }
    }
    return FailureClass.UNKNOWN;
  }

  /** The class a single printed line names, or UNKNOWN. */
  public static FailureClass classifyText(@Nullable String text) {
    if (text == null) {
      return FailureClass.UNKNOWN;
    }
    String t = text.strip();
    int panic = t.indexOf("Kernel panic - not syncing:");
    if (panic >= 0) {
      return classifyPanic(t.substring(panic + "Kernel panic - not syncing:".length()));
    }
    return wordingClass(t);
  }

  /** The class the table's wordings and headers give one line, in the table's order. */
  private static FailureClass wordingClass(String t) {
    for (Wording r : ReportKinds.CLASS_WORDINGS) {
      if (r.pattern().matcher(t).find()) {
        return r.failureClass();
      }
    }
    // A kind that carries its own title is a specific header: its class stands before the
    // generic "BUG:"/"WARNING:"/"Oops" wordings.
    ReportKinds.Match m = ReportKinds.match(t, 0);
    if (m != null && m.kind().title() != null && m.kind().failureClass() != FailureClass.UNKNOWN) {
      return m.kind().failureClass();
    }
    for (Wording r : ReportKinds.GENERIC_WORDINGS) {
      if (r.pattern().matcher(t).find()) {
        return r.failureClass();
      }
    }
    return FailureClass.UNKNOWN;
  }

  /**
   * The trigger a panic message names; {@code Fatal exception} and oops headlines (crash's {@code
   * PANIC:} string) give the class of the report; any other message is an explicit panic.
   */
  public static FailureClass classifyPanic(String message) {
    String m = panicText(message);
    for (Wording r : ReportKinds.PANIC_WORDINGS) {
      if (r.pattern().matcher(m).find()) {
        return r.failureClass();
      }
    }
    if (m.startsWith("Fatal exception") || m.contains("Oopsed too often")) {
      return FailureClass.UNKNOWN;
    }
    FailureClass c = wordingClass(m);
    return c == FailureClass.UNKNOWN ? FailureClass.EXPLICIT_PANIC : c;
  }

  /** The detector or policy a panic message names (lockup, stall, OOM, …), or UNKNOWN. */
  public static FailureClass panicDetector(String message) {
    String m = panicText(message);
    for (Wording r : ReportKinds.PANIC_WORDINGS) {
      if (r.pattern().matcher(m).find()) {
        return r.failureClass();
      }
    }
    return FailureClass.UNKNOWN;
  }

  /** True for panic messages that only say an oops was fatal (the oops names the class). */
  public static boolean isFatalException(String message) {
    String m = panicText(message);
    return m.startsWith("Fatal exception") || m.contains("Oopsed too often");
  }

  private static final String PANIC_PREFIX = "Kernel panic - not syncing:";

  /**
   * The message panic() was given, without the {@code Kernel panic - not syncing:} prefix that
   * crash's {@code PANIC:} string keeps.
   */
  public static String panicText(String message) {
    String m = message.strip();
    int at = m.indexOf(PANIC_PREFIX);
    return at >= 0 ? m.substring(at + PANIC_PREFIX.length()).strip() : m;
  }
}
