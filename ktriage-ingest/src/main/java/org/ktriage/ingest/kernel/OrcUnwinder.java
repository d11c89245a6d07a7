package org.ktriage.ingest.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.BtfMember;
import org.ktriage.ingest.btf.BtfStruct;

/**
 * Unwinds an x86_64 kernel stack with the ORC tables, step for step as {@code
 * arch/x86/kernel/unwind_orc.c} does: each entry gives the previous frame's stack pointer from SP,
 * BP or a saved register, and says whether the return address sits below it (CALL) or a {@code
 * pt_regs} does (REGS, REGS_PARTIAL: an interrupt or exception entry, which may switch stacks).
 */
public final class OrcUnwinder {
  /** Frames followed at most. */
  static final int MAX_FRAMES = 256;

  /** pt_regs member names and the register names {@code crash} prints for them, in its order. */
  private static final String[][] PT_REGS_NAMES = {
    {"ip", "RIP"},
    {"sp", "RSP"},
    {"flags", "RFLAGS"},
    {"ax", "RAX"},
    {"bx", "RBX"},
    {"cx", "RCX"},
    {"dx", "RDX"},
    {"si", "RSI"},
    {"di", "RDI"},
    {"bp", "RBP"},
    {"r8", "R8"},
    {"r9", "R9"},
    {"r10", "R10"},
    {"r11", "R11"},
    {"r12", "R12"},
    {"r13", "R13"},
    {"r14", "R14"},
    {"r15", "R15"},
    {"orig_ax", "ORIG_RAX"},
    {"cs", "CS"},
    {"ss", "SS"}
  };

  private final KernelView k;
  private final OrcTable orc;
  private final BtfStruct ptRegs;
  private final long ipOffset;

  /** An unwinder over the vmlinux ORC tables of a kernel. */
  public OrcUnwinder(KernelView k, OrcTable orc) throws UnreadableInputException {
    this.k = k;
    this.orc = orc;
    this.ptRegs = k.struct("pt_regs");
    this.ipOffset = ptRegs.offset("ip");
  }

  /** The ORC table. */
  public OrcTable table() {
    return orc;
  }

  /** Why an unwind stopped. */
  public enum Stop {
    /** The kernel marked the end of the stack (entry code, or user-mode pt_regs). */
    END_OF_STACK,
    /** An instruction pointer outside the ORC table (not kernel text, or module text). */
    NO_ORC,
    /** An ORC entry marked undefined, or a register the entry needs is unknown. */
    UNDEFINED,
    /** Stack memory could not be read, or the stack pointer moved backwards. */
    BAD_STACK,
    /** The frame limit was reached. */
    TOO_DEEP
  }

  /** The frames of one unwind and why it stopped. */
  public record Result(List<UnwoundFrame> frames, Stop stop) {
    public Result {
      frames = List.copyOf(frames);
    }
  }

  /**
   * Unwinds from a register state. The first frame is the function at {@code ip}, its slot {@code
   * sp}; {@code bp} 0 means unknown.
   */
  public Result unwind(long ip, long sp, long bp, List<StackRange> stacks) {
    List<UnwoundFrame> frames = new ArrayList<>();
    frames.add(frame(sp, ip, ip, stacks, null));
    return continueFrom(ip, sp, bp, false, null, stacks, frames);
  }

  /**
   * Unwinds from a return address found at {@code slot} (a stack scan candidate): the first frame
   * is the function containing that return address, as {@code crash} shows it.
   */
  public Result unwindFromSlot(long slot, long returnAddress, List<StackRange> stacks) {
    List<UnwoundFrame> frames = new ArrayList<>();
    frames.add(frame(slot, returnAddress, stacks, null));
    return continueFrom(returnAddress, slot + 8, 0, false, null, stacks, frames);
  }

  /** Continues an unwind whose first frames are already in {@code frames}. */
  Result continueFrom(
      long ip, long sp, long bp, List<StackRange> stacks, List<UnwoundFrame> frames) {
    return continueFrom(ip, sp, bp, false, null, stacks, new ArrayList<>(frames));
  }

