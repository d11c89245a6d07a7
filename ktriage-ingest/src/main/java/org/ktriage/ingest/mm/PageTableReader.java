package org.ktriage.ingest.mm;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.MissingMemoryException;

/** Reads page-table entries (u64 LE) from physical memory for the page walkers. */
final class PageTableReader {
  private final PhysicalMemory memory;
  private final byte[] page;
  private final Map<Long, Long> tlb;

  PageTableReader(PhysicalMemory memory) {
    this.memory = memory;
    this.page = new byte[memory.pageSize()];
    this.tlb =
        new LinkedHashMap<>(256, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > 8192;
          }
        };
  }

  long readEntry(long physAddr, long virtAddr) throws MissingMemoryException {
    int ps = memory.pageSize();
    try {
      PageState st = memory.readPage(Long.divideUnsigned(physAddr, ps), page);
      if (st != PageState.PRESENT) {
        throw new MissingMemoryException(
            String.format(
                "page table at physical 0x%x (translating 0x%x) is %s",
                physAddr, virtAddr, st.word()));
      }
    } catch (MissingMemoryException e) {
      throw e;
    } catch (IOException e) {
      throw new MissingMemoryException(
          String.format("page table at physical 0x%x: %s", physAddr, e.getMessage()));
    }
    return Bytes.readU64Le(page, (int) Long.remainderUnsigned(physAddr, ps) & ~7);
  }

  @org.jspecify.annotations.Nullable
  Long cached(long virtPage) {
    return tlb.get(virtPage);
  }

  void remember(long virtPage, long physPage) {
    tlb.put(virtPage, physPage);
  }
}
