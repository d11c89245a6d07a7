package org.ktriage.ingest.insn;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.MemoryOperand.Access;

/**
 * Decodes one A64 instruction word into objdump's form when it is a load or store: register with
 * unsigned, unscaled, pre- and post-indexed immediate or register offset, pairs, literal, exclusive
 * and ordered (LDXR/STXR/LDAR/STLR), compare-and-swap (CAS) and LSE atomics (LDADD/SWP/…).
 * Encodings per the Arm ARM (DDI 0487) section C4.1 "Loads and Stores". Other instructions give
 * null, except {@code brk} (BUG() and WARN() on arm64) and {@code nop}.
 */
public final class Arm64Decoder {
  private Arm64Decoder() {}

  /** Decodes {@code insn} (the little-endian word as the kernel prints it) at {@code address}. */
  public static @Nullable DecodedInstruction decode(int insn, long address) {
    if ((insn & 0xffe0001f) == 0xd4200000) {
      return plain("brk", "brk #0x" + Integer.toHexString((insn >>> 5) & 0xffff));
    }
    if (insn == 0xd503201f) {
      return plain("nop", "nop");
    }
    if ((insn & 0x3b000000) == 0x39000000) {
      return unsignedOffset(insn);
    }
    if ((insn & 0x3b200000) == 0x38000000) {
      return immediate9(insn);
    }
    if ((insn & 0x3b200c00) == 0x38200800) {
      return registerOffset(insn);
    }
    if ((insn & 0x3b200c00) == 0x38200000) {
      return atomic(insn);
    }
    if ((insn & 0x3a000000) == 0x28000000) {
      return pair(insn);
    }
    if ((insn & 0x3f000000) == 0x08000000) {
      return exclusive(insn);
    }
    if ((insn & 0x3b000000) == 0x18000000) {
      return literal(insn, address);
    }
    return null;
  }

  private static DecodedInstruction plain(String mnemonic, String text) {
    return new DecodedInstruction(4, mnemonic, text, List.of());
  }

  private static String x(int n) {
    return n == 31 ? "xzr" : "x" + n;
  }

  private static String w(int n) {
    return n == 31 ? "wzr" : "w" + n;
  }

  /** The base register: 31 is the stack pointer. */
  private static String base(int n) {
    return n == 31 ? "sp" : "x" + n;
  }

  /** The register dump's name of a base register. */
  private static String dumpName(int n) {
    return n == 31 ? "SP" : n == 30 ? "LR" : "X" + n;
  }

  private static String simd(int n, int bytes) {
    return (switch (bytes) {
          case 1 -> "b";
          case 2 -> "h";
          case 4 -> "s";
          case 8 -> "d";
          default -> "q";
        })
        + n;
  }

  /** Name and target register of a single load/store from size, V and opc. */
  private record Form(String stem, String suffix, String rt, int width, Access access) {}

  private static @Nullable Form form(int insn) {
    int size = insn >>> 30;
    boolean v = (insn & (1 << 26)) != 0;
    int opc = (insn >>> 22) & 3;
    int t = insn & 31;
    if (v) {
      int bytes = 1 << size;
      if (opc >= 2) {
        if (size != 0) {
          return null;
        }
        bytes = 16;
      }
      boolean load = (opc & 1) == 1;
      return new Form(
          load ? "ld" : "st", "", simd(t, bytes), bytes, load ? Access.READ : Access.WRITE);
    }
    String sz = size == 0 ? "b" : size == 1 ? "h" : "";
    int bytes = 1 << size;
    return switch (opc) {
      case 0 -> new Form("st", sz, size == 3 ? x(t) : w(t), bytes, Access.WRITE);
      case 1 -> new Form("ld", sz, size == 3 ? x(t) : w(t), bytes, Access.READ);
      case 2 -> {
        if (size == 3) {
          yield null; // PRFM: a prefetch does not fault
        }
        yield new Form("ld", "s" + (size == 2 ? "w" : sz), x(t), bytes, Access.READ);
      }
      default -> size >= 2 ? null : new Form("ld", "s" + sz, w(t), bytes, Access.READ);
    };
  }

