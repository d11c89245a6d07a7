package org.ktriage.ingest.mm;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A bounded LRU cache of decoded pages in front of another {@link PhysicalMemory}. */
public final class CachedPhysicalMemory implements PhysicalMemory {
  @SuppressWarnings("ArrayRecordComponent") // a cached page, never compared
  private record CachedPage(PageState state, byte[] bytes) {}

  private final PhysicalMemory inner;
  private final LinkedHashMap<Long, CachedPage> cache;

  /** The byte array of the page last evicted, reused for the next miss (no garbage per miss). */
  private byte @Nullable [] spare;

  /** Keeps at most {@code maxPages} pages. */
  public CachedPhysicalMemory(PhysicalMemory inner, int maxPages) {
    this.inner = inner;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, CachedPage> eldest) {
            if (size() > maxPages) {
              spare = eldest.getValue().bytes();
              return true;
            }
            return false;
          }
        };
  }

  @Override
  public int pageSize() {
    return inner.pageSize();
  }

  @Override
  public PageState readPage(long pfn, byte[] dst) throws IOException {
    CachedPage e = cache.get(pfn);
    if (e == null) {
      byte[] b = spare;
      spare = null;
      if (b == null || b.length != inner.pageSize()) {
        b = new byte[inner.pageSize()];
      } else {
        // the reader leaves a page it does not have untouched: zeros, as in a new array
        Arrays.fill(b, (byte) 0);
      }
      PageState st = inner.readPage(pfn, b);
      e = new CachedPage(st, b);
      cache.put(pfn, e);
    }
    System.arraycopy(e.bytes(), 0, dst, 0, e.bytes().length);
    return e.state();
  }

  @Override
  public long storedBytes() {
    return inner.storedBytes();
  }

  @Override
  public long nextStoredPfn(long pfn, long limit) {
    return inner.nextStoredPfn(pfn, limit);
  }

  @Override
  public List<String> problems() {
    return inner.problems();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
