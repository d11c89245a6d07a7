package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.insn.Arm64Decoder;
import org.ktriage.ingest.insn.DecodedInstruction;
import org.ktriage.ingest.insn.FaultingInstructions;
import org.ktriage.ingest.insn.X86Decoder;
import org.ktriage.model.RegisterSet;

/**
 * Any bytes as kernel code: the x86-64 decoder at every offset and the A64 decoder on every word
 * give an instruction no longer than the bytes left (x86: at most 15) or null; the faulting
 * instruction is then resolved against registers and a fault address taken from the input, as a
 * report's {@code Code:} line and exception frame give them. Byte 0 picks the architecture (bit 0)
 * and the marked offset; the next 8 bytes are the fault address and seed the register values.
 * Seeds: real {@code Code:} bytes of x86-64 and arm64 reports from the shared corpus.
 */
class InstructionDecodersFuzzer {
  private static final String[] X86 = {
    "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP", "R8", "R9", "R10", "R11", "R12", "R13",
    "R14", "R15"
  };

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) {
    if (data.length < 10) {
      return;
    }
    boolean arm64 = (data[0] & 1) != 0;
    long fault = 0;
    for (int i = 0; i < 8; i++) {
      fault |= (data[1 + i] & 0xffL) << (8 * i);
    }
    byte[] code = java.util.Arrays.copyOfRange(data, 9, data.length);
    long ip = 0xffffffff81000000L;
    if (arm64) {
      for (int o = 0; o + 4 <= code.length; o += 4) {
        int w =
            (code[o] & 0xff)
                | (code[o + 1] & 0xff) << 8
                | (code[o + 2] & 0xff) << 16
                | (code[o + 3] & 0xff) << 24;
        check(Arm64Decoder.decode(w, ip + o), 4, 4);
      }
    } else {
      for (int o = 0; o < code.length; o++) {
        check(X86Decoder.decode(code, o, ip + o), code.length - o, 15);
      }
    }
    Map<String, Long> regs = new LinkedHashMap<>();
    for (int i = 0; i < (arm64 ? 31 : X86.length); i++) {
      // every third register holds the fault address, the others values derived from it
      long v = i % 3 == 0 ? fault : fault * (i + 1) + i;
      regs.put(arm64 ? "X" + i : X86[i], v);
    }
    regs.put(arm64 ? "SP" : "RSP", fault ^ 0x7f);
    int at = (data[0] & 0xff) >>> 1;
    at = arm64 ? (at % Math.max(1, code.length / 4)) * 4 : at % Math.max(1, code.length);
    FaultingInstructions.decode(
        arm64 ? "arm64" : "x86_64", "code-line", code, at, ip + at, new RegisterSet(regs), fault);
  }

  private static void check(@Nullable DecodedInstruction d, int left, int max) {
    if (d != null && (d.length() <= 0 || d.length() > Math.min(left, max))) {
      throw new AssertionError("decoded length " + d.length() + " with " + left + " bytes left");
    }
  }
}
