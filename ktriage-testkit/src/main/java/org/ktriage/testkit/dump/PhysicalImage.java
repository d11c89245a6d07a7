package org.ktriage.testkit.dump;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A sparse physical memory image for synthetic dumps: stored pages by pfn, pfns that are RAM but
 * filtered out, and the number of pfns the machine has.
 */
public final class PhysicalImage {
  /** Page size of every synthetic dump. */
  public static final int PAGE_SIZE = 4096;

  private final long maxPfn;
  private final TreeMap<Long, byte[]> pages = new TreeMap<>();
  private final TreeSet<Long> filtered = new TreeSet<>();

  /** An image of {@code maxPfn} page frames, all absent. */
  public PhysicalImage(long maxPfn) {
    this.maxPfn = maxPfn;
  }

  /** Number of page frames. */
  public long maxPfn() {
    return maxPfn;
  }

  /** Writes bytes at a physical address, creating zero pages as needed. */
  public PhysicalImage write(long physAddr, byte[] data) {
    for (int i = 0; i < data.length; ) {
      long pa = physAddr + i;
      long pfn = pa / PAGE_SIZE;
      int in = (int) (pa % PAGE_SIZE);
      int n = Math.min(PAGE_SIZE - in, data.length - i);
      byte[] page = pages.computeIfAbsent(pfn, k -> new byte[PAGE_SIZE]);
      System.arraycopy(data, i, page, in, n);
      i += n;
    }
    return this;
  }

  /** Writes a u64 (LE) at a physical address. */
  public PhysicalImage writeU64(long physAddr, long value) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (value >>> (8 * i));
    }
    return write(physAddr, b);
  }

  /** Stores a page of zeros (a present, all-zero page). */
  public PhysicalImage zeroPage(long pfn) {
    pages.computeIfAbsent(pfn, k -> new byte[PAGE_SIZE]);
    return this;
  }

  /** Marks a pfn as RAM excluded by the dump level. */
  public PhysicalImage filter(long pfn) {
    filtered.add(pfn);
    pages.remove(pfn);
    return this;
  }

  /** Stored pages in pfn order (shared arrays; do not modify). */
  public Map<Long, byte[]> pages() {
    return pages;
  }

  /** Filtered pfns. */
  public java.util.Set<Long> filtered() {
    return filtered;
  }

  /** Reads back stored bytes (zeros where absent). */
  public byte[] read(long physAddr, int len) {
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      long pa = physAddr + i;
      byte[] p = pages.get(pa / PAGE_SIZE);
      out[i] = p == null ? 0 : p[(int) (pa % PAGE_SIZE)];
    }
    return out;
  }
}
