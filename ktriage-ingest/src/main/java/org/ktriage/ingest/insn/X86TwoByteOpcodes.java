package org.ktriage.ingest.insn;

import org.jspecify.annotations.Nullable;
import org.ktriage.model.MemoryOperand.Access;

/**
 * The two-byte opcode map of the x86-64 decoder ({@code 0f xx}: conditional moves and jumps, setcc,
 * bit operations, cmpxchg/xadd, movzx/movsx, system instructions) and the SSE moves kernel code
 * copies and clears memory with (Intel SDM vol. 2, appendix A, table A-3).
 */
abstract class X86TwoByteOpcodes extends X86InstructionReader {
  X86TwoByteOpcodes(byte[] b, int off, int limit, long address) {
    super(b, off, limit, address);
  }

  @Nullable DecodedInstruction twoByte() throws Truncated {
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
