package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ktriage.ingest.dump.Arm64FrameRecords;
import org.ktriage.ingest.dump.Arm64FrameRecords.Chain;
import org.ktriage.ingest.dump.Arm64FrameRecords.FrameRecord;

/**
 * Any bytes as an arm64 kernel stack: the input's first 24 bytes are x29 (fp), sp and
 * KERNELPACMASK, the rest is the memory of four 16 KiB stacks from a 16 KiB-aligned kernel address
 * (repeated to fill them, so a chain may move between stacks as from the IRQ stack to the task
 * stack); the frame-record walk (arch/arm64/kernel/stacktrace.c, {@code unwind_next_frame}) must
 * end, with at most {@code MAX_FRAMES} records, each 8-aligned and read from the stacks given.
 * Seeds: chains laid as the kernel lays them (a task stack ending in the all-zero record of its
 * entry from user space, an IRQ stack leading to the task stack, return addresses signed with a
 * PAC).
 */
class Arm64FrameRecordsFuzzer {
  /** Where the stack bytes lie (the vmalloc area of a 48-bit VA arm64 kernel). */
  static final long STACK = 0xffff800080000000L;

  /** Four stacks of THREAD_SIZE (16 KiB). */
  static final long SPAN = 4 * 16 << 10;

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) {
    if (data.length < 24) {
      return;
    }
    long fp = le64(data, 0);
    long sp = le64(data, 8);
    long pac = le64(data, 16);
    int size = data.length - 24;
    if (size == 0) {
      return;
    }
    Arm64FrameRecords.WordReader memory =
        a -> {
          long off = a - STACK;
          if (off < 0 || off + 8 > SPAN) {
            return null;
          }
          long v = 0;
          for (int i = 0; i < 8; i++) {
            v |= (data[24 + (int) ((off + i) % size)] & 0xffL) << (8 * i);
          }
          return v;
        };
    Chain c = Arm64FrameRecords.walk(memory, fp, sp, pac);
    if (c.records().size() > Arm64FrameRecords.MAX_FRAMES) {
      throw new AssertionError(c.records().size() + " records");
    }
    for (FrameRecord r : c.records()) {
      long off = r.fp() - STACK;
      if ((r.fp() & 7) != 0 || off < 0 || off + 16 > SPAN) {
        throw new AssertionError("record at 0x" + Long.toHexString(r.fp()) + " was not read");
      }
    }
  }

  static long le64(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (b[at + i] & 0xffL) << (8 * i);
    }
    return v;
  }
}
