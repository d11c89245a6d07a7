package org.ktriage.ingest.dump;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.model.RegisterSet;

/**
 * Register layouts of NT_PRSTATUS ({@code pr_reg} at 112) and of QEMU's x86 CPU-state note, as
 * tables of (name, byte offset) in the order the kernel prints registers.
 */
enum PrstatusLayout {
  X86_64(
      336,
      new String[] {
        "RIP",
        "RSP",
        "EFLAGS",
        "RAX",
        "RBX",
        "RCX",
        "RDX",
        "RSI",
        "RDI",
        "RBP",
        "R08",
        "R09",
        "R10",
        "R11",
        "R12",
        "R13",
        "R14",
        "R15",
        "ORIG_RAX",
        "CS",
        "SS",
        "FS_BASE",
        "GS_BASE"
      },
      new int[] {16, 19, 18, 10, 5, 11, 12, 13, 14, 4, 9, 8, 7, 6, 3, 2, 1, 0, 15, 17, 20, 21, 22}),
  ARM64(392, arm64Names(), arm64Slots());

  private static final int PR_REG = 112;

  private final int descSize;

  // never handed out: read in place by registers() and maxSlot()
  @SuppressWarnings("ImmutableEnumChecker")
  private final String[] names;

  @SuppressWarnings("ImmutableEnumChecker")
  private final int[] slots;

  PrstatusLayout(int descSize, String[] names, int[] slots) {
    this.descSize = descSize;
    this.names = names;
    this.slots = slots;
  }

  private static String[] arm64Names() {
    String[] n = new String[34];
    n[0] = "PC";
    n[1] = "LR";
    n[2] = "SP";
    n[3] = "PSTATE";
    for (int i = 0; i < 30; i++) {
      n[4 + i] = "X" + i;
    }
    return n;
  }

  private static int[] arm64Slots() {
    int[] s = new int[34];
    s[0] = 32;
    s[1] = 30;
    s[2] = 31;
    s[3] = 33;
    for (int i = 0; i < 30; i++) {
      s[4 + i] = i;
    }
    return s;
  }

  /** Registers of one NT_PRSTATUS descriptor; empty when it is too short. */
  RegisterSet registers(byte[] desc) {
    if (desc.length < PR_REG + 8 * (maxSlot() + 1)) {
      return RegisterSet.empty();
    }
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], Bytes.readU64Le(desc, PR_REG + 8 * slots[i]));
    }
    return new RegisterSet(m);
  }

  int descSize() {
    return descSize;
  }

  private int maxSlot() {
    int m = 0;
    for (int s : slots) {
      m = Math.max(m, s);
    }
    return m;
  }

  /** pr_pid of an NT_PRSTATUS descriptor. */
  static int prPid(byte[] desc) {
    return desc.length >= 36 ? Bytes.readI32Le(desc, 32) : 0;
  }

  /** QEMUCPUState v1 control registers (cr0 at 392 … cr4 at 424) and the GS base (264). */
  static Map<String, Long> qemuControlRegisters(byte[] desc) {
    Map<String, Long> m = new LinkedHashMap<>();
    if (desc.length >= 432 && Bytes.readI32Le(desc, 0) == 1) {
      m.put("CR0", Bytes.readU64Le(desc, 392));
      m.put("CR2", Bytes.readU64Le(desc, 408));
      m.put("CR3", Bytes.readU64Le(desc, 416));
      m.put("CR4", Bytes.readU64Le(desc, 424));
      m.put("GS_BASE", Bytes.readU64Le(desc, 264));
    }
    return m;
  }
}
