package org.ktriage.ingest.kdump;

/**
 * The fields of {@code disk_dump_header} (block 0) and {@code kdump_sub_header} (block 1) this
 * reader uses (64-bit producer layout).
 *
 * @param version header_version (1..6)
 * @param release utsname.release
 * @param versionString utsname.version
 * @param machine utsname.machine ({@code x86_64}, {@code aarch64}, …)
 * @param nodename utsname.nodename
 * @param status header status flags (compression, incomplete, excluded vmemmap)
 * @param blockSize page size of the dump
 * @param subHeaderBlocks sub_hdr_size in blocks
 * @param bitmapBlocks bitmap_blocks (both bitmaps)
 * @param maxMapnr number of pfns covered (max_mapnr_64 from v6)
 * @param nrCpus nr_cpus
 * @param physBase sub header phys_base
 * @param dumpLevel sub header dump_level
 * @param split true when this file is one part of a split set
 * @param startPfn first pfn of this part
 * @param endPfn one past the last pfn of this part
 * @param offsetVmcoreinfo file offset of the VMCOREINFO text, 0 if none
 * @param sizeVmcoreinfo its size
 * @param offsetNote file offset of the ELF notes, 0 if none
 * @param sizeNote their size
 */
public record KdumpHeader(
    int version,
    String release,
    String versionString,
    String machine,
    String nodename,
    int status,
    int blockSize,
    int subHeaderBlocks,
    long bitmapBlocks,
    long maxMapnr,
    int nrCpus,
    long physBase,
    int dumpLevel,
    boolean split,
    long startPfn,
    long endPfn,
    long offsetVmcoreinfo,
    long sizeVmcoreinfo,
    long offsetNote,
    long sizeNote) {
  /** Header status bit: the dump was cut short. */
  public static final int DUMP_DH_COMPRESSED_INCOMPLETE = 0x08;

  /** Header status bit: unused vmemmap pages were excluded. */
  public static final int DUMP_DH_EXCLUDED_VMEMMAP = 0x10;

  /** True when the writer flagged the dump as incomplete. */
  public boolean incomplete() {
    return (status & DUMP_DH_COMPRESSED_INCOMPLETE) != 0;
  }
}
