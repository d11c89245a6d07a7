package org.ktriage.ingest.mm;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical memory a dump carries, page by page; says for every page whether it is present,
 * filtered, not dumped or unreadable.
 */
public interface PhysicalMemory extends Closeable {
  /** Page size of the dump in bytes (a power of two). */
  int pageSize();

  /**
   * Reads page {@code pfn} into {@code dst} (at least {@link #pageSize()} bytes); a page that is
   * not {@link PageState#PRESENT} leaves zeros.
   */
  PageState readPage(long pfn, byte[] dst) throws IOException;

  /**
   * An upper bound on the bytes of page contents the dump can give: what its own tables say it
   * stores and its file actually holds. A scan that looks for something by its structure (the
   * kallsyms tables) looks at no more than this; {@link Long#MAX_VALUE} when unknown.
   */
  default long storedBytes() {
    return Long.MAX_VALUE;
  }

  /**
   * The first page frame in {@code [pfn, limit)} whose contents the dump may store, or {@code
   * limit} when none: frames it does not hold are skipped without reading (or zero-filling) them.
   * Without an index to consult, {@code pfn} itself.
   */
  default long nextStoredPfn(long pfn, long limit) {
    return pfn < limit ? pfn : limit;
  }

  /** Problems met so far while reading pages (corrupt page data and the like), for people. */
  List<String> problems();

  /** Reads {@code length} bytes at {@code physAddr}, reporting the absent parts. */
  default MemoryRead read(long physAddr, int length) throws IOException {
    int ps = pageSize();
    byte[] out = new byte[length];
    byte[] page = new byte[ps];
    List<MemoryRead.Gap> gaps = new ArrayList<>();
    long addr = physAddr;
    int done = 0;
    while (done < length) {
      long pfn = Long.divideUnsigned(addr, ps);
      int inPage = (int) Long.remainderUnsigned(addr, ps);
      int n = Math.min(ps - inPage, length - done);
      PageState st = readPage(pfn, page);
      if (st == PageState.PRESENT) {
        System.arraycopy(page, inPage, out, done, n);
      } else {
        MemoryRead.Gap last = gaps.isEmpty() ? null : gaps.get(gaps.size() - 1);
        if (last != null && last.state() == st && last.physAddr() + last.length() == addr) {
          gaps.set(gaps.size() - 1, new MemoryRead.Gap(last.physAddr(), last.length() + n, st));
        } else {
          gaps.add(new MemoryRead.Gap(addr, n, st));
        }
        java.util.Arrays.fill(page, (byte) 0);
      }
      addr += n;
      done += n;
    }
    return new MemoryRead(physAddr, out, gaps);
  }
}
