package org.ktriage.ingest.insn;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.MemoryOperand.Access;

/**
 * The operand side of the x86-64 decoder: the bytes and the position in them, legacy and REX
 * prefixes, ModRM/SIB/displacement decoding (Intel SDM vol. 2, chapter 2 "Instruction Format"), the
 * register names by operand size, objdump's AT&amp;T operand text and the memory operands an
 * instruction touches. {@link X86TwoByteOpcodes} and {@link X86Decoder} hold the opcode maps.
 */
abstract class X86InstructionReader {
  static final String[] R64 = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
    "r14", "r15"
  };
  static final String[] R32 = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d",
    "r13d", "r14d", "r15d"
  };
  static final String[] R16 = {
    "ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w",
    "r14w", "r15w"
  };
  static final String[] R8_REX = {
    "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b",
    "r13b", "r14b", "r15b"
  };
  static final String[] R8_LEGACY = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
  static final String[] SEG = {"es", "cs", "ss", "ds", "fs", "gs"};
  static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
  static final String[] SHIFT = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
  static final String[] CC = {
    "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"
  };

  final byte[] b;
  final int limit;
  final long address;
  int pos;

  // prefixes
  boolean opsize;
  boolean adsize;
  boolean lock;
  boolean rep;
  boolean repne;
  @Nullable String segment;
  @Nullable String ignoredSegment;
  int opsizePrefixes;
  int rex;

  // ModRM
  int mod;
  int reg;
  int rm;
  @Nullable Mem mem;

  boolean memOnlySuffix;
  final List<MemoryOperand> implicit = new ArrayList<>();

  X86InstructionReader(byte[] b, int off, int limit, long address) {
    this.b = b;
    this.pos = off;
    this.limit = limit;
    this.address = address;
  }

  /** The end of the bytes came inside the instruction. */
  static final class Truncated extends Exception {
    private static final long serialVersionUID = 1L;

    Truncated() {
      super(null, null, false, false);
    }
  }

  /** A decoded ModRM memory operand before formatting. */
  record Mem(
      @Nullable String segment,
      @Nullable String base,
      @Nullable String index,
      int scale,
      long disp,
      boolean dispPrinted,
      boolean rip,
      boolean addr32) {}

  int u8() throws Truncated {
    if (pos >= limit) {
      throw new Truncated();
    }
    return b[pos++] & 0xff;
  }

  long s8() throws Truncated {
    return (byte) u8();
  }

  long s16() throws Truncated {
    int lo = u8();
    return (short) (lo | (u8() << 8));
  }

  long s32() throws Truncated {
    int v = u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
    return v;
  }

  long u64() throws Truncated {
    long lo = s32() & 0xffffffffL;
    long hi = s32() & 0xffffffffL;
    return lo | (hi << 32);
  }

  boolean rexW() {
    return (rex & 8) != 0;
  }

  int opSize() {
    return rexW() ? 8 : opsize ? 2 : 4;
  }

  /** Operand size of instructions that default to 64 bits in long mode (push, pop, call, jmp). */
  int stackOpSize() {
    return opsize && !rexW() ? 2 : 8;
  }

  String gpr(int n, int size) {
    return "%"
        + switch (size) {
          case 8 -> R64[n];
          case 4 -> R32[n];
          case 2 -> R16[n];
          default -> rex != 0 ? R8_REX[n] : n < 8 ? R8_LEGACY[n] : R8_REX[n];
        };
  }

  void modrm() throws Truncated {
    int m = u8();
    mod = m >> 6;
    reg = ((m >> 3) & 7) | ((rex & 4) << 1);
    rm = m & 7;
    if (mod == 3) {
      rm |= (rex & 1) << 3;
      mem = null;
      return;
    }
    String[] regs = adsize ? R32 : R64;
    String base = null;
    String index = null;
    int scale = 1;
    long disp = 0;
    boolean dispPrinted = false;
    boolean rip = false;
    if (rm == 4) {
      int sib = u8();
      scale = 1 << (sib >> 6);
      int idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
      int bas = (sib & 7) | ((rex & 1) << 3);
      if (idx != 4) {
        index = regs[idx];
      }
      if ((sib & 7) == 5 && mod == 0) {
        disp = s32();
        dispPrinted = true;
      } else {
        base = regs[bas];
      }
    } else if (rm == 5 && mod == 0) {
      rip = true;
      disp = s32();
      dispPrinted = true;
      base = adsize ? "eip" : "rip";
    } else {
      base = regs[rm | ((rex & 1) << 3)];
    }
    if (mod == 1) {
      disp = s8();
      dispPrinted = true;
    } else if (mod == 2) {
      disp = s32();
      dispPrinted = true;
    }
    if (index == null) {
      scale = 1;
    }
    mem = new Mem(segment, base, index, scale, disp, dispPrinted, rip, adsize);
  }

  static String signedHex(long v) {
    return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
  }

  static String memText(Mem m) {
    StringBuilder s = new StringBuilder();
    if (m.segment() != null) {
      s.append('%').append(m.segment()).append(':');
    }
    if (m.base() == null && m.index() == null) {
      long a = m.addr32() ? m.disp() & 0xffffffffL : m.disp();
      return s.append("0x").append(Long.toHexString(a)).toString();
    }
    if (m.dispPrinted()) {
      s.append(signedHex(m.disp()));
    }
    s.append('(');
    if (m.base() != null) {
      s.append('%').append(m.base());
    }
    if (m.index() != null) {
      s.append(",%").append(m.index()).append(',').append(m.scale());
    }
    return s.append(')').toString();
  }

  MemoryOperand operand(Mem m, int width, Access access) {
    return new MemoryOperand(
        memText(m),
        m.segment(),
        m.rip() || m.base() == null ? null : registerName(m.base()),
        m.index() == null ? null : registerName(m.index()),
        m.scale(),
        m.disp(),
        m.rip(),
        width,
        access);
  }

  /** The register dump's name for an address register ({@code RCX}, {@code R8}). */
  static String registerName(String r) {
    String u = r.toUpperCase(java.util.Locale.ROOT);
    if (u.startsWith("E")) {
      u = "R" + u.substring(1);
    } else if (u.startsWith("R") && u.endsWith("D")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /** The r/m operand: a register of {@code size} or the memory operand. */
  String rmText(int size) {
    Mem m = mem;
    return m == null ? gpr(rm, size) : memText(m);
  }

  String imm(long v, int size) {
    long masked =
        switch (size) {
          case 1 -> v & 0xff;
          case 2 -> v & 0xffff;
          case 4 -> v & 0xffffffffL;
          default -> v;
        };
    return "$0x" + Long.toHexString(masked);
  }

  long immz(int size) throws Truncated {
    return size == 2 ? s16() : s32();
  }

  String target(long rel) {
    return "0x" + Long.toHexString(address + (pos - start) + rel);
  }

  int start;

  static String suffix(int size) {
    return switch (size) {
      case 1 -> "b";
      case 2 -> "w";
      case 4 -> "l";
      default -> "q";
    };
  }

  final List<MemoryOperand> explicit = new ArrayList<>();

  /** Records the r/m memory operand (if any) with its width and access. */
  void access(int width, Access a) {
    Mem m = mem;
    if (m != null) {
      explicit.add(operand(m, width, a));
    }
  }

  void stack(long disp, int width, Access a) {
    implicit.add(
        new MemoryOperand(signedHex(disp) + "(%rsp)", null, "RSP", null, 1, disp, false, width, a));
  }

  /**
   * The instruction in objdump form. {@code ops} are in AT&amp;T order (source first); a {@code
   * sized} instruction whose operands are memory and immediates only gets the size suffix.
   */
  DecodedInstruction done(String mnemonic, boolean sized, int size, String... ops) {
    String m = mnemonic;
    if (sized && mem != null && memOnlySuffix) {
      m += suffix(size);
    }
    if (lock) {
      m = "lock " + m;
    }
    if (ignoredSegment != null) {
      m = ignoredSegment + " " + m;
    }
    for (int i = 1; i < opsizePrefixes; i++) {
      m = "data16 " + m;
    }
    String text = ops.length == 0 ? m : m + " " + String.join(",", ops);
    List<MemoryOperand> all = new ArrayList<>(explicit);
    all.addAll(implicit);
    return new DecodedInstruction(pos - start, m, text, all);
  }
}
