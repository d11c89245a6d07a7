package org.ktriage.ingest.bin;

/**
 * Every cap on the work and memory an input may cost, in one place. Headers of dumps and logs are
 * untrusted: a reader sizes its work by the smaller of what a header claims, what the file really
 * holds, and the cap here. A reader that hits a cap reads what fits, and says so as a problem
 * (which marks the report PARTIAL) naming the cap; only what cannot be read at all is an {@link
 * org.ktriage.ingest.UnreadableInputException}. Each figure is far above what a real kernel writes
 * (reasons beside each).
 */
public final class ReadLimits {
  private ReadLimits() {}

  /**
   * ELF program headers read from a core: one PT_LOAD per memory range plus one PT_NOTE per CPU
   * (kexec-tools and makedumpfile write tens to a few thousands).
   */
  public static final long PROGRAM_HEADERS = 1L << 17;

  /**
   * Bytes of ELF notes read from one dump, over all PT_NOTE segments or the kdump note area: an
   * NT_PRSTATUS (336 bytes on x86_64) and a QEMU or xen note per CPU, and VMCOREINFO (a page) —
   * 8192 CPUs need under 16 MiB.
   */
  public static final long NOTE_BYTES = 16L << 20;

  /** ELF notes kept from one dump (two per CPU for CONFIG_NR_CPUS=8192, with room). */
  public static final int NOTES = 1 << 16;

  /**
   * Page frames a kdump bitmap may describe: 2^33 is 32 TiB of RAM in 4 KiB pages, the bitmaps 1
   * GiB each (scanned once at open); memory above a larger claim is not read.
   */
  public static final long PAGE_FRAMES = 1L << 33;

  /**
   * Bytes of the printk rings read (descriptors, infos, text): CONFIG_LOG_BUF_SHIFT tops out at 25
   * (32 MiB), log_buf_len= may ask for more.
   */
  public static final long PRINTK_RING_BYTES = 1L << 27;

  /** Bytes of kernel BTF read from a dump (vmlinux BTF is 4 to 8 MiB). */
  public static final long BTF_BYTES = 64L << 20;

  /** Bytes a compressed input (gzip, xz, zstd, bzip2, lz4) may inflate to. */
  public static final long INFLATED_BYTES = 1L << 30;

  /** Bytes of a dump read from standard input and spooled to a temporary file. */
  public static final long SPOOLED_BYTES = 4L << 30;

  /** Bytes of one text line kept; the rest of a longer line is dropped (and said). */
  public static final int LINE_BYTES = 64 * 1024;

  /** Reports kept from one text log; later ones are counted and said. */
  public static final int REPORTS_PER_LOG = 2000;

  /** Lines kept in one report (a Call Trace of 10 million frames keeps its first lines). */
  public static final int LINES_PER_REPORT = 5000;
}
