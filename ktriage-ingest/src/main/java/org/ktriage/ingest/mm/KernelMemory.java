package org.ktriage.ingest.mm;

import java.io.IOException;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.MissingMemoryException;

/** Reads kernel virtual memory of a dump through an {@link AddressTranslator}. */
public final class KernelMemory {
  private final PhysicalMemory physical;
  private final AddressTranslator translator;
  private final byte[] page;

  /** Combines a physical memory view with a translator. */
  public KernelMemory(PhysicalMemory physical, AddressTranslator translator) {
    this.physical = physical;
    this.translator = translator;
    this.page = new byte[physical.pageSize()];
  }

  /** The physical memory underneath. */
  public PhysicalMemory physical() {
    return physical;
  }

  /** The translator. */
  public AddressTranslator translator() {
    return translator;
  }

  /**
   * Reads {@code len} bytes at {@code virtAddr}; every byte must be present.
   *
   * @param what what is being read, for the error message
   */
  public byte[] readExact(long virtAddr, int len, String what) throws MissingMemoryException {
    byte[] out = new byte[len];
    long missing = readInto(virtAddr, out, what, true);
    assert missing == 0;
    return out;
  }

  /**
   * Reads {@code len} bytes at {@code virtAddr}, zero-filling pages that are not present; returns
   * the number of missing bytes.
   */
  public long readLenient(long virtAddr, byte[] out, String what) throws MissingMemoryException {
    return readInto(virtAddr, out, what, false);
  }

  private long readInto(long virtAddr, byte[] out, String what, boolean strict)
      throws MissingMemoryException {
    int ps = physical.pageSize();
    int done = 0;
    long missing = 0;
    while (done < out.length) {
      long va = virtAddr + done;
      int inPage = (int) (va & (ps - 1));
      int n = Math.min(ps - inPage, out.length - done);
      long pa;
      PageState st;
      try {
        pa = translator.toPhysical(va);
        // a translation need not keep the in-page offset (a hostile phys_base): copy no further
        // than the end of the physical page as well as the virtual one
        n = Math.min(n, ps - (int) (pa & (ps - 1)));
        st = physical.readPage(Long.divideUnsigned(pa, ps), page);
      } catch (MissingMemoryException e) {
        if (strict) {
          throw new MissingMemoryException(what + ": " + e.getMessage());
        }
        missing += n;
        done += n;
        continue;
      } catch (IOException e) {
        throw new MissingMemoryException(
            what + " at 0x" + Long.toHexString(va) + ": " + e.getMessage());
      }
      if (st != PageState.PRESENT) {
        if (strict) {
          throw new MissingMemoryException(
              String.format(
                  "%s: page of 0x%x (physical 0x%x) is %s", what, va, pa & -ps, st.word()));
        }
        java.util.Arrays.fill(out, done, done + n, (byte) 0);
        missing += n;
      } else {
        System.arraycopy(page, (int) (pa & (ps - 1)), out, done, n);
      }
      done += n;
    }
    return missing;
  }

  /** Reads a u64 (LE). */
  public long readU64(long virtAddr, String what) throws MissingMemoryException {
    return Bytes.readU64Le(readExact(virtAddr, 8, what), 0);
  }

  /** Reads a u32 (LE). */
  public long readU32(long virtAddr, String what) throws MissingMemoryException {
    return Bytes.readU32Le(readExact(virtAddr, 4, what), 0);
  }
}
