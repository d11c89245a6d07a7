package org.ktriage.ingest.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The frame-record walk on hand-laid stacks: each rule of {@code unwind_next_frame}. */
class Arm64FrameRecordsTest {
  private static final long TASK_STACK = 0xffff80000a3c0000L;
  private static final long IRQ_STACK = 0xffff800008008000L;

  private final Map<Long, Long> words = new HashMap<>();

  private void record(long fp, long next, long ret) {
    words.put(fp, next);
    words.put(fp + 8, ret);
  }

  private Arm64FrameRecords.Chain walk(long fp, long sp, long pac) {
    return Arm64FrameRecords.walk(words::get, fp, sp, pac);
  }

  @Test
  void walksUpOneStackToTheFinalZeroRecord() {
    record(TASK_STACK + 0x3d00, TASK_STACK + 0x3d40, 0xffffa1b2c0010010L);
    record(TASK_STACK + 0x3d40, TASK_STACK + 0x3ea0, 0xffffa1b2c0020020L);
    record(TASK_STACK + 0x3ea0, 0, 0);
    Arm64FrameRecords.Chain c = walk(TASK_STACK + 0x3d00, TASK_STACK + 0x3cf0, 0);
    assertThat(c.stop()).isEqualTo(Arm64FrameRecords.Stop.END_OF_STACK);
    assertThat(c.records())
        .extracting(Arm64FrameRecords.FrameRecord::returnAddress)
        .containsExactly(0xffffa1b2c0010010L, 0xffffa1b2c0020020L);
  }

  @Test
  void crossesFromTheIrqStackToTheInterruptedTaskStackOnce() {
    // IRQ stack at a lower address than the task stack, then the task stack; a second move back
    // to the same task stack below the previous record is a loop
    record(IRQ_STACK + 0x3f00, TASK_STACK + 0x3c00, 0xffffa1b2c0030030L);
    record(TASK_STACK + 0x3c00, TASK_STACK + 0x3e00, 0xffffa1b2c0040040L);
    record(TASK_STACK + 0x3e00, 0, 0);
    Arm64FrameRecords.Chain c = walk(IRQ_STACK + 0x3f00, IRQ_STACK + 0x3ef0, 0);
    assertThat(c.stop()).isEqualTo(Arm64FrameRecords.Stop.END_OF_STACK);
    assertThat(c.records()).hasSize(2);
  }

  @Test
  void refusesARecordBelowThePreviousOnTheSameStack() {
    record(TASK_STACK + 0x3d00, TASK_STACK + 0x3c00, 0xffffa1b2c0010010L);
    record(TASK_STACK + 0x3c00, TASK_STACK + 0x3d00, 0xffffa1b2c0020020L);
    Arm64FrameRecords.Chain c = walk(TASK_STACK + 0x3d00, 0, 0);
    assertThat(c.stop()).isEqualTo(Arm64FrameRecords.Stop.BAD_RECORD);
    assertThat(c.records()).hasSize(1);
  }

  @Test
  void refusesMisalignedUserAndUnreadableRecords() {
    assertThat(walk(TASK_STACK + 0x3d04, 0, 0).stop()).isEqualTo(Arm64FrameRecords.Stop.BAD_RECORD);
    assertThat(walk(0x0000ffffe0001000L, 0, 0).stop()).isEqualTo(Arm64FrameRecords.Stop.BAD_RECORD);
    assertThat(walk(TASK_STACK + 0x3d00, 0, 0).stop()).isEqualTo(Arm64FrameRecords.Stop.BAD_RECORD);
    assertThat(walk(0, 0, 0).stop()).isEqualTo(Arm64FrameRecords.Stop.END_OF_STACK);
  }

  @Test
  void aLoopAcrossStacksEndsWithinTheSwitchLimit() {
    // two records on different stacks pointing at each other, each above the other's stack
    long a = TASK_STACK + 0x3f00;
    long b = TASK_STACK + 0x10000 + 0x100;
    record(a, b, 0xffffa1b2c0010010L);
    record(b, a, 0xffffa1b2c0020020L);
    Arm64FrameRecords.Chain c = walk(a, 0, 0);
    assertThat(c.stop()).isEqualTo(Arm64FrameRecords.Stop.BAD_RECORD);
    assertThat(c.records().size()).isLessThan(Arm64FrameRecords.MAX_FRAMES);
  }

  @Test
  void stripsThePointerAuthenticationCodeOfKernelReturnAddresses() {
    long mask = 0xff7f000000000000L; // KERNELPACMASK of a 48-bit VA kernel
    long signed = 0x8abfa1b2c0010010L;
    record(TASK_STACK + 0x3d00, 0, 0x003ca1b2c0010010L | (1L << 55));
    Arm64FrameRecords.Chain c = walk(TASK_STACK + 0x3d00, 0, mask);
    assertThat(c.records().get(0).returnAddress()).isEqualTo(0xffffa1b2c0010010L);
    assertThat(Arm64FrameRecords.stripPac(signed, 0)).isEqualTo(signed);
    // a user address (bit 55 clear) is left alone
    assertThat(Arm64FrameRecords.stripPac(0x0012ffffe0001000L, mask))
        .isEqualTo(0x0012ffffe0001000L);
  }
}
