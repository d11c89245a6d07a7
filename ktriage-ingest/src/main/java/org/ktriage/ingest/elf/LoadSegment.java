package org.ktriage.ingest.elf;

/**
 * One PT_LOAD program header.
 *
 * @param fileOffset p_offset
 * @param virtAddr p_vaddr
 * @param physAddr p_paddr
 * @param fileSize p_filesz (bytes stored)
 * @param memSize p_memsz (bytes described; the tail past fileSize is not stored)
 */
public record LoadSegment(
    long fileOffset, long virtAddr, long physAddr, long fileSize, long memSize) {
  /** One past the last described physical address. */
  public long physEnd() {
    return physAddr + memSize;
  }
}
