package org.ktriage.ingest.mm;

import org.ktriage.ingest.bin.MissingMemoryException;

/** Kernel virtual to physical address translation for one dump. */
public interface AddressTranslator {
  /**
   * The physical address of {@code virtAddr}.
   *
   * @throws MissingMemoryException when the address is not mapped, non-canonical, or a page table
   *     on the way is not in the dump
   */
  long toPhysical(long virtAddr) throws MissingMemoryException;
}
