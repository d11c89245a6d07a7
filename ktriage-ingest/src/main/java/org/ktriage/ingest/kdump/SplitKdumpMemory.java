package org.ktriage.ingest.kdump;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ktriage.ingest.mm.PageState;
import org.ktriage.ingest.mm.PhysicalMemory;

/**
 * The physical memory of a split dump set ({@code makedumpfile --split}): each part covers a pfn
 * range, reads are routed to the part that covers the pfn.
 */
public final class SplitKdumpMemory implements PhysicalMemory {
  private final List<KdumpCompressedReader> parts;

  /** Combines the parts (any order). */
  public SplitKdumpMemory(List<KdumpCompressedReader> parts) {
    this.parts = List.copyOf(parts);
  }

  /** The parts. */
  public List<KdumpCompressedReader> parts() {
    return parts;
  }

  @Override
  public int pageSize() {
    return parts.get(0).pageSize();
  }

  @Override
  public PageState readPage(long pfn, byte[] dst) throws IOException {
    for (KdumpCompressedReader p : parts) {
      if (p.covers(pfn)) {
        return p.readPage(pfn, dst);
      }
    }
    Arrays.fill(dst, 0, pageSize(), (byte) 0);
    return PageState.NOT_DUMPED;
  }

  @Override
  public long storedBytes() {
    long sum = 0;
    for (KdumpCompressedReader p : parts) {
      sum += p.storedBytes(); // each under ReadLimits.PAGE_FRAMES pages: no overflow
    }
    return sum;
  }

  @Override
  public long nextStoredPfn(long pfn, long limit) {
    long next = limit;
    for (KdumpCompressedReader p : parts) {
      next = Math.min(next, p.nextStoredPfn(pfn, next));
    }
    return next;
  }

  @Override
  public List<String> problems() {
    List<String> all = new ArrayList<>();
    for (KdumpCompressedReader p : parts) {
      all.addAll(p.problems());
    }
    return all;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (KdumpCompressedReader p : parts) {
      try {
        p.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
