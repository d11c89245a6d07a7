package org.ktriage.ingest.kallsyms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.mm.PageState;
import org.ktriage.ingest.mm.PhysicalMemory;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * The kallsyms tables found by structure in the kernel image, with the VMCOREINFO kallsyms entries
 * ignored, are the tables the entries point at: every symbol, name, type and address.
 */
class KallsymsScannerTest {
  private static Path shared(String rel) {
    return Path.of(Objects.requireNonNull(System.getProperty("ktriage.shared"))).resolve(rel);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lab/fixtures/timer-after-unload-kdump.vmcore",
        "lab/fixtures/timer-after-unload-qemu.vmcore"
      })
  void scanFindsTheSameSymbolsAsTheNote(String dump) throws Exception {
    try (Vmcore v = Vmcore.open(shared(dump))) {
      KernelMemory km = v.kernelMemory();
      VmcoreInfo vi = Objects.requireNonNull(v.vmcoreinfo());
      KallsymsTable note = v.kallsyms();
      Long offset = vi.kernelOffset();
      long imageStart = 0xffffffff81000000L + (offset == null ? 0 : offset);
      // without _stext the scanner must pick the address encoding by itself
      KallsymsTable scanned = KallsymsScanner.scan(km, imageStart, null);
      assertThat(scanned).as("tables found in %s", dump).isNotNull();
      assertThat(Objects.requireNonNull(scanned).size()).isEqualTo(note.size());
      assertThat(scanned.symbols()).isEqualTo(note.symbols());
      assertThat(note.size()).isGreaterThan(50_000);
    }
  }

  /** A System.map (unslid addresses) given to the dump yields the note's symbols, slid by KASLR. */
  @org.junit.jupiter.api.Test
  void systemMapTakesThePlaceOfTheNote(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    try (Vmcore v = Vmcore.open(shared("lab/fixtures/timer-after-unload-kdump.vmcore"))) {
      KallsymsTable note = v.kallsyms();
      Long offset = Objects.requireNonNull(v.vmcoreinfo()).kernelOffset();
      long slide = offset == null ? 0 : offset;
      StringBuilder map = new StringBuilder();
      for (KernelSymbol s : note.symbols()) {
        if (Long.compareUnsigned(s.address(), 0xffffffff80000000L) >= 0) {
          map.append(String.format("%016x %c %s%n", s.address() - slide, s.type(), s.name()));
        }
      }
      Path file = tmp.resolve("System.map");
      java.nio.file.Files.writeString(file, map);
      v.useSystemMap(file);
      KallsymsTable fromMap = v.kallsyms();
      assertThat(fromMap.addressOf("__run_timers")).isEqualTo(note.addressOf("__run_timers"));
      assertThat(fromMap.size()).isGreaterThan(note.size() / 2);
    }
  }

  /** Counts the pages a scan reads. */
  private static final class CountingMemory implements PhysicalMemory {
    private final PhysicalMemory inner;
    long pagesRead;

    CountingMemory(PhysicalMemory inner) {
      this.inner = inner;
    }

    @Override
    public int pageSize() {
      return inner.pageSize();
    }

    @Override
    public PageState readPage(long pfn, byte[] dst) throws java.io.IOException {
      pagesRead++;
      return inner.readPage(pfn, dst);
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
    public java.util.List<String> problems() {
      return inner.problems();
    }

    @Override
    public void close() throws java.io.IOException {
      inner.close();
    }
  }

  /**
   * A dump cut after its headers (what a fuzzer or a failed copy gives) stores no page of the
   * kernel image: the scan reads none, allocates next to nothing and ends at once, where it used to
   * read 96 MiB of zero-filled absent memory (a 96 KiB file cost a 96 MiB scan).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "lab/fixtures/timer-after-unload-kdump.vmcore",
        "lab/fixtures/timer-after-unload-qemu.vmcore"
      })
  void scanOfACutDumpLooksAtNoMoreThanItStores(
      String dump, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path cut = tmp.resolve("cut.vmcore");
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(shared(dump))) {
      java.nio.file.Files.write(cut, in.readNBytes(96 << 10));
    }
    try (Vmcore v = Vmcore.open(cut)) {
      KernelMemory km = v.kernelMemory();
      CountingMemory counting = new CountingMemory(km.physical());
      KernelMemory k = new KernelMemory(counting, km.translator());
      Long offset = Objects.requireNonNull(v.vmcoreinfo()).kernelOffset();
      long imageStart = 0xffffffff81000000L + (offset == null ? 0 : offset);
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      KallsymsTable first = KallsymsScanner.scan(k, imageStart, null); // loads the classes
      long allocated = threads.getCurrentThreadAllocatedBytes();
      long start = System.nanoTime();
      KallsymsTable second = KallsymsScanner.scan(k, imageStart, null);
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
      assertThat(first).isNull();
      assertThat(second).isNull();
      assertThat(counting.storedBytes()).as("bytes %s stores", dump).isZero();
      assertThat(counting.pagesRead).as("pages read").isZero();
      assertThat(allocated).as("bytes allocated").isLessThan(64L << 10);
      assertThat(tookMs).as("ms").isLessThan(1_000);
    }
  }

  /**
   * A whole dump stores more than the scan's 96 MiB window, and stepping over what it does not
   * store still reaches the tables (the scan above finds them in the real dumps): here the pages a
   * scan reads stay within what the dump stores.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "lab/fixtures/timer-after-unload-kdump.vmcore",
        "lab/fixtures/timer-after-unload-qemu.vmcore"
      })
  void scanReadsOnlyStoredPages(String dump) throws Exception {
    try (Vmcore v = Vmcore.open(shared(dump))) {
      KernelMemory km = v.kernelMemory();
      CountingMemory counting = new CountingMemory(km.physical());
      KernelMemory k = new KernelMemory(counting, km.translator());
      Long offset = Objects.requireNonNull(v.vmcoreinfo()).kernelOffset();
      long imageStart = 0xffffffff81000000L + (offset == null ? 0 : offset);
      assertThat(KallsymsScanner.scan(k, imageStart, null)).isNotNull();
      assertThat(counting.pagesRead * counting.pageSize())
          .isPositive()
          .isLessThanOrEqualTo(counting.storedBytes());
    }
  }

  /** Memory holding {@code image} at {@code IMAGE}, nothing past it. */
  private static KernelMemory imageMemory(byte[] image) {
    PhysicalMemory physical =
        new PhysicalMemory() {
          @Override
          public int pageSize() {
            return 4096;
          }

          @Override
          public PageState readPage(long pfn, byte[] dst) {
            long from = pfn * 4096;
            if (pfn < 0 || from >= image.length) {
              return PageState.NOT_DUMPED;
            }
            int n = (int) Math.min(4096, image.length - from);
            System.arraycopy(image, (int) from, dst, 0, n);
            java.util.Arrays.fill(dst, n, 4096, (byte) 0);
            return PageState.PRESENT;
          }

          @Override
          public long storedBytes() {
            return (image.length + 4095L) & ~4095L;
          }

          @Override
          public long nextStoredPfn(long pfn, long limit) {
            return pfn < limit && pfn * 4096 < image.length ? pfn : limit;
          }

          @Override
          public java.util.List<String> problems() {
            return java.util.List.of();
          }

          @Override
          public void close() {}
        };
    return new KernelMemory(
        physical,
        va -> {
          long off = va - IMAGE;
          if (off < 0 || off >= (1L << 30)) {
            throw new org.ktriage.ingest.bin.MissingMemoryException("not mapped");
          }
          return off;
        });
  }

  private static final long IMAGE = 0xffffffff81000000L;

  /**
   * An image that is digit runs end to end ({@code "0\0" .. "9\0"}, as kallsyms_token_table holds
   * them) makes every 20 bytes a candidate token table, and words before them claim counts of
   * names: each candidate is tried within the memory stored around it, read once per page, where
   * each used to read a zero-filled 20 MiB window (64 KiB of digit runs: 3 000 candidates, 60 GiB
   * allocated) and to allocate arrays for the count a word claimed before checking the bytes hold
   * that many names.
   */
  @org.junit.jupiter.api.Test
  void candidatesCostTheStoredBytesOnly() {
    byte[] image = new byte[64 << 10];
    byte[] digits = "0\0001\0002\0003\0004\0005\0006\0007\0008\0009\000".getBytes();
    for (int at = 0; at + digits.length <= image.length; at += digits.length) {
      System.arraycopy(digits, 0, image, at, digits.length);
    }
    // kallsyms_num_syms-like words (4 M names, upper half zero) ahead of the token tables
    for (int at = 0; at + 8 <= 8 << 10; at += 8) {
      java.nio.ByteBuffer.wrap(image, at, 8)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putLong(4_000_000L);
    }
    KernelMemory mem = imageMemory(image);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    assertThat(KallsymsScanner.scan(mem, IMAGE, null)).isNull(); // loads the classes
    long allocated = threads.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    assertThat(KallsymsScanner.scan(mem, IMAGE, IMAGE)).isNull();
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
    assertThat(allocated).as("bytes allocated").isLessThan(32L << 20);
    assertThat(tookMs).as("ms").isLessThan(5_000);
  }
}