  private static DecodedInstruction single(
      Form f, String kind, String memText, int n, long disp, @Nullable String index, int scale) {
    String mnemonic = f.stem() + kind + f.suffix();
    String rt = f.rt();
    MemoryOperand m =
        new MemoryOperand(
            memText, null, dumpName(n), index, scale, disp, false, f.width(), f.access());
    return new DecodedInstruction(4, mnemonic, mnemonic + " " + rt + ", " + memText, List.of(m));
  }

  private static @Nullable DecodedInstruction unsignedOffset(int insn) {
    Form f = form(insn);
    if (f == null) {
      return null;
    }
    int n = (insn >>> 5) & 31;
    long off = (long) ((insn >>> 10) & 0xfff) * f.width();
    String mem = off == 0 ? "[" + base(n) + "]" : "[" + base(n) + ", #" + off + "]";
    return single(f, "r", mem, n, off, null, 1);
  }

  private static @Nullable DecodedInstruction immediate9(int insn) {
    Form f = form(insn);
    if (f == null) {
      return null;
    }
    int n = (insn >>> 5) & 31;
    int imm9 = (insn << 11) >> 23; // sign-extended imm9 (bits 20:12)
    long imm = imm9;
    int kind = (insn >>> 10) & 3;
    String b = base(n);
    if (kind == 2 && (insn & (1 << 26)) != 0) {
      return null; // no unprivileged SIMD&FP load/store
    }
    int t = insn & 31;
    if ((kind & 1) == 1 && n == t && n != 31 && f.access() == Access.READ) {
      return null; // write-back into the loaded register: CONSTRAINED UNPREDICTABLE
    }
    return switch (kind) {
      case 0 ->
          single(f, "ur", imm == 0 ? "[" + b + "]" : "[" + b + ", #" + imm + "]", n, imm, null, 1);
      case 1 -> single(f, "r", "[" + b + "], #" + imm, n, 0, null, 1);
      case 2 ->
          single(f, "tr", imm == 0 ? "[" + b + "]" : "[" + b + ", #" + imm + "]", n, imm, null, 1);
      default -> single(f, "r", "[" + b + ", #" + imm + "]!", n, imm, null, 1);
    };
  }

  private static @Nullable DecodedInstruction registerOffset(int insn) {
    Form f = form(insn);
    if (f == null) {
      return null;
    }
    int n = (insn >>> 5) & 31;
    int m = (insn >>> 16) & 31;
    int option = (insn >>> 13) & 7;
    boolean s = (insn & (1 << 12)) != 0;
    int shift = Integer.numberOfTrailingZeros(f.width());
    String ext =
        switch (option) {
          case 2 -> "uxtw";
          case 3 -> "lsl";
          case 6 -> "sxtw";
          case 7 -> "sxtx";
          default -> null;
        };
    if (ext == null) {
      return null;
    }
    boolean wide = (option & 1) == 1;
    String rm = wide ? x(m) : w(m);
    String mem = "[" + base(n) + ", " + rm;
    if (s) {
      mem += ", " + ext + " #" + shift;
    } else if (!ext.equals("lsl")) {
      mem += ", " + ext;
    }
    mem += "]";
    return single(f, "r", mem, n, 0, dumpName(m), s ? 1 << shift : 1);
  }

