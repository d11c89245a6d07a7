package org.ktriage.ingest.insn;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.MemoryOperand.Access;

/**
 * Decodes one x86-64 (long mode) instruction into objdump's AT&amp;T form, down to its memory
 * operand: legacy and REX prefixes, ModRM, SIB, disp8/disp32, RIP-relative addressing and the one-
 * and two-byte opcodes that kernel code faults on (moves, arithmetic, bit operations, locked
 * atomics, string operations, control transfers, SSE moves). Layout per the Intel SDM vol. 2
 * (chapter 2 "Instruction Format", appendix A "Opcode Map"). Opcodes outside that set (VEX/EVEX,
 * x87, most SSE arithmetic) give null rather than a guess.
 */
public final class X86Decoder {
  private static final String[] R64 = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
    "r14", "r15"
  };
  private static final String[] R32 = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d",
    "r13d", "r14d", "r15d"
  };
  private static final String[] R16 = {
    "ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w",
    "r14w", "r15w"
  };
  private static final String[] R8_REX = {
    "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b",
    "r13b", "r14b", "r15b"
  };
  private static final String[] R8_LEGACY = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
  private static final String[] SEG = {"es", "cs", "ss", "ds", "fs", "gs"};
  private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
  private static final String[] SHIFT = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
  private static final String[] CC = {
    "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"
  };

  private final byte[] b;
  private final int limit;
  private final long address;
  private int pos;

  // prefixes
  private boolean opsize;
  private boolean adsize;
  private boolean lock;
  private boolean rep;
  private boolean repne;
  private @Nullable String segment;
  private @Nullable String ignoredSegment;
  private int opsizePrefixes;
  private int rex;

  // ModRM
  private int mod;
  private int reg;
  private int rm;
  private @Nullable Mem mem;

  private boolean memOnlySuffix;
  private final List<MemoryOperand> implicit = new ArrayList<>();

  private X86Decoder(byte[] b, int off, int limit, long address) {
    this.b = b;
    this.pos = off;
    this.limit = limit;
    this.address = address;
  }

  /**
   * Decodes the instruction at {@code bytes[offset]}; {@code address} is its virtual address (for
   * relative branch targets). Returns null when the bytes end inside the instruction or the opcode
   * is not one this decoder knows.
   */
  public static @Nullable DecodedInstruction decode(byte[] bytes, int offset, long address) {
    if (offset < 0 || offset >= bytes.length) {
      return null;
    }
    try {
      return new X86Decoder(bytes, offset, Math.min(bytes.length, offset + 15), address).run();
    } catch (Truncated e) {
      return null;
    }
  }

  /** The end of the bytes came inside the instruction. */
  private static final class Truncated extends Exception {
    private static final long serialVersionUID = 1L;

    Truncated() {
      super(null, null, false, false);
    }
  }

  /** A decoded ModRM memory operand before formatting. */
  private record Mem(
      @Nullable String segment,
      @Nullable String base,
      @Nullable String index,
      int scale,
      long disp,
      boolean dispPrinted,
      boolean rip,
      boolean addr32) {}

  private int u8() throws Truncated {
    if (pos >= limit) {
      throw new Truncated();
    }
    return b[pos++] & 0xff;
  }

  private long s8() throws Truncated {
    return (byte) u8();
  }

  private long s16() throws Truncated {
    int lo = u8();
    return (short) (lo | (u8() << 8));
  }

  private long s32() throws Truncated {
    int v = u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
    return v;
  }

  private long u64() throws Truncated {
    long lo = s32() & 0xffffffffL;
    long hi = s32() & 0xffffffffL;
    return lo | (hi << 32);
  }

  private boolean rexW() {
    return (rex & 8) != 0;
  }

  private int opSize() {
    return rexW() ? 8 : opsize ? 2 : 4;
  }

  /** Operand size of instructions that default to 64 bits in long mode (push, pop, call, jmp). */
  private int stackOpSize() {
    return opsize && !rexW() ? 2 : 8;
  }

  private String gpr(int n, int size) {
    return "%"
        + switch (size) {
          case 8 -> R64[n];
          case 4 -> R32[n];
          case 2 -> R16[n];
          default -> rex != 0 ? R8_REX[n] : n < 8 ? R8_LEGACY[n] : R8_REX[n];
        };
  }

  private void modrm() throws Truncated {
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

  private static String signedHex(long v) {
    return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
  }

  private static String memText(Mem m) {
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

  private MemoryOperand operand(Mem m, int width, Access access) {
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
  private static String registerName(String r) {
    String u = r.toUpperCase(java.util.Locale.ROOT);
    if (u.startsWith("E")) {
      u = "R" + u.substring(1);
    } else if (u.startsWith("R") && u.endsWith("D")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /** The r/m operand: a register of {@code size} or the memory operand. */
  private String rmText(int size) {
    Mem m = mem;
    return m == null ? gpr(rm, size) : memText(m);
  }

  private String imm(long v, int size) {
    long masked =
        switch (size) {
          case 1 -> v & 0xff;
          case 2 -> v & 0xffff;
          case 4 -> v & 0xffffffffL;
          default -> v;
        };
    return "$0x" + Long.toHexString(masked);
  }

  private long immz(int size) throws Truncated {
    return size == 2 ? s16() : s32();
  }

  private String target(long rel) {
    return "0x" + Long.toHexString(address + (pos - start) + rel);
  }

  private int start;

  private static String suffix(int size) {
    return switch (size) {
      case 1 -> "b";
      case 2 -> "w";
      case 4 -> "l";
      default -> "q";
    };
  }

  private final List<MemoryOperand> explicit = new ArrayList<>();

  /** Records the r/m memory operand (if any) with its width and access. */
  private void access(int width, Access a) {
    Mem m = mem;
    if (m != null) {
      explicit.add(operand(m, width, a));
    }
  }

  private void stack(long disp, int width, Access a) {
    implicit.add(
        new MemoryOperand(signedHex(disp) + "(%rsp)", null, "RSP", null, 1, disp, false, width, a));
  }

  /**
   * The instruction in objdump form. {@code ops} are in AT&amp;T order (source first); a {@code
   * sized} instruction whose operands are memory and immediates only gets the size suffix.
   */
  private DecodedInstruction done(String mnemonic, boolean sized, int size, String... ops) {
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

  private @Nullable DecodedInstruction run() throws Truncated {
    start = pos;
    int op;
    while (true) {
      op = u8();
      switch (op) {
        case 0x66 -> {
          opsize = true;
          opsizePrefixes++;
        }
        case 0x67 -> adsize = true;
        case 0xf0 -> lock = true;
        case 0xf2 -> repne = true;
        case 0xf3 -> rep = true;
        case 0x26 -> ignoredSegment = "es"; // no effect in long mode; objdump names it
        case 0x2e -> ignoredSegment = "cs";
        case 0x36 -> ignoredSegment = "ss";
        case 0x3e -> ignoredSegment = "ds";
        case 0x64 -> segment = "fs";
        case 0x65 -> segment = "gs";
        default -> {
          if ((op & 0xf0) == 0x40) {
            rex = op;
            op = u8();
          }
          return op == 0x0f ? twoByte() : oneByte(op);
        }
      }
    }
  }

  private @Nullable DecodedInstruction oneByte(int op) throws Truncated {
    int size = opSize();
    if (op < 0x40 && (op & 7) < 6) {
      String name = ALU[op >> 3];
      Access a = name.equals("cmp") ? Access.READ : Access.READ_WRITE;
      switch (op & 7) {
        case 0, 1 -> {
          int s = (op & 1) == 0 ? 1 : size;
          modrm();
          access(s, a);
          return done(name, true, s, gpr(reg, s), rmText(s));
        }
        case 2, 3 -> {
          int s = (op & 1) == 0 ? 1 : size;
          modrm();
          access(s, Access.READ);
          return done(name, true, s, rmText(s), gpr(reg, s));
        }
        case 4 -> {
          return done(name, false, 1, imm(s8(), 1), "%al");
        }
        default -> {
          return done(name, false, size, imm(immz(size), size), gpr(0, size));
        }
      }
    }
    if (op >= 0x50 && op <= 0x57) {
      stack(-8, 8, Access.WRITE);
      return done("push", false, 8, gpr((op & 7) | ((rex & 1) << 3), stackOpSize()));
    }
    if (op >= 0x58 && op <= 0x5f) {
      stack(0, 8, Access.READ);
      return done("pop", false, 8, gpr((op & 7) | ((rex & 1) << 3), stackOpSize()));
    }
    if (op >= 0x70 && op <= 0x7f) {
      long rel = s8();
      return done("j" + CC[op & 15], false, 0, target(rel));
    }
    if (op >= 0x91 && op <= 0x97) {
      return done("xchg", false, size, gpr((op & 7) | ((rex & 1) << 3), size), gpr(0, size));
    }
    if (op >= 0xb0 && op <= 0xb7) {
      return done("mov", false, 1, imm(s8(), 1), gpr((op & 7) | ((rex & 1) << 3), 1));
    }
    if (op >= 0xb8 && op <= 0xbf) {
      int r = (op & 7) | ((rex & 1) << 3);
      if (rexW()) {
        return done("movabs", false, 8, imm(u64(), 8), gpr(r, 8));
      }
      return done("mov", false, size, imm(immz(size), size), gpr(r, size));
    }
    switch (op) {
      case 0x63 -> {
        modrm();
        access(4, Access.READ);
        return done(rexW() ? "movslq" : "movsxd", false, 4, rmText(4), gpr(reg, size));
      }
      case 0x68 -> {
        stack(-8, 8, Access.WRITE);
        return done("push", false, 8, imm(immz(opsize ? 2 : 4), stackOpSize()));
      }
      case 0x6a -> {
        stack(-8, 8, Access.WRITE);
        return done("push", false, 8, imm(s8(), stackOpSize()));
      }
      case 0x69, 0x6b -> {
        modrm();
        access(size, Access.READ);
        long v = op == 0x69 ? immz(size) : s8();
        return done("imul", false, size, imm(v, size), rmText(size), gpr(reg, size));
      }
      case 0x80, 0x81, 0x83 -> {
        int s = op == 0x80 ? 1 : size;
        modrm();
        String name = ALU[reg & 7];
        access(s, name.equals("cmp") ? Access.READ : Access.READ_WRITE);
        long v = op == 0x81 ? immz(s) : s8();
        memOnlySuffix = true;
        return done(name, true, s, imm(v, s), rmText(s));
      }
      case 0x84, 0x85 -> {
        int s = op == 0x84 ? 1 : size;
        modrm();
        access(s, Access.READ);
        return done("test", false, s, gpr(reg, s), rmText(s));
      }
      case 0x86, 0x87 -> {
        int s = op == 0x86 ? 1 : size;
        modrm();
        access(s, Access.READ_WRITE);
        return done("xchg", false, s, gpr(reg, s), rmText(s));
      }
      case 0x88, 0x89 -> {
        int s = op == 0x88 ? 1 : size;
        modrm();
        access(s, Access.WRITE);
        return done("mov", false, s, gpr(reg, s), rmText(s));
      }
      case 0x8a, 0x8b -> {
        int s = op == 0x8a ? 1 : size;
        modrm();
        access(s, Access.READ);
        return done("mov", false, s, rmText(s), gpr(reg, s));
      }
      case 0x8c -> {
        modrm();
        if ((reg & 7) > 5) {
          return null;
        }
        access(2, Access.WRITE);
        return done("mov", false, 2, "%" + SEG[reg & 7], rmText(mem == null ? size : 2));
      }
      case 0x8e -> {
        modrm();
        if ((reg & 7) > 5) {
          return null;
        }
        access(2, Access.READ);
        return done("mov", false, 2, rmText(mem == null ? 4 : 2), "%" + SEG[reg & 7]);
      }
      case 0x8d -> {
        modrm();
        if (mem == null) {
          return null;
        }
        access(0, Access.NONE);
        return done("lea", false, size, rmText(size), gpr(reg, size));
      }
      case 0x8f -> {
        modrm();
        if ((reg & 7) != 0) {
          return null;
        }
        access(8, Access.WRITE);
        stack(0, 8, Access.READ);
        return done("pop", false, 8, rmText(stackOpSize()));
      }
      case 0x90 -> {
        if (rep) {
          return done("pause", false, 0);
        }
        if ((rex & 1) != 0) {
          return done("xchg", false, size, gpr(8, size), gpr(0, size));
        }
        return opsize ? done("xchg", false, 2, "%ax", "%ax") : done("nop", false, 0);
      }
      case 0x98 -> {
        return done(rexW() ? "cltq" : opsize ? "cbtw" : "cwtl", false, 0);
      }
      case 0x99 -> {
        return done(rexW() ? "cqto" : opsize ? "cwtd" : "cltd", false, 0);
      }
      case 0x9c -> {
        stack(-8, 8, Access.WRITE);
        return done("pushf", false, 0);
      }
      case 0x9d -> {
        stack(0, 8, Access.READ);
        return done("popf", false, 0);
      }
      case 0xa8 -> {
        return done("test", false, 1, imm(s8(), 1), "%al");
      }
      case 0xa9 -> {
        return done("test", false, size, imm(immz(size), size), gpr(0, size));
      }
      case 0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf -> {
        return string(op, size);
      }
      case 0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3 -> {
        int s = (op & 1) == 0 ? 1 : size;
        modrm();
        String name = SHIFT[reg & 7];
        access(s, Access.READ_WRITE);
        memOnlySuffix = true;
        if (op <= 0xc1) {
          return done(name, true, s, imm(s8(), 1), rmText(s));
        }
        if (op <= 0xd1) {
          return done(name, true, s, rmText(s));
        }
        return done(name, true, s, "%cl", rmText(s));
      }
      case 0xc2 -> {
        long v = s16();
        stack(0, 8, Access.READ);
        return done("ret", false, 0, imm(v, 2));
      }
      case 0xc3 -> {
        stack(0, 8, Access.READ);
        return done(rep ? "repz ret" : "ret", false, 0);
      }
      case 0xc6, 0xc7 -> {
        int s = op == 0xc6 ? 1 : size;
        modrm();
        if ((reg & 7) != 0) {
          return null;
        }
        access(s, Access.WRITE);
        long v = op == 0xc6 ? s8() : immz(s);
        memOnlySuffix = true;
        return done("mov", true, s, imm(v, s), rmText(s));
      }
      case 0xc9 -> {
        stack(0, 8, Access.READ);
        return done("leave", false, 0);
      }
      case 0xcc -> {
        return done("int3", false, 0);
      }
      case 0xcd -> {
        return done("int", false, 0, imm(s8(), 1));
      }
      case 0xcf -> {
        return done(rexW() ? "iretq" : "iret", false, 0);
      }
      case 0xe8 -> {
        long rel = s32();
        stack(-8, 8, Access.WRITE);
        return done("call", false, 0, target(rel));
      }
      case 0xe9 -> {
        long rel = s32();
        return done("jmp", false, 0, target(rel));
      }
      case 0xeb -> {
        long rel = s8();
        return done("jmp", false, 0, target(rel));
      }
      case 0xf4 -> {
        return done("hlt", false, 0);
      }
      case 0xf6, 0xf7 -> {
        int s = op == 0xf6 ? 1 : size;
        modrm();
        int r = reg & 7;
        memOnlySuffix = true;
        if (r <= 1) {
          access(s, Access.READ);
          long v = op == 0xf6 ? s8() : immz(s);
          return done("test", true, s, imm(v, s), rmText(s));
        }
        String[] names = {"", "", "not", "neg", "mul", "imul", "div", "idiv"};
        access(s, r <= 3 ? Access.READ_WRITE : Access.READ);
        return done(names[r], true, s, rmText(s));
      }
      case 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd -> {
        String[] names = {"clc", "stc", "cli", "sti", "cld", "std"};
        return done(names[op - 0xf8], false, 0);
      }
      case 0xfe -> {
        modrm();
        if ((reg & 7) > 1) {
          return null;
        }
        access(1, Access.READ_WRITE);
        memOnlySuffix = true;
        return done((reg & 7) == 0 ? "inc" : "dec", true, 1, rmText(1));
      }
      case 0xff -> {
        modrm();
        int r = reg & 7;
        switch (r) {
          case 0, 1 -> {
            access(size, Access.READ_WRITE);
            memOnlySuffix = true;
            return done(r == 0 ? "inc" : "dec", true, size, rmText(size));
          }
          case 2, 4 -> {
            access(8, Access.READ);
            if (r == 2) {
              stack(-8, 8, Access.WRITE);
            }
            return done(r == 2 ? "call" : "jmp", false, 0, "*" + rmText(8));
          }
          case 6 -> {
            access(8, Access.READ);
            stack(-8, 8, Access.WRITE);
            return done("push", false, 8, rmText(stackOpSize()));
          }
          default -> {
            return null;
          }
        }
      }
      default -> {
        return null;
      }
    }
  }

  /** movs/cmps/stos/lods/scas: implicit {@code %ds:(%rsi)} and {@code %es:(%rdi)} operands. */
  private DecodedInstruction string(int op, int size) {
    int s = (op & 1) == 0 ? 1 : size;
    String si = adsize ? "esi" : "rsi";
    String di = adsize ? "edi" : "rdi";
    String src = "%" + (segment != null ? segment : "ds") + ":(%" + si + ")";
    String dst = "%es:(%" + di + ")";
    MemoryOperand srcOp =
        new MemoryOperand(src, segment, registerName(si), null, 1, 0, false, s, Access.READ);
    String prefix = "";
    String name;
    List<String> ops = new ArrayList<>();
    switch (op & 0xfe) {
      case 0xa4 -> {
        name = "movs" + suffix(s);
        explicit.add(srcOp);
        explicit.add(
            new MemoryOperand(dst, null, registerName(di), null, 1, 0, false, s, Access.WRITE));
        ops.add(src);
        ops.add(dst);
        prefix = rep ? "rep " : "";
      }
      case 0xa6 -> {
        name = "cmps" + suffix(s);
        explicit.add(
            new MemoryOperand(dst, null, registerName(di), null, 1, 0, false, s, Access.READ));
        explicit.add(srcOp);
        ops.add(dst);
        ops.add(src);
        prefix = rep ? "repz " : repne ? "repnz " : "";
      }
      case 0xaa -> {
        name = "stos";
        explicit.add(
            new MemoryOperand(dst, null, registerName(di), null, 1, 0, false, s, Access.WRITE));
        ops.add(gpr(0, s));
        ops.add(dst);
        prefix = rep ? "rep " : "";
      }
      case 0xac -> {
        name = "lods";
        explicit.add(srcOp);
        ops.add(src);
        ops.add(gpr(0, s));
        prefix = rep ? "rep " : "";
      }
      default -> {
        name = "scas";
        explicit.add(
            new MemoryOperand(dst, null, registerName(di), null, 1, 0, false, s, Access.READ));
        ops.add(dst);
        ops.add(gpr(0, s));
        prefix = rep ? "repz " : repne ? "repnz " : "";
      }
    }
    return done(prefix + name, false, s, ops.toArray(new String[0]));
  }

  private @Nullable DecodedInstruction twoByte() throws Truncated {
    int op = u8();
    int size = opSize();
    if (op >= 0x40 && op <= 0x4f) {
      modrm();
      access(size, Access.READ);
      return done("cmov" + CC[op & 15], false, size, rmText(size), gpr(reg, size));
    }
    if (op >= 0x80 && op <= 0x8f) {
      long rel = s32();
      return done("j" + CC[op & 15], false, 0, target(rel));
    }
    if (op >= 0x90 && op <= 0x9f) {
      modrm();
      access(1, Access.WRITE);
      return done("set" + CC[op & 15], false, 1, rmText(1));
    }
    if (op >= 0xc8 && op <= 0xcf) {
      return done("bswap", false, size, gpr((op & 7) | ((rex & 1) << 3), size));
    }
    switch (op) {
      case 0x05 -> {
        return done("syscall", false, 0);
      }
      case 0x0b -> {
        return done("ud2", false, 0);
      }
      case 0x06 -> {
        return done("clts", false, 0);
      }
      case 0x09 -> {
        return done("wbinvd", false, 0);
      }
      case 0x30 -> {
        return done("wrmsr", false, 0);
      }
      case 0x31 -> {
        return done("rdtsc", false, 0);
      }
      case 0x32 -> {
        return done("rdmsr", false, 0);
      }
      case 0xa2 -> {
        return done("cpuid", false, 0);
      }
      case 0x1f -> {
        modrm();
        access(0, Access.NONE);
        memOnlySuffix = true;
        return done("nop", true, size, rmText(size));
      }
      case 0x18 -> {
        modrm();
        int r = reg & 7;
        if (mem == null || r > 3) {
          return null;
        }
        access(0, Access.NONE);
        String[] names = {"prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2"};
        return done(names[r], false, 0, rmText(8));
      }
      case 0x0d -> {
        modrm();
        if (mem == null || (reg & 7) > 1) {
          return null;
        }
        access(0, Access.NONE);
        return done((reg & 7) == 1 ? "prefetchw" : "prefetch", false, 0, rmText(8));
      }
      case 0x1e -> {
        if (rep && pos < limit && (b[pos] & 0xff) == 0xfa) {
          pos++;
          return done("endbr64", false, 0);
        }
        return null;
      }
      case 0x20, 0x22 -> {
        modrm();
        String cr = "%cr" + reg;
        String r64 = gpr(rm, 8);
        return op == 0x20 ? done("mov", false, 8, cr, r64) : done("mov", false, 8, r64, cr);
      }
      case 0xa3, 0xab, 0xb3, 0xbb -> {
        String name = op == 0xa3 ? "bt" : op == 0xab ? "bts" : op == 0xb3 ? "btr" : "btc";
        modrm();
        access(size, op == 0xa3 ? Access.READ : Access.READ_WRITE);
        return done(name, false, size, gpr(reg, size), rmText(size));
      }
      case 0xba -> {
        modrm();
        int r = reg & 7;
        if (r < 4) {
          return null;
        }
        String[] names = {"bt", "bts", "btr", "btc"};
        access(size, r == 4 ? Access.READ : Access.READ_WRITE);
        memOnlySuffix = true;
        return done(names[r - 4], true, size, imm(s8(), 1), rmText(size));
      }
      case 0xa4, 0xac -> {
        modrm();
        access(size, Access.READ_WRITE);
        return done(
            op == 0xa4 ? "shld" : "shrd", false, size, imm(s8(), 1), gpr(reg, size), rmText(size));
      }
      case 0xa5, 0xad -> {
        modrm();
        access(size, Access.READ_WRITE);
        return done(op == 0xa5 ? "shld" : "shrd", false, size, "%cl", gpr(reg, size), rmText(size));
      }
      case 0xaf -> {
        modrm();
        access(size, Access.READ);
        return done("imul", false, size, rmText(size), gpr(reg, size));
      }
      case 0xb0, 0xb1 -> {
        int s = op == 0xb0 ? 1 : size;
        modrm();
        access(s, Access.READ_WRITE);
        return done("cmpxchg", false, s, gpr(reg, s), rmText(s));
      }
      case 0xc0, 0xc1 -> {
        int s = op == 0xc0 ? 1 : size;
        modrm();
        access(s, Access.READ_WRITE);
        return done("xadd", false, s, gpr(reg, s), rmText(s));
      }
      case 0xb6, 0xb7, 0xbe, 0xbf -> {
        int from = (op & 1) == 0 ? 1 : 2;
        modrm();
        access(from, Access.READ);
        String name = (op < 0xbe ? "movz" : "movs") + suffix(from) + suffix(size);
        return done(name, false, size, rmText(from), gpr(reg, size));
      }
      case 0xb8, 0xbc, 0xbd -> {
        if (op == 0xb8 && !rep) {
          return null;
        }
        modrm();
        access(size, Access.READ);
        String name =
            op == 0xb8 ? "popcnt" : op == 0xbc ? (rep ? "tzcnt" : "bsf") : (rep ? "lzcnt" : "bsr");
        return done(name, false, size, rmText(size), gpr(reg, size));
      }
      case 0xc7 -> {
        modrm();
        int r = reg & 7;
        if (r == 1 && mem != null) {
          int w = rexW() ? 16 : 8;
          access(w, Access.READ_WRITE);
          return done(rexW() ? "cmpxchg16b" : "cmpxchg8b", false, 0, rmText(8));
        }
        if (mem == null && (r == 6 || r == 7)) {
          return done(r == 6 ? "rdrand" : "rdseed", false, size, gpr(rm, size));
        }
        return null;
      }
      case 0xae -> {
        modrm();
        int r = reg & 7;
        if (mem == null) {
          String[] fences = {null, null, null, null, null, "lfence", "mfence", "sfence"};
          String f = fences[r];
          return f == null || rep || opsize ? null : done(f, false, 0);
        }
        String[] names = {
          "fxsave", "fxrstor", "ldmxcsr", "stmxcsr", "xsave", "xrstor", "xsaveopt", "clflush"
        };
        String name = names[r];
        if (opsize && r == 7) {
          name = "clflushopt";
        } else if (opsize && r == 6) {
          name = "clwb";
        }
        if (rexW() && r != 2 && r != 3 && r < 7) {
          name += "64";
        }
        access(
            r == 2 ? 4 : r == 3 ? 4 : 0,
            r == 0 || r == 3 || r == 4 || r == 6
                ? Access.WRITE
                : r == 7 ? Access.NONE : Access.READ);
        return done(name, false, 0, rmText(8));
      }
      default -> {
        return sse(op);
      }
    }
  }

  /** The SSE moves kernel code uses to copy and clear memory (memcpy, crypto, RAID). */
  private @Nullable DecodedInstruction sse(int op) throws Truncated {
    String name;
    boolean store;
    int width = 16;
    switch (op) {
      case 0x10, 0x11 -> {
        name = rep ? "movss" : repne ? "movsd" : opsize ? "movupd" : "movups";
        width = rep ? 4 : repne ? 8 : 16;
        store = op == 0x11;
      }
      case 0x28, 0x29 -> {
        name = opsize ? "movapd" : "movaps";
        store = op == 0x29;
      }
      case 0x6f, 0x7f -> {
        if (!opsize && !rep) {
          return null;
        }
        name = rep ? "movdqu" : "movdqa";
        store = op == 0x7f;
      }
      case 0xe7 -> {
        if (!opsize) {
          return null;
        }
        name = "movntdq";
        store = true;
      }
      case 0x2b -> {
        name = opsize ? "movntpd" : "movntps";
        store = true;
      }
      case 0xd6 -> {
        if (!opsize) {
          return null;
        }
        name = "movq";
        width = 8;
        store = true;
      }
      case 0x6e, 0x7e -> {
        if (!opsize && !(rep && op == 0x7e)) {
          return null;
        }
        if (rep) {
          modrm();
          access(8, Access.READ);
          return done("movq", false, 8, rmTextXmm(), "%xmm" + reg);
        }
        int s = rexW() ? 8 : 4;
        name = rexW() ? "movq" : "movd";
        modrm();
        access(s, op == 0x6e ? Access.READ : Access.WRITE);
        String g = rmText(s);
        return op == 0x6e
            ? done(name, false, s, g, "%xmm" + reg)
            : done(name, false, s, "%xmm" + reg, g);
      }
      case 0xef, 0x57 -> {
        if (op == 0xef && !opsize) {
          return null;
        }
        name = op == 0xef ? "pxor" : opsize ? "xorpd" : "xorps";
        modrm();
        access(16, Access.READ);
        return done(name, false, 16, rmTextXmm(), "%xmm" + reg);
      }
      default -> {
        return null;
      }
    }
    modrm();
    access(width, store ? Access.WRITE : Access.READ);
    String x = "%xmm" + reg;
    return store
        ? done(name, false, width, x, rmTextXmm())
        : done(name, false, width, rmTextXmm(), x);
  }

  private String rmTextXmm() {
    Mem m = mem;
    return m == null ? "%xmm" + rm : memText(m);
  }
}
