package org.ktriage.ingest.insn;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.model.ExceptionFrame;
import org.ktriage.model.FaultingInstruction;
import org.ktriage.model.MemoryOperand;
import org.ktriage.model.RegisterSet;

/**
 * Finds the faulting instruction of a report: decodes the {@code Code:} line and resolves its
 * memory operand against the report's registers.
 *
 * <p>The kernel prints the line in {@code show_opcodes()} (arch/x86/kernel/dumpstack.c): up to 42
 * bytes before and 22 from the instruction pointer, the byte at the instruction pointer in angle
 * brackets ({@code <48>}); older kernels print {@code Code: 48 8b …} the same way. On arm64 {@code
 * dump_kernel_instr()} (arch/arm64/kernel/traps.c) prints four words before the pc and the pc's
 * word in parentheses ({@code (f9400021)}). ARM32 prints the same shape as arm64, so a word line is
 * decoded as A64 only when the register dump is arm64's ({@code x29}, {@code pstate}).
 */
public final class FaultingInstructions {
  private FaultingInstructions() {}

  /** The {@code Code:} bytes split at the faulting instruction. */
  @SuppressWarnings("ArrayRecordComponent") // bytes read once, never compared
  record CodeBytes(String arch, byte[] bytes, int faultOffset) {}

  /**
   * Parses the text after {@code Code: }; null when it carries no marked instruction ({@code Code:
   * Unable to access opcode bytes at …}, {@code Bad RIP value.}) or is not a known form.
   */
  static @Nullable CodeBytes parse(String code, boolean arm64Registers) {
    String[] tokens = code.strip().split("\\s+", -1);
    if (tokens.length == 0) {
      return null;
    }
    int words = 0;
    int bytes = 0;
    for (String t : tokens) {
      String h = strip(t);
      if (h == null) {
        return null;
      }
      if (h.length() == 8) {
        words++;
      } else if (h.length() == 2) {
        bytes++;
      } else {
        return null;
      }
    }
    if (words == tokens.length && arm64Registers) {
      for (int i = 0; i < tokens.length; i++) {
        if (tokens[i].startsWith("(")) {
          String h = strip(tokens[i]);
          byte[] b = new byte[4];
          int w = Integer.parseUnsignedInt(h == null ? "0" : h, 16);
          b[0] = (byte) w;
          b[1] = (byte) (w >>> 8);
          b[2] = (byte) (w >>> 16);
          b[3] = (byte) (w >>> 24);
          return new CodeBytes("arm64", b, 0);
        }
      }
      return null;
    }
    if (bytes != tokens.length) {
      return null;
    }
    byte[] b = new byte[tokens.length];
    int at = -1;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].startsWith("<")) {
        at = i;
      }
      String h = strip(tokens[i]);
      b[i] = (byte) Integer.parseInt(h == null ? "0" : h, 16);
    }
    return at < 0 ? null : new CodeBytes("x86_64", b, at);
  }

  /** The hex digits of a token without its marker, or null when it is not hex. */
  private static @Nullable String strip(String t) {
    String h = t;
    if ((h.startsWith("<") && h.endsWith(">")) || (h.startsWith("(") && h.endsWith(")"))) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.isEmpty()) {
      return null;
    }
    for (int i = 0; i < h.length(); i++) {
      if (Character.digit(h.charAt(i), 16) < 0) {
        return null;
      }
    }
    return h;
  }

  /**
   * The faulting instruction from a report's {@code Code:} text, its exception frame (registers and
   * instruction pointer) and fault address; null when the line has no decodable marked instruction.
   */
  public static @Nullable FaultingInstruction fromCodeLine(
      @Nullable String code, @Nullable ExceptionFrame frame, @Nullable Long faultAddress) {
    if (code == null) {
      return null;
    }
    RegisterSet regs = frame == null ? RegisterSet.empty() : frame.registers();
    boolean arm64 = regs.get("X29") != null || regs.get("PSTATE") != null;
    CodeBytes cb = parse(code, arm64);
    if (cb == null) {
      return null;
    }
    Long ip = frame == null ? null : frame.ip();
    if (ip == null) {
      ip = regs.get(arm64 ? "PC" : "RIP");
    }
    return decode(cb.arch(), "code-line", cb.bytes(), cb.faultOffset(), ip, regs, faultAddress);
  }

  /**
   * Decodes the instruction at {@code bytes[offset]} (read from {@code source}: {@code code-line}
   * or {@code kernel-text}) and resolves it; null when the bytes do not decode.
   */
  public static @Nullable FaultingInstruction decode(
      String arch,
      String source,
      byte[] bytes,
      int offset,
      @Nullable Long ip,
      RegisterSet regs,
      @Nullable Long faultAddress) {
    DecodedInstruction d;
    String hex;
    if (arch.equals("arm64")) {
      if (offset + 4 > bytes.length) {
        return null;
      }
      int w =
          (bytes[offset] & 0xff)
              | (bytes[offset + 1] & 0xff) << 8
              | (bytes[offset + 2] & 0xff) << 16
              | (bytes[offset + 3] & 0xff) << 24;
      d = Arm64Decoder.decode(w, ip == null ? 0 : ip);
      hex = String.format("%08x", w);
    } else {
      d = X86Decoder.decode(bytes, offset, ip == null ? 0 : ip);
      hex = "";
      if (d != null) {
        List<String> b = new ArrayList<>();
        for (int i = 0; i < d.length(); i++) {
          b.add(HexFormat.of().toHexDigits(bytes[offset + i]));
        }
        hex = String.join(" ", b);
      }
    }
    if (d == null) {
      return null;
    }
    return resolve(arch, source, d, hex, ip, regs, faultAddress);
  }

  static FaultingInstruction resolve(
      String arch,
      String source,
      DecodedInstruction d,
      String hex,
      @Nullable Long ip,
      RegisterSet regs,
      @Nullable Long faultAddress) {
    MemoryOperand chosen = null;
    Long baseValue = null;
    Long indexValue = null;
    Long ea = null;
    Boolean explains = null;
    for (MemoryOperand m : d.memory()) {
      if (m.access() == MemoryOperand.Access.NONE) {
        continue;
      }
      Long bv = m.base() == null ? null : regs.get(m.base());
      Long iv = m.index() == null ? null : regs.get(m.index());
      Long e = effectiveAddress(arch, m, bv, iv, ip, d.length(), regs);
      // arm64 may report the address untagged: bits 63:56 replaced by copies of bit 55
      // (untagged_addr(), top-byte-ignore), so either form counts there
      int width = Math.max(1, m.widthBytes());
      boolean hit =
          e != null
              && faultAddress != null
              && (Long.compareUnsigned(faultAddress - e, width) < 0
                  || (arch.equals("arm64")
                      && Long.compareUnsigned(faultAddress - ((e << 8) >> 8), width) < 0));
      if (chosen == null || hit) {
        chosen = m;
        baseValue = bv;
        indexValue = iv;
        ea = e;
        explains = (e == null || faultAddress == null) ? null : hit;
      }
      if (hit) {
        break;
      }
    }
    if (chosen == null && !d.memory().isEmpty()) {
      chosen = d.memory().get(0);
    }
    return new FaultingInstruction(
        arch,
        source,
        ip,
        hex,
        d.mnemonic(),
        d.text(),
        chosen,
        baseValue,
        indexValue,
        ea,
        faultAddress,
        explains);
  }

  /**
   * base + index * scale + displacement; RIP-relative from the next instruction; an {@code %fs:} or
   * {@code %gs:} override adds the segment base the register dump prints ({@code GS:ffff…(0000)}).
   */
  private static @Nullable Long effectiveAddress(
      String arch,
      MemoryOperand m,
      @Nullable Long base,
      @Nullable Long index,
      @Nullable Long ip,
      int length,
      RegisterSet regs) {
    long a = m.displacement();
    if (m.ripRelative()) {
      if (ip == null) {
        return null;
      }
      a += arch.equals("arm64") ? ip : ip + length;
    } else if (m.base() != null) {
      if (base == null) {
        return null;
      }
      a += base;
    }
    if (m.index() != null) {
      if (index == null) {
        return null;
      }
      a += index * m.scale();
    }
    if (m.segment() != null) {
      Long seg = regs.get(m.segment().toUpperCase(java.util.Locale.ROOT));
      if (seg == null) {
        return null;
      }
      a += seg;
    }
    return a;
  }
}
