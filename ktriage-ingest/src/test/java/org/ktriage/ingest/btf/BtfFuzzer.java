package org.ktriage.ingest.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Truncated and bit-flipped BTF gives {@link CorruptBtfException} (or a usable Btf), nothing else.
 */
class BtfFuzzer {
  private static final String[] PATHS = {
    "task_struct.comm",
    "task_struct.tasks.next",
    "module.mem[0].base",
    "timer_list.function",
    "list_head.prev",
    "page.lru"
  };

  @Test
  void everyTruncationIsACleanOneLineError() {
    byte[] blob = BtfFixtures.vmlinux618();
    Random random = new Random(7);
    int[] cuts = new int[80];
    for (int i = 0; i < 40; i++) {
      cuts[i] = i;
    }
    for (int i = 40; i < cuts.length; i++) {
      cuts[i] = 24 + random.nextInt(blob.length - 25);
    }
    for (int cut : cuts) {
      byte[] truncated = Arrays.copyOf(blob, cut);
      assertThatThrownBy(() -> Btf.parse(truncated, "cut"))
          .as("cut at %d", cut)
          .isInstanceOf(CorruptBtfException.class)
          .hasMessageStartingWith("cut: corrupt BTF at offset ")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void bitFlipsNeverEscapeAsOtherExceptions() throws Exception {
    byte[] blob = BtfFixtures.vmlinux618();
    Random random = new Random(11);
    int parsed = 0;
    int rejected = 0;
    for (int round = 0; round < 120; round++) {
      byte[] flipped = blob.clone();
      // Header and the first types carry the structure; hit them more often than the rest.
      int span = round % 3 == 0 ? 64 : round % 3 == 1 ? 200_000 : flipped.length;
      for (int k = 0; k < 1 + random.nextInt(4); k++) {
        int at = random.nextInt(span);
        flipped[at] ^= (byte) (1 << random.nextInt(8));
      }
      Btf btf;
      try {
        btf = Btf.parse(flipped, "flip");
      } catch (CorruptBtfException e) {
        assertThat(e.getMessage()).doesNotContain("\n");
        rejected++;
        continue;
      }
      parsed++;
      exercise(btf);
    }
    assertThat(parsed + rejected).isEqualTo(120);
    assertThat(rejected).isPositive();
  }

  /** Any bytes as a BTF blob: a usable Btf or {@link CorruptBtfException}, nothing else. */
  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    Btf btf;
    try {
      btf = Btf.parse(data, "fuzz");
    } catch (CorruptBtfException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return;
    }
    try {
      exercise(btf);
    } catch (CorruptBtfException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
    }
  }

  private static void exercise(Btf btf) throws Exception {
    for (String path : PATHS) {
      int dot = path.indexOf('.');
      BtfStruct s = btf.findStruct(path.substring(0, dot));
      if (s != null) {
        try {
          s.findMember(path.substring(dot + 1));
        } catch (CorruptBtfException expected) {
          // a typedef loop made by the flip: reported, not thrown as something else
        }
      }
    }
    StringBuilder sink = new StringBuilder();
    for (int id = 1; id <= Math.min(btf.lastId(), 3000); id++) {
      BtfRawDump.writeType(btf, btf.type(id), sink);
      try {
        btf.sizeOf(id);
      } catch (CorruptBtfException expected) {
        // loops are reported
      }
    }
  }
}
