package org.ktriage.ingest.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ktriage.ingest.bin.MissingMemoryException;

/** arm64 translation (48-bit VA, 4 KiB granule, v5.4+ layout) on hand-built page tables. */
class Arm64TranslatorTest {
  private static final long PHYS_OFFSET = 0x40000000L;
  private static final long SWAPPER_PA = 0x41000000L;
  private static final long KIMAGE_VOFFSET = 0xffff800008000000L - 0x40200000L;

  /** Physical memory made of a few pages held in a map. */
  static final class MapMemory implements PhysicalMemory {
    final Map<Long, byte[]> pages = new HashMap<>();

    void putU64(long pa, long v) {
      byte[] p = pages.computeIfAbsent(pa >>> 12, k -> new byte[4096]);
      for (int i = 0; i < 8; i++) {
        p[(int) (pa & 0xfff) + i] = (byte) (v >>> (8 * i));
      }
    }

    @Override
    public int pageSize() {
      return 4096;
    }

    @Override
    public PageState readPage(long pfn, byte[] dst) {
      byte[] p = pages.get(pfn);
      if (p == null) {
        java.util.Arrays.fill(dst, 0, 4096, (byte) 0);
        return PageState.NOT_DUMPED;
      }
      System.arraycopy(p, 0, dst, 0, 4096);
      return PageState.PRESENT;
    }

    @Override
    public List<String> problems() {
      return List.of();
    }

    @Override
    public void close() {}
  }

  private static Arm64Translator translator(MapMemory m) {
    return new Arm64Translator(
        m, 48, PHYS_OFFSET, KIMAGE_VOFFSET, SWAPPER_PA + KIMAGE_VOFFSET, 4096, true);
  }

  @Test
  void linearMapAndImage() throws MissingMemoryException {
    MapMemory m = new MapMemory();
    m.pages.put(SWAPPER_PA >>> 12, new byte[4096]); // empty top-level table
    Arm64Translator t = translator(m);
    assertThat(t.toPhysical(0xffff000000123456L)).isEqualTo(PHYS_OFFSET + 0x123456L);
    // a KASAN/MTE tag in the top byte is ignored
    assertThat(t.toPhysical(0xf2ff000000123456L)).isEqualTo(PHYS_OFFSET + 0x123456L);
    assertThat(t.toPhysical(0xffff800008010000L)).isEqualTo(0x40210000L);
    assertThatThrownBy(() -> t.toPhysical(0x0000aaaabbbb0000L))
        .isInstanceOf(MissingMemoryException.class);
  }

  @Test
  void fourLevelWalkWithPageAndBlock() throws MissingMemoryException {
    MapMemory m = new MapMemory();
    long va = 0xffff800010203000L; // vmalloc-style address
    long l1 = 0x41001000L;
    long l2 = 0x41002000L;
    long l3 = 0x41003000L;
    m.putU64(SWAPPER_PA + ((va >>> 39) & 511) * 8, l1 | 3);
    m.putU64(l1 + ((va >>> 30) & 511) * 8, l2 | 3);
    m.putU64(l2 + ((va >>> 21) & 511) * 8, l3 | 3);
    m.putU64(l3 + ((va >>> 12) & 511) * 8, 0x45678000L | 0x703);
    // a 2 MiB block one entry further in the same L2 table
    long blockVa = va + (2L << 20);
    m.putU64(l2 + ((blockVa >>> 21) & 511) * 8, 0x48000000L | 0x701);
    Arm64Translator t = translator(m);
    assertThat(t.toPhysical(va + 0x10)).isEqualTo(0x45678010L);
    assertThat(t.toPhysical(blockVa + 0x1234))
        .isEqualTo(0x48000000L + ((blockVa + 0x1234) & 0x1fffff));
  }
}