  private static @Nullable DecodedInstruction atomic(int insn) {
    if ((insn & (1 << 26)) != 0) {
      return null;
    }
    int size = insn >>> 30;
    boolean a = (insn & (1 << 23)) != 0;
    boolean r = (insn & (1 << 22)) != 0;
    int s = (insn >>> 16) & 31;
    boolean o3 = (insn & (1 << 15)) != 0;
    int opc = (insn >>> 12) & 7;
    int n = (insn >>> 5) & 31;
    int t = insn & 31;
    String sz = size == 0 ? "b" : size == 1 ? "h" : "";
    boolean x64 = size == 3;
    String order = a && r ? "al" : a ? "a" : r ? "l" : "";
    String mem = "[" + base(n) + "]";
    int bytes = 1 << size;
    if (o3) {
      if (opc == 0) {
        String mn = "swp" + order + sz;
        return atomicResult(
            mn, reg(s, x64) + ", " + reg(t, x64) + ", " + mem, n, bytes, Access.READ_WRITE);
      }
      if (opc == 4 && a && !r && s == 31) {
        String mn = "ldapr" + sz;
        return atomicResult(mn, reg(t, x64) + ", " + mem, n, bytes, Access.READ);
      }
      return null;
    }
    String[] ops = {"add", "clr", "eor", "set", "smax", "smin", "umax", "umin"};
    if (t == 31 && !a) {
      String mn = "st" + ops[opc] + (r ? "l" : "") + sz;
      return atomicResult(mn, reg(s, x64) + ", " + mem, n, bytes, Access.READ_WRITE);
    }
    String mn = "ld" + ops[opc] + order + sz;
    return atomicResult(
        mn, reg(s, x64) + ", " + reg(t, x64) + ", " + mem, n, bytes, Access.READ_WRITE);
  }

  private static String reg(int n, boolean x64) {
    return x64 ? x(n) : w(n);
  }

  private static DecodedInstruction atomicResult(
      String mnemonic, String operands, int n, int width, Access access) {
    String mem = "[" + base(n) + "]";
    return new DecodedInstruction(
        4,
        mnemonic,
        mnemonic + " " + operands,
        List.of(new MemoryOperand(mem, null, dumpName(n), null, 1, 0, false, width, access)));
  }

  private static @Nullable DecodedInstruction pair(int insn) {
    int opc = insn >>> 30;
    boolean v = (insn & (1 << 26)) != 0;
    int kind = (insn >>> 23) & 3;
    boolean load = (insn & (1 << 22)) != 0;
    int imm7Bits = (insn << 10) >> 25; // sign-extended imm7 (bits 21:15)
    long imm7 = imm7Bits;
    int t2 = (insn >>> 10) & 31;
    int n = (insn >>> 5) & 31;
    int t = insn & 31;
    int bytes;
    String r1;
    String r2;
    String mn;
    if (v) {
      if (opc == 3) {
        return null;
      }
      bytes = 4 << opc;
      r1 = simd(t, bytes);
      r2 = simd(t2, bytes);
      mn = load ? "ldp" : "stp";
    } else {
      if (opc == 3 || (opc == 1 && !load)) {
        return null;
      }
      bytes = opc == 2 ? 8 : 4;
      boolean x64 = opc != 0;
      r1 = reg(t, x64);
      r2 = reg(t2, x64);
      mn = opc == 1 ? "ldpsw" : load ? "ldp" : "stp";
      if (opc == 1) {
        bytes = 4;
      }
    }
    if (load && (t == t2 || ((kind & 1) == 1 && n != 31 && (n == t || n == t2)))) {
      return null; // CONSTRAINED UNPREDICTABLE, not code a compiler emits
    }
    if (kind == 0) {
      mn = load ? "ldnp" : "stnp";
      if (!v && opc == 1) {
        return null;
      }
    }
    long off = imm7 * bytes;
    String b = base(n);
    String mem =
        switch (kind) {
          case 1 -> "[" + b + "], #" + off;
          case 3 -> "[" + b + ", #" + off + "]!";
          default -> off == 0 ? "[" + b + "]" : "[" + b + ", #" + off + "]";
        };
    long disp = kind == 1 ? 0 : off;
    MemoryOperand m =
        new MemoryOperand(
            mem,
            null,
            dumpName(n),
            null,
            1,
            disp,
            false,
            2 * bytes,
            load ? Access.READ : Access.WRITE);
    return new DecodedInstruction(4, mn, mn + " " + r1 + ", " + r2 + ", " + mem, List.of(m));
  }

