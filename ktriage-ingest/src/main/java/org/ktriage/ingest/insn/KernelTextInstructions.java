package org.ktriage.ingest.insn;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.Oops;

/**
 * In a dump, decodes each report's faulting instruction from the kernel text in memory at its
 * instruction pointer (the saved {@code RIP}/{@code pc}, or {@code function+offset} through the
 * kernel's symbols) instead of the {@code Code:} line: the text as it ran, with alternatives and
 * static keys already patched. Where the text is not in the dump (a module unloaded since, a
 * filtered page), the {@code Code:} line's decoding stays.
 */
public final class KernelTextInstructions {
  private KernelTextInstructions() {}

  /**
   * The reports with their instruction decoded from the dump's kernel text; unchanged when the
   * dump's memory or symbols cannot be read (the reader reports that elsewhere).
   */
  public static List<Oops> decode(Vmcore dump, List<Oops> oopses) {
    KernelMemory km;
    try {
      km = dump.kernelMemory();
    } catch (UnreadableInputException e) {
      return oopses;
    }
    // the symbols however the dump reader got them (System.map, the VMCOREINFO entries, or the
    // tables found in the kernel image): an x86 oops names its RIP only as function+offset
    KallsymsTable syms = null;
    if (dump.vmcoreinfo() != null) {
      try {
        syms = dump.kallsyms();
      } catch (UnreadableInputException e) {
        syms = null;
      }
    }
    return decode(oopses, dump.arch(), km, syms);
  }

  /** The reports with their instruction decoded from kernel text where the dump holds it. */
  public static List<Oops> decode(
      List<Oops> oopses, String arch, KernelMemory memory, @Nullable KallsymsTable symbols) {
    List<Oops> out = new ArrayList<>(oopses.size());
    for (Oops o : oopses) {
      FaultingInstruction fi = fromText(o, arch, memory, symbols);
      out.add(fi == null ? o : o.withFaultingInstruction(fi));
    }
    return out;
  }

  private static @Nullable FaultingInstruction fromText(
      Oops o, String arch, KernelMemory memory, @Nullable KallsymsTable symbols) {
    ExceptionFrame ip = o.ip();
    if (ip == null || ip.userMode()) {
      return null;
    }
    boolean arm64 = arch.equals("arm64");
    if (!arm64 && !arch.equals("x86_64")) {
      return null;
    }
    Long address = ip.ip();
    if (address == null) {
      address = ip.registers().get(arm64 ? "PC" : "RIP");
    }
    if (address == null && symbols != null && ip.function() != null && ip.module() == null) {
      Long base = symbols.addressOf(ip.function());
      String off = ip.offset();
      if (base != null && off != null && off.startsWith("0x")) {
        try {
          address = base + Long.parseUnsignedLong(off.substring(2), 16);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    if (address == null) {
      return null;
    }
    byte[] text;
    try {
      text = memory.readExact(address, arm64 ? 4 : 15, "kernel text at the fault");
    } catch (MissingMemoryException e) {
      return null;
    }
    return FaultingInstructions.decode(
        arm64 ? "arm64" : "x86_64",
        "kernel-text",
        text,
        0,
        address,
        ip.registers(),
        o.faultAddress());
  }
}
