package org.ktriage.analysis.order;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.classify.PrintedFaultAddress;
import org.ktriage.model.AddressKind;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FailureClass;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.Oops;

/**
 * Where the bad address of a failure comes from: the headline or {@code CR2} of a page fault, the
 * decoded operand of a #GP, and without either (a {@code crash} session's exception frame) the
 * faulting instruction's registers.
 */
public final class FaultAddress {

  private FaultAddress() {}

  /** A fault address, its class, and the register it was read from when it was not printed. */
  public record Found(long value, @Nullable AddressKind kind, @Nullable String register) {}

  /** A register value that is the likely fault address. */
  public record RegisterGuess(String register, long value, AddressKind kind) {}

  /** The "address 0x…" a #GP report decodes from the faulting operand (arch/x86/kernel/traps.c). */
  private static final Pattern GPF_ADDRESS = Pattern.compile("address (0x[0-9a-fA-F]+)");

  /** Modules keep their data within this distance of their code (one module mapping). */
  private static final long OWN_MODULE_REACH = 2L << 20;

  /**
   * The bad address a report names: the headline/CR2 address of a page fault, the decoded operand
   * of a #GP (never CR2, which is stale for #GP), the address of a KASAN/KFENCE access.
   */
  static @Nullable Long ofReport(Oops o, FailureClass c) {
    switch (c) {
      case PAGE_FAULT, NULL_DEREF -> {
        // the address line of the arch (arm show_pte, riscv badaddr, ppc DAR) when ingest kept none
        return PrintedFaultAddress.of(o);
      }
      case USE_AFTER_FREE -> {
        // a page fault or #GP on freed memory (ClassRefinements): its address either way
        Matcher m = GPF_ADDRESS.matcher(o.headline());
        if (o.headline().contains("general protection") && m.find()) {
          return Long.parseUnsignedLong(m.group(1).substring(2), 16);
        }
        return PrintedFaultAddress.of(o);
      }
      case STACK_OVERFLOW -> {
        return o.faultAddress();
      }
      default -> {
        Matcher m = GPF_ADDRESS.matcher(o.headline());
        if (m.find()) {
          return Long.parseUnsignedLong(m.group(1).substring(2), 16);
        }
        return null;
      }
    }
  }

  /**
   * The fault address of a saved exception frame of class {@code c}: its CR2 for a page fault (CR2
   * is stale for anything else, playbook §3), else for a page fault or an unknown exception a
   * register guess; null when none.
   */
  static @Nullable Found ofSite(CrashFacts f, ExceptionFrame e, FailureClass c) {
    Long cr2 = e.registers().get("CR2");
    if (cr2 != null && (c == FailureClass.PAGE_FAULT || c == FailureClass.NULL_DEREF)) {
      return new Found(cr2, f.addresses().classify(cr2), null);
    }
    if (c == FailureClass.PAGE_FAULT || c == FailureClass.UNKNOWN) {
      Found decoded = ofInstruction(f, e);
      if (decoded != null) {
        return decoded;
      }
      RegisterGuess g = guess(f, e);
      if (g != null) {
        return new Found(g.value(), g.kind(), g.register());
      }
    }
    return null;
  }

  /**
   * The address the frame's known instruction accesses (a crash session's {@code dis} line at the
   * RIP): its memory operand names the register, no guessing; null when it has no memory access or
   * a register value is missing.
   */
  private static @Nullable Found ofInstruction(CrashFacts f, ExceptionFrame e) {
    FaultingInstruction i = e.instruction();
    MemoryOperand m = i == null ? null : i.memory();
    Long ea = i == null ? null : i.effectiveAddress();
    if (m == null || ea == null || m.access() == MemoryOperand.Access.NONE) {
      return null;
    }
    return new Found(ea, f.addresses().classify(ea), m.base());
  }

  /**
   * Without CR2 (a crash session's exception frame), the faulting instruction's registers hold the
   * bad address: prefer a module-area value no loaded module covers, then a poison value.
   */
  public static @Nullable RegisterGuess guess(CrashFacts f, ExceptionFrame e) {
    RegisterGuess poison = null;
    long ip = e.ip() == null ? 0 : e.ip();
    boolean moduleCode = e.ip() != null && f.addresses().classify(ip) == AddressKind.MODULE_AREA;
    for (Map.Entry<String, Long> r : e.registers().values().entrySet()) {
      String name = r.getKey();
      if (name.equals("RIP") || name.equals("RSP") || name.equals("PC") || name.equals("LR")) {
        continue;
      }
      long v = r.getValue();
      AddressKind k = f.addresses().classify(v);
      // Code running in a module keeps pointers to its own data: near its RIP, a module-area
      // value is that module's, not a dangling one.
      boolean nearOwnCode = moduleCode && Math.abs(v - ip) < OWN_MODULE_REACH;
      if (k == AddressKind.MODULE_AREA && f.moduleCovering(v).isEmpty() && !nearOwnCode) {
        return new RegisterGuess(name, v, k);
      }
      if (k == AddressKind.POISON && poison == null) {
        poison = new RegisterGuess(name, v, k);
      }
    }
    return poison;
  }
}
