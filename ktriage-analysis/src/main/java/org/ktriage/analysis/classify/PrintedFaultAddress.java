package org.ktriage.analysis.classify;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;

/**
 * The address a page-fault report faulted on, read from the line each architecture prints it on
 * (x86 CR2 and headline as ingest read them, s390, powerpc, arm32/arm64, mips, riscv), or the
 * program counter of an instruction fetch fault.
 */
public final class PrintedFaultAddress {

  private PrintedFaultAddress() {}

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
   * The address a page-fault report faulted on: the headline's or CR2 (x86: the page-fault linear
   * address, read by arch/x86/mm/fault.c exc_page_fault) as ingest read it, else the line each
   * architecture prints it on.
   */
  public static @Nullable Long of(Oops oops) {
    if (oops.faultAddress() != null) {
      return oops.faultAddress();
    }
    List<LogRecord> lines = oops.lines();
    int limit = Math.min(lines.size(), FailureClassifier.BODY_LINES);
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
}
