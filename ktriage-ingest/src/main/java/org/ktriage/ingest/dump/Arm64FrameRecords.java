package org.ktriage.ingest.dump;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * arm64 stack unwinding by frame records, as the kernel's own unwinder does it
 * (arch/arm64/kernel/stacktrace.c, {@code unwind_next_frame}): with CONFIG_FRAME_POINTER every
 * function that calls another stores the pair {@code {x29, x30}} on its stack and points x29 at it,
 * so {@code [fp]} is the caller's frame record and {@code [fp + 8]} the return address into the
 * caller. Exception entry ({@code kernel_entry} in entry.S) stores such a record in {@code
 * pt_regs->stackframe} with the interrupted pc, so the chain crosses IRQ and exception frames by
 * itself; a task's last record (at the pt_regs of its entry from user space) is all zero. The
 * kernel refuses a record that is not 8-byte aligned or that does not lie above the previous one on
 * the same stack; a move to another stack (IRQ or overflow stack to the task stack) is allowed once
 * per stack. Return addresses may carry a pointer-authentication code in their upper bits ({@code
 * NUMBER(KERNELPACMASK)} in VMCOREINFO, v5.7+): it is stripped by setting those bits, as {@code
 * ptrauth_strip_insn_pac} does for kernel addresses.
 */
public final class Arm64FrameRecords {
  /** Frames walked at most. */
  public static final int MAX_FRAMES = 128;

  /** THREAD_SIZE of arm64 without KASAN (16 KiB): the stacks a chain may move between. */
  static final long STACK_SIZE = 16 << 10;

  /** Stack switches allowed in one chain (overflow or SDEI stack to IRQ stack to task stack). */
  private static final int MAX_SWITCHES = 3;

  private Arm64FrameRecords() {}

  /** Reads one 64-bit word of kernel memory, or null where the dump has none. */
  @FunctionalInterface
  public interface WordReader {
    /** The word at {@code address}, or null when it cannot be read. */
    @Nullable Long read(long address);
  }

  /** One record of the chain: its address ({@code fp}) and the return address stored at fp + 8. */
  public record FrameRecord(long fp, long returnAddress) {}

  /** Why the walk stopped. */
  public enum Stop {
    /** The all-zero final record of a task (its entry from user space) or a zero fp. */
    END_OF_STACK,
    /** A record that is misaligned, below the previous one or unreadable. */
    BAD_RECORD,
    /** {@link #MAX_FRAMES} records were walked. */
    TOO_DEEP
  }

  /** The records walked, innermost first, and why the walk stopped. */
  public record Chain(List<FrameRecord> records, Stop stop) {
    public Chain {
      records = List.copyOf(records);
    }
  }

  /**
   * Walks the frame records from {@code fp} (x29). {@code sp} is the stack pointer of the same
   * context (0 when unknown): the first record must lie at or above it when on the same stack.
   * {@code pacMask} is KERNELPACMASK (0 when the kernel signs no return addresses).
   */
  public static Chain walk(WordReader memory, long fp, long sp, long pacMask) {
    List<FrameRecord> out = new ArrayList<>();
    long prev = sp == 0 ? 0 : sp - 1;
    int switches = 0;
    long cur = fp;
    while (out.size() < MAX_FRAMES) {
      if (cur == 0) {
        return new Chain(out, Stop.END_OF_STACK);
      }
      if ((cur & 7) != 0 || !isKernelAddress(cur)) {
        return new Chain(out, Stop.BAD_RECORD);
      }
      if (prev != 0 && Long.compareUnsigned(cur, prev) <= 0) {
        boolean sameStack = (cur & -STACK_SIZE) == (prev & -STACK_SIZE);
        if (sameStack || ++switches > MAX_SWITCHES) {
          return new Chain(out, Stop.BAD_RECORD);
        }
      } else if (prev != 0
          && (cur & -STACK_SIZE) != (prev & -STACK_SIZE)
          && Long.compareUnsigned(cur - prev, STACK_SIZE) >= 0
          && ++switches > MAX_SWITCHES) {
        return new Chain(out, Stop.BAD_RECORD);
      }
      Long next = memory.read(cur);
      Long ret = memory.read(cur + 8);
      if (next == null || ret == null) {
        return new Chain(out, Stop.BAD_RECORD);
      }
      if (next == 0 && ret == 0) {
        return new Chain(out, Stop.END_OF_STACK);
      }
      out.add(new FrameRecord(cur, stripPac(ret, pacMask)));
      prev = cur;
      cur = next;
    }
    return new Chain(out, Stop.TOO_DEEP);
  }

  /**
   * A return address without its pointer-authentication code: for a kernel address (bit 55 set) the
   * PAC bits are set back to ones.
   */
  public static long stripPac(long address, long pacMask) {
    if (pacMask == 0 || (address & (1L << 55)) == 0) {
      return address;
    }
    return address | pacMask;
  }

  private static boolean isKernelAddress(long a) {
    return (a >>> 48) == 0xffff;
  }
}