  private Result continueFrom(
      long ip,
      long sp,
      long bp,
      boolean signal,
      @Nullable Map<String, Long> regs,
      List<StackRange> stacks,
      List<UnwoundFrame> frames) {
    try {
      while (frames.size() < MAX_FRAMES) {
        OrcTable.Entry e = orc.find(signal ? ip : ip - 1);
        if (e == null) {
          return new Result(frames, Stop.NO_ORC);
        }
        Long cfa = e.type() == OrcTable.Type.END_OF_STACK ? null : cfa(e, sp, bp, regs);
        if (cfa == null) {
          boolean end = e.type() == OrcTable.Type.END_OF_STACK;
          return new Result(frames, end ? Stop.END_OF_STACK : Stop.UNDEFINED);
        }
        long nextIp;
        long nextSp;
        Map<String, Long> nextRegs = null;
        boolean nextSignal;
        switch (e.type()) {
          case CALL -> {
            long slot = cfa - 8;
            nextIp = k.memory().readU64Le(slot);
            nextSp = cfa;
            nextSignal = e.signal();
            if (!movesUp(sp, nextSp, stacks)) {
              return new Result(frames, Stop.BAD_STACK);
            }
            frames.add(frame(slot, nextIp, stacks, null));
          }
          case REGS, REGS_PARTIAL -> {
            long regsAddr = e.type() == OrcTable.Type.REGS ? cfa : cfa - ipOffset;
            nextRegs = readPtRegs(regsAddr, e.type() == OrcTable.Type.REGS);
            Long rip = nextRegs.get("RIP");
            Long rsp = nextRegs.get("RSP");
            Long cs = nextRegs.get("CS");
            if (rip == null || rsp == null) {
              return new Result(frames, Stop.BAD_STACK);
            }
            nextIp = rip;
            nextSp = rsp;
            nextSignal = true;
            frames.add(frame(regsAddr, rip, stacks, nextRegs));
            if (cs != null && (cs & 3) != 0) {
              return new Result(frames, Stop.END_OF_STACK);
            }
            if (e.type() == OrcTable.Type.REGS_PARTIAL) {
              // Only the iret frame is valid; registers from before it are unknown.
              nextRegs = null;
            }
          }
          default -> {
            return new Result(frames, Stop.UNDEFINED);
          }
        }
        Long nextBp = nextBp(e, cfa, bp, nextRegs);
        if (nextBp == null) {
          return new Result(frames, Stop.UNDEFINED);
        }
        if (nextIp == 0) {
          return new Result(frames, Stop.END_OF_STACK);
        }
        ip = nextIp;
        sp = nextSp;
        bp = nextBp;
        signal = nextSignal;
        regs = nextRegs;
      }
      return new Result(frames, Stop.TOO_DEEP);
    } catch (UnreadableInputException unreadable) {
      return new Result(frames, Stop.BAD_STACK);
    }
  }

