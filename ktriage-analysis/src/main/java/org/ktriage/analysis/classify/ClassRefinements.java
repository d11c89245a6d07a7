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

/**
 * The refinements of a report's class: what the CPU raised or a generic header printed (a page
 * fault, a #GP, a BUG, an invalid opcode) made precise by the report's own evidence, such as the
 * fault address, slab poison in a pointer, DEBUG_PAGEALLOC's page walk or the function that
 * BUG()ed. They are not report kinds (no header says them; the report-kind table's wordings decide
 * which message is which class) and live only here: one method each, applied in the order of {@link
 * #IN_ORDER}, each to the class the one before gave.
 */
public final class ClassRefinements {

  private ClassRefinements() {}

  /** One refinement: the class it was given, or a more precise one the report proves. */
  @FunctionalInterface
  private interface Refinement {
    FailureClass refine(Oops oops, FailureClass c);
  }

  /** The refinements, in the order they apply. */
  private static final List<Refinement> IN_ORDER =
      List.of(
          ClassRefinements::listChecker,
          ClassRefinements::nullPage,
          ClassRefinements::freedMemory,
          ClassRefinements::kasanNull,
          ClassRefinements::kasanRange,
          ClassRefinements::freedObject,
          ClassRefinements::slabFreeCheck);

  /** The class {@code c} the wordings gave one report, refined by that report's evidence. */
  static FailureClass refine(Oops oops, FailureClass c) {
    FailureClass refined = c;
    for (Refinement r : IN_ORDER) {
      refined = r.refine(oops, refined);
    }
    return refined;
  }

  /**
   * The class of a CPU exception seen only as a saved frame on a stack (a {@code crash bt}
   * exception frame, no report text): a #GP with slab poison in a general register of the faulting
   * frame is a use of a freed object, by the same evidence {@link #freedObject} takes from a report
   * that printed no address and no decodable {@code Code:} line; and the headline crash keeps as
   * its {@code PANIC:} string (null when none) says more than the trap: a #UD the kernel reported
   * as {@code kernel BUG at} is a BUG(), a #PF it reported as a NULL pointer dereference is one.
   */
  public static FailureClass ofSavedFrame(
      FailureClass c, ExceptionFrame frame, @Nullable String panicMessage) {
    FailureClass fault =
        c == FailureClass.GPF && poisonInRegisters(frame) ? FailureClass.USE_AFTER_FREE : c;
    if (panicMessage == null) {
      return fault;
    }
    FailureClass said = FailureClassifier.classifyText(FailureClassifier.panicText(panicMessage));
    if ((fault == FailureClass.INVALID_OPCODE && said == FailureClass.BUG)
        || (fault == FailureClass.PAGE_FAULT && said == FailureClass.NULL_DEREF)) {
      return said;
    }
    return fault;
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
    Long address = PrintedFaultAddress.of(oops);
    return address != null && Long.compareUnsigned(address, NULL_PAGE_END) < 0
        ? FailureClass.NULL_DEREF
        : c;
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
    int limit = Math.min(lines.size(), FailureClassifier.BODY_LINES);
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
    Long address = c == FailureClass.GPF ? gpAddress(oops) : PrintedFaultAddress.of(oops);
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

  /** SLUB's BUG sites: {@code kernel BUG at mm/slub.c:LINE!} (lib/bug.c report_bug). */
  private static final Pattern SLUB_BUG = Pattern.compile("kernel BUG at mm/slub\\.c:\\d+");

  /**
   * A BUG() in mm/slub.c raised in a SLUB free function whose only BUG site is {@code
   * set_freepointer()}'s {@code BUG_ON(object == fp)} under CONFIG_SLAB_FREELIST_HARDENED ("naive
   * detection of double free or corruption", v4.14+; inlined through {@code do_slab_free} into
   * {@code kmem_cache_free} and v6.1-v6.4's {@code __kmem_cache_free}): the object being freed
   * already heads the CPU freelist, a double free. {@code kfree} itself is not taken: before v5.17
   * it also BUG()s on a pointer that is no slab object ({@code BUG_ON(!PageCompound(page))}), an
   * invalid free the text cannot tell apart; a dump's memory can (the double-free rule).
   */
  private static FailureClass slabFreeCheck(Oops oops, FailureClass c) {
    if (c != FailureClass.BUG && c != FailureClass.INVALID_OPCODE) {
      return c;
    }
    ExceptionFrame ip = oops.ip();
    if (ip == null || ip.function() == null || !SLUB_FREELIST_CHECKERS.contains(ip.function())) {
      return c;
    }
    if (SLUB_BUG.matcher(oops.headline()).find()) {
      return FailureClass.DOUBLE_FREE;
    }
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), FailureClassifier.BODY_LINES);
    for (int i = 0; i < limit; i++) {
      if (SLUB_BUG.matcher(lines.get(i).text()).find()) {
        return FailureClass.DOUBLE_FREE;
      }
    }
    return c;
  }

  /** The SLUB free functions whose one BUG site is set_freepointer's double-free check. */
  private static final java.util.Set<String> SLUB_FREELIST_CHECKERS =
      java.util.Set.of(
          "kmem_cache_free",
          "__kmem_cache_free",
          "kmem_cache_free_bulk",
          "slab_free",
          "do_slab_free",
          "set_freepointer");

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
    int limit = Math.min(lines.size(), FailureClassifier.BODY_LINES);
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
   * KASAN's decoding of a #GP on a shadow address (mm/kasan/report.c kasan_non_canonical_hook(),
   * called by x86 die_addr() right after the die header, v5.5+): {@code "KASAN: %s in range
   * [0x%016lx-0x%016lx]"} with the access's real address range; captured: its start.
   */
  private static final Pattern KASAN_RANGE =
      Pattern.compile(
          "^KASAN: (?:null-ptr-deref|probably user-memory-access|maybe wild-memory-access)"
              + " in range \\[0x([0-9a-f]{1,16})-");

  /**
   * A #GP whose KASAN range starts below 64 KiB is a NULL pointer plus a member offset ({@link
   * #NULL_PAGE_END}), whatever KASAN calls it: kasan_non_canonical_hook() says "null-ptr-deref"
   * only for the first page and "probably user-memory-access" for the rest of the lower half, so a
   * member 0x1948 bytes into a NULL struct pointer is printed as a user-memory access. The class
   * convention is in docs/class-conventions.md.
   */
  private static FailureClass kasanRange(Oops oops, FailureClass c) {
    if (c != FailureClass.GPF) {
      return c;
    }
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), FailureClassifier.BODY_LINES);
    for (int i = 0; i < limit; i++) {
      Matcher m = KASAN_RANGE.matcher(lines.get(i).text().strip());
      if (m.find()) {
        long start = Long.parseUnsignedLong(m.group(1), 16);
        return Long.compareUnsigned(start, NULL_PAGE_END) < 0 ? FailureClass.NULL_DEREF : c;
      }
    }
    return c;
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
}
