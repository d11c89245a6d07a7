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
public final class X86Decoder extends X86TwoByteOpcodes {
  private X86Decoder(byte[] b, int off, int limit, long address) {
    super(b, off, limit, address);
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
}
