package org.ktriage.analysis.classify;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.address.AddressClassifier;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.FaultingInstruction;
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
    FailureClass c = listChecker(oops, classifyReport(oops));
    return freedObject(oops, kasanNull(oops, freedMemory(oops, nullPage(oops, c))));
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
   * address 0x…}, arm32 and mips {@code … at virtual address …}; arm32's {@code Unhandled fault:
   * page domain fault (0x01b) at 0x00000000} and {@code Unhandled prefetch abort: … at 0x…}
   * (arch/arm/mm/fault.c do_DataAbort/do_PrefetchAbort, faults no handler fixes, such as domain
   * faults on the NULL page).
   */
  private static final Pattern FAULT_ADDRESS =
      Pattern.compile(
          "(?:Failing address: |Unable to handle kernel .*? at (?:virtual )?address (?:0x)?"
              + "|Unhandled (?:fault|prefetch abort): .{1,60}? at 0x)"
              + "([0-9a-fA-F]{1,16})\\b");

  /**
   * The first line of the page-table walk arm32 and arm64 print for a kernel fault (show_pte in
   * arch/arm/mm/fault.c: {@code [%08lx] *pgd=%08llx}; arch/arm64/mm/fault.c: {@code [%016lx]
   * pgd=%016llx}, or instead of the walk {@code [%016lx] address between user and kernel address
   * ranges} and {@code … user address but active_mm is swapper}): the bracket holds the fault
   * address, also when the message above was lost.
   */
  private static final Pattern SHOW_PTE =
      Pattern.compile(
          "^\\[([0-9a-f]{8,16})\\] (?:\\*?pgd=|address between user and kernel address ranges"
              + "|user address but active_mm is swapper)");

  /**
   * riscv's register dump ends with {@code status: … badaddr: … cause: …}
   * (arch/riscv/kernel/process.c __show_regs); badaddr (stval) is the faulting data or instruction
   * address for the access and page faults (causes 1, 5, 7, 12, 13, 15: the privileged spec's
   * exception codes), something else for the other causes.
   */
  private static final Pattern RISCV_BADADDR =
      Pattern.compile("\\bbadaddr: ([0-9a-f]{8,16}) cause: ([0-9a-f]{8,16})\\b");

  /**
   * powerpc's register dump prints {@code DAR: … DSISR: …} (BookE {@code DEAR: … ESR: …}) only for
   * data storage, alignment and machine-check interrupts (arch/powerpc/kernel/process.c show_regs):
   * the data address of the access.
   */
  private static final Pattern PPC_DAR =
      Pattern.compile("\\bDE?AR: ([0-9a-f]{8,16}) (?:DSISR|ESR): ");

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

  /**
   * The address a page-fault report faulted on: the headline's or CR2 (x86: the page-fault linear
   * address, read by arch/x86/mm/fault.c exc_page_fault) as ingest read it, else the line each
   * architecture prints it on.
   */
  public static @Nullable Long faultAddress(Oops oops) {
    if (oops.faultAddress() != null) {
      return oops.faultAddress();
    }
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), BODY_LINES);
    for (int i = -1; i < limit; i++) {
      String t = i < 0 ? oops.headline() : lines.get(i).text();
      Long a = archFaultAddress(t.strip());
      if (a != null) {
        return a;
      }
    }
    ExceptionFrame ip = oops.ip();
    if (ip != null && !ip.userMode() && ip.ip() != null && instructionFetch(oops, limit)) {
      // an instruction fetch faults on the program counter itself
      return ip.ip();
    }
    return null;
  }

  /**
   * The report shows an instruction fetch fault, whose faulting address is the program counter (a
   * jump or call through a bad pointer): x86 {@code #PF: supervisor instruction fetch} (v5.1+
   * arch/x86/mm/fault.c show_fault_oops) or the page-fault error code's X86_PF_INSTR bit (bit 4) in
   * the die header {@code Oops: 0010 [#1]} (page_fault_oops → __die("Oops", regs, error_code));
   * arm64 an instruction abort, ESR class 0x20/0x21 (IABT, arch/arm64/mm/fault.c die_kernel_fault →
   * die("Oops", regs, esr): {@code Internal error: Oops: 86000007}), which is also where arm32
   * marks a prefetch abort's status with FSR_LNX_PF, bit 31 (arch/arm/mm/fault.c do_PrefetchAbort);
   * powerpc an instruction storage or segment interrupt ({@code TRAP: 0400}, {@code 0480}:
   * arch/powerpc/mm/fault.c __bad_page_fault).
   */
  private static boolean instructionFetch(Oops oops, int limit) {
    List<LogRecord> lines = oops.lines();
    for (int i = -2; i < limit; i++) {
      String t =
          i == -2
              ? oops.headline()
              : i == -1 ? String.valueOf(oops.dieHeader()) : lines.get(i).text();
      if (INSTRUCTION_FETCH.matcher(t.strip()).find()) {
        return true;
      }
      Matcher m = X86_PF_ERROR_CODE.matcher(t.strip());
      if (m.find() && (Integer.parseInt(m.group(1), 16) & 0x10) != 0) {
        return true;
      }
      m = ARM_ABORT_STATUS.matcher(t.strip());
      if (m.find()) {
        long esr = Long.parseLong(m.group(1), 16);
        long ec = (esr >>> 26) & 0x3f;
        if (ec == 0x20 || ec == 0x21) {
          return true;
        }
      }
    }
    return false;
  }

  private static final Pattern INSTRUCTION_FETCH =
      Pattern.compile(
          "^#PF: supervisor instruction fetch|\\bTRAP: 04[08]0\\b"
              + "|Unable to handle kernel instruction fetch");

  /** x86's die header of a page fault: the error code (not s390's {@code Oops: 0011 ilc:1}). */
  private static final Pattern X86_PF_ERROR_CODE =
      Pattern.compile("^(?:Oops: )?Oops: ([0-9a-f]{4}) \\[#\\d+\\]");

  /** arm64 and arm32 die(): {@code Internal error: Oops: 86000007 [#1]} (ESR, FSR). */
  private static final Pattern ARM_ABORT_STATUS =
      Pattern.compile("^Internal error: Oops: ([0-9a-f]{8}|0{8}[0-9a-f]{8}) \\[#\\d+\\]");

  private static @Nullable Long archFaultAddress(String t) {
    try {
      Matcher m = FAULT_ADDRESS.matcher(t);
      if (m.find()) {
        return Long.parseUnsignedLong(m.group(1), 16);
      }
      m = SHOW_PTE.matcher(t);
      if (m.find()) {
        return Long.parseUnsignedLong(m.group(1), 16);
      }
      m = RISCV_BADADDR.matcher(t);
      if (m.find()) {
        long cause = Long.parseUnsignedLong(m.group(2), 16);
        return cause == 1 || cause == 5 || cause == 7 || cause == 12 || cause == 13 || cause == 15
            ? Long.parseUnsignedLong(m.group(1), 16)
            : null;
      }
      m = PPC_DAR.matcher(t);
      if (m.find()) {
        return Long.parseUnsignedLong(m.group(1), 16);
      }
    } catch (NumberFormatException e) {
      return null;
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
   * A fault whose own evidence shows it touched freed memory is a use-after-free, whatever trap the
   * CPU raised: the class says what the bug is when the text proves it.
   *
   * <ul>
   *   <li>slab poison: a freed object is filled with POISON_FREE 0x6b (include/linux/poison.h;
   *       mm/slub.c init_object under slub_debug=P or SLAB_POISON, mm/slab.c poison_obj), so a
   *       pointer loaded from it is 0x6b6b6b6b… (plus a member offset, page-masked on s390). A page
   *       fault at such an address, or a #GP (a 64-bit 0x6b… value is non-canonical) whose printed
   *       address or faulting operand's base register is one, used a freed object. List poison
   *       (LIST_POISON1/2, 0xdead…) is not enough: list_del() poisons entries that stay allocated.
   *   <li>DEBUG_PAGEALLOC: a freed page is unmapped from the kernel's direct map by clearing the
   *       present bit and keeping the frame (arch/x86/mm/pageattr.c __kernel_map_pages →
   *       __set_pages_np); x86 names the option in the die header (arch/x86/kernel/dumpstack.c
   *       __die_header) and dump_pagetable prints the walk, so a not-present kernel fault whose
   *       last entry still holds a frame with the present bit clear touched a freed page.
   * </ul>
   */
  private static FailureClass freedObject(Oops oops, FailureClass c) {
    if (c != FailureClass.PAGE_FAULT && c != FailureClass.GPF) {
      return c;
    }
    Long address = c == FailureClass.GPF ? gpAddress(oops) : faultAddress(oops);
    if (address != null && slabPoison(address)) {
      return FailureClass.USE_AFTER_FREE;
    }
    if (c == FailureClass.GPF && address == null) {
      FaultingInstruction insn = oops.faultingInstruction();
      if (insn != null && insn.baseValue() != null && slabPoison(insn.baseValue())) {
        return FailureClass.USE_AFTER_FREE;
      }
      // before v5.5 a #GP printed no address and an old Code: line may not decode: a register
      // of the faulting frame holding slab poison is the non-canonical pointer
      ExceptionFrame ip = oops.ip();
      if (insn == null && ip != null && poisonInRegisters(ip)) {
        return FailureClass.USE_AFTER_FREE;
      }
    }
    if (c == FailureClass.PAGE_FAULT && freedPage(oops, address)) {
      return FailureClass.USE_AFTER_FREE;
    }
    return c;
  }

  /**
   * The class of a CPU exception seen only as a saved frame on a stack (a {@code crash bt}
   * exception frame, no report text): a #GP with slab poison in a general register of the faulting
   * frame is a use of a freed object, by the same evidence {@link #classify} takes from a report
   * that printed no address and no decodable {@code Code:} line.
   */
  public static FailureClass ofSavedFrame(FailureClass c, ExceptionFrame frame) {
    return c == FailureClass.GPF && poisonInRegisters(frame) ? FailureClass.USE_AFTER_FREE : c;
  }

  /** A general register (not a control register) of the frame holds slab poison. */
  private static boolean poisonInRegisters(ExceptionFrame frame) {
    for (var r : frame.registers().values().entrySet()) {
      if (!r.getKey().startsWith("CR") && slabPoison(r.getValue())) {
        return true;
      }
    }
    return false;
  }

  /** The address a #GP header decodes (v5.5+: "… probably for non-canonical address 0x…"). */
  private static final Pattern GP_ADDRESS =
      Pattern.compile(
          "general protection fault,? (?:probably )?for (?:non-canonical )?address"
              + " 0x([0-9a-f]{1,16})");

  private static @Nullable Long gpAddress(Oops oops) {
    String header = oops.dieHeader() != null ? oops.dieHeader() : oops.headline();
    Matcher m = GP_ADDRESS.matcher(header);
    return m.find() ? Long.parseUnsignedLong(m.group(1), 16) : null;
  }

  /** POISON_FREE in a 64-bit pointer (six of eight bytes) or a 32-bit one (three of four). */
  private static boolean slabPoison(long v) {
    return AddressClassifier.poison(v).filter(p -> p.name().startsWith("POISON_FREE")).isPresent()
        || freedLength(v);
  }

  /** x86's die-header flag for page allocation debugging. */
  private static final Pattern DEBUG_PAGEALLOC_FLAG = Pattern.compile("\\bDEBUG_PAGEALLOC\\b");

  /** The last entry of x86's page-table walk (arch/x86/mm/fault.c dump_pagetable). */
  private static final Pattern WALK_PTE =
      Pattern.compile("^(?:PGD|PUD|PMD|P4D) .*\\bPTE ([0-9a-f]+)$");

  private static boolean freedPage(Oops oops, @Nullable Long address) {
    String header = oops.dieHeader();
    if (header == null
        || !DEBUG_PAGEALLOC_FLAG.matcher(header).find()
        || address == null
        || Long.compareUnsigned(address, 0xffff800000000000L) < 0) {
      return false;
    }
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), BODY_LINES);
    for (int i = 0; i < limit; i++) {
      Matcher m = WALK_PTE.matcher(lines.get(i).text().strip());
      if (m.find()) {
        try {
          long pte = Long.parseUnsignedLong(m.group(1), 16);
          // a frame kept (bits 12-51) with the present bit (bit 0) clear
          return (pte & 1) == 0 && (pte & 0x000ffffffffff000L) != 0;
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
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

  /**
   * lib/list_debug.c's checkers (__list_add_valid*, __list_del_entry_valid*) BUG() on a corrupted
   * list when CONFIG_BUG_ON_DATA_CORRUPTION is set: a BUG or trap whose program counter is in one
   * of them is list corruption, also when the message line before it was lost.
   */
  private static final Pattern LIST_CHECKER = Pattern.compile("^__list_(?:add|del_entry)_valid");

  private static FailureClass listChecker(Oops oops, FailureClass c) {
    if (c != FailureClass.BUG && c != FailureClass.INVALID_OPCODE) {
      return c;
    }
    ExceptionFrame ip = oops.ip();
    return ip != null && ip.function() != null && LIST_CHECKER.matcher(ip.function()).find()
        ? FailureClass.LIST_CORRUPTION
        : c;
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