  /**
   * The canonical frame address of an ORC entry (arch/x86/kernel/unwind_orc.c {@code
   * unwind_next_frame()}: sp_reg plus sp_offset, through memory for the indirect kinds), or null
   * where it is undefined.
   */
  private @Nullable Long cfa(
      OrcTable.Entry e, long curSp, long curBp, @Nullable Map<String, Long> curRegs)
      throws UnreadableInputException {
    if (e.type() == OrcTable.Type.UNDEFINED) {
      return null;
    }
    long cfa;
    boolean indirect = false;
    switch (e.spReg()) {
      case OrcTable.REG_SP -> cfa = curSp + e.spOffset();
      case OrcTable.REG_BP -> {
        if (curBp == 0) {
          return null;
        }
        cfa = curBp + e.spOffset();
      }
      case OrcTable.REG_SP_INDIRECT -> {
        cfa = curSp;
        indirect = true;
      }
      case OrcTable.REG_BP_INDIRECT -> {
        if (curBp == 0) {
          return null;
        }
        cfa = curBp + e.spOffset();
        indirect = true;
      }
      case OrcTable.REG_R10, OrcTable.REG_R13, OrcTable.REG_DI, OrcTable.REG_DX -> {
        String name =
            switch (e.spReg()) {
              case OrcTable.REG_R10 -> "R10";
              case OrcTable.REG_R13 -> "R13";
              case OrcTable.REG_DI -> "RDI";
              default -> "RDX";
            };
        Long v = curRegs == null ? null : curRegs.get(name);
        if (v == null) {
          return null;
        }
        cfa = v;
      }
      default -> {
        return null;
      }
    }
    if (indirect) {
      cfa = k.memory().readU64Le(cfa);
      if (e.spReg() == OrcTable.REG_SP_INDIRECT) {
        cfa += e.spOffset();
      }
    }
    return cfa;
  }

  /** The caller's frame pointer as the entry's bp_reg says, or null where it is undefined. */
  private @Nullable Long nextBp(
      OrcTable.Entry e, long cfa, long curBp, @Nullable Map<String, Long> nextRegs)
      throws UnreadableInputException {
    long nextBp = curBp;
    switch (e.bpReg()) {
      case OrcTable.REG_UNDEFINED -> {
        if (nextRegs != null && nextRegs.get("RBP") != null) {
          nextBp = nextRegs.get("RBP");
        }
      }
      case OrcTable.REG_PREV_SP -> nextBp = k.memory().readU64Le(cfa + e.bpOffset());
      case OrcTable.REG_BP -> {
        if (curBp == 0) {
          nextBp = 0;
        } else {
          nextBp = k.memory().readU64Le(curBp + e.bpOffset());
        }
      }
      default -> {
        return null;
      }
    }
    return nextBp;
  }

  /** A CALL step must move up within one stack or leave it for another known stack. */
  private static boolean movesUp(long sp, long next, List<StackRange> stacks) {
    StackRange from = StackRange.find(stacks, sp);
    StackRange to = StackRange.find(stacks, next - 8);
    if (from != null && from.equals(to)) {
      return Long.compareUnsigned(next, sp) > 0;
    }
    return to != null || stacks.isEmpty();
  }

  private Map<String, Long> readPtRegs(long addr, boolean full) throws UnreadableInputException {
    KernelObject regs = KernelObject.read(k.memory(), ptRegs, addr);
    Map<String, Long> out = new LinkedHashMap<>();
    for (String[] pair : PT_REGS_NAMES) {
      if (!full && !isIretMember(pair[0])) {
        continue;
      }
      if (regs.layout().hasMember(pair[0])) {
        out.put(pair[1], regs.unsigned(pair[0]));
      }
    }
    return out;
  }

  private boolean isIretMember(String name) {
    return switch (name) {
      case "ip", "cs", "flags", "sp", "ss" -> true;
      default -> false;
    };
  }

  /**
   * A frame for {@code ip} found at {@code slot}. A return address (no {@code regs}) is named as
   * the kernel's own traces name it ({@code %pB}, {@code sprint_backtrace()}): by the symbol of the
   * byte before it, so a call that ends a function (to a noreturn callee) names its caller rather
   * than the next function; the offset stays that of the address itself.
   */
  UnwoundFrame frame(
      long slot, long ip, List<StackRange> stacks, @Nullable Map<String, Long> regs) {
    return frame(slot, ip, regs == null ? ip - 1 : ip, stacks, regs);
  }

  private UnwoundFrame frame(
      long slot, long ip, long lookup, List<StackRange> stacks, @Nullable Map<String, Long> regs) {
    return UnwoundFrame.symbolized(k, slot, ip, lookup, stacks, regs);
  }

  /** Members of pt_regs as this kernel lays them out (for tests and views). */
  List<BtfMember> ptRegsMembers() {
    return ptRegs.members();
  }
}