  private static @Nullable DecodedInstruction exclusive(int insn) {
    int size = insn >>> 30;
    boolean o2 = (insn & (1 << 23)) != 0;
    boolean l = (insn & (1 << 22)) != 0;
    boolean o1 = (insn & (1 << 21)) != 0;
    int s = (insn >>> 16) & 31;
    boolean o0 = (insn & (1 << 15)) != 0;
    int t2 = (insn >>> 10) & 31;
    int n = (insn >>> 5) & 31;
    int t = insn & 31;
    String sz = size == 0 ? "b" : size == 1 ? "h" : "";
    boolean x64 = size == 3;
    int bytes = 1 << size;
    String mem = "[" + base(n) + "]";
    if (!o2 && !o1) {
      if (t2 != 31 || (l && s != 31)) {
        return null;
      }
      if (l) {
        String mn = (o0 ? "ldaxr" : "ldxr") + sz;
        return atomicResult(mn, reg(t, x64) + ", " + mem, n, bytes, Access.READ);
      }
      String mn = (o0 ? "stlxr" : "stxr") + sz;
      return atomicResult(mn, w(s) + ", " + reg(t, x64) + ", " + mem, n, bytes, Access.WRITE);
    }
    if (!o2) {
      if (size < 2 || (l && (s != 31 || t == t2))) {
        return null;
      }
      if (l) {
        String mn = o0 ? "ldaxp" : "ldxp";
        return atomicResult(
            mn, reg(t, x64) + ", " + reg(t2, x64) + ", " + mem, n, 2 * bytes, Access.READ);
      }
      String mn = o0 ? "stlxp" : "stxp";
      return atomicResult(
          mn,
          w(s) + ", " + reg(t, x64) + ", " + reg(t2, x64) + ", " + mem,
          n,
          2 * bytes,
          Access.WRITE);
    }
    if (!o1) {
      if (s != 31 || t2 != 31) {
        return null;
      }
      String mn = (l ? (o0 ? "ldar" : "ldlar") : (o0 ? "stlr" : "stllr")) + sz;
      return atomicResult(mn, reg(t, x64) + ", " + mem, n, bytes, l ? Access.READ : Access.WRITE);
    }
    if (t2 != 31) {
      return null;
    }
    String order = l && o0 ? "al" : l ? "a" : o0 ? "l" : "";
    String mn = "cas" + order + sz;
    return atomicResult(
        mn, reg(s, x64) + ", " + reg(t, x64) + ", " + mem, n, bytes, Access.READ_WRITE);
  }

  private static @Nullable DecodedInstruction literal(int insn, long address) {
    int opc = insn >>> 30;
    boolean v = (insn & (1 << 26)) != 0;
    long off = (long) ((insn << 8) >> 13) * 4;
    int t = insn & 31;
    String rt;
    String mn = "ldr";
    int bytes;
    if (v) {
      if (opc == 3) {
        return null;
      }
      bytes = 4 << opc;
      rt = simd(t, bytes);
    } else {
      switch (opc) {
        case 0 -> {
          rt = w(t);
          bytes = 4;
        }
        case 1 -> {
          rt = x(t);
          bytes = 8;
        }
        case 2 -> {
          rt = x(t);
          bytes = 4;
          mn = "ldrsw";
        }
        default -> {
          return null;
        }
      }
    }
    String target = "0x" + Long.toHexString(address + off);
    MemoryOperand m = new MemoryOperand(target, null, null, null, 1, off, true, bytes, Access.READ);
    return new DecodedInstruction(4, mn, mn + " " + rt + ", " + target, List.of(m));
  }
}
