package org.ktriage.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.kallsyms.KallsymsScanner;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.mm.PageState;
import org.ktriage.ingest.mm.PhysicalMemory;

/**
 * Any bytes as the start of a kernel image whose VMCOREINFO names no kallsyms tables (kernels
 * before 6.0): the scanner looks for the token table by its digits and checks the names, markers,
 * token index and addresses around it (scripts/kallsyms.c, both output orders). The pages past the
 * input are not dumped. A table, null, or an unreadable-input exception comes out, with _stext
 * unknown and known. Seeds: small tables in the layout scripts/kallsyms.c writes, in the order of
 * v6.4+ (relative offsets after the token index, two-byte name lengths) and before v4.20 (absolute
 * addresses before kallsyms_num_syms, unsigned long markers).
 */
class KallsymsScannerFuzzer {
  /** __START_KERNEL_map + 16 MiB, where an x86-64 image without KASLR starts. */
  static final long IMAGE = 0xffffffff81000000L;

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] data) throws Exception {
    PhysicalMemory physical =
        new PhysicalMemory() {
          @Override
          public int pageSize() {
            return 4096;
          }

          @Override
          public PageState readPage(long pfn, byte[] dst) {
            long from = pfn * 4096;
            if (pfn < 0 || from >= data.length) {
              return PageState.NOT_DUMPED;
            }
            int n = (int) Math.min(4096, data.length - from);
            System.arraycopy(data, (int) from, dst, 0, n);
            java.util.Arrays.fill(dst, n, 4096, (byte) 0);
            return PageState.PRESENT;
          }

          // what the input stores, as every dump reader says it (the scan looks at no more)
          @Override
          public long storedBytes() {
            return (data.length + 4095L) & ~4095L;
          }

          @Override
          public long nextStoredPfn(long pfn, long limit) {
            return pfn < limit && pfn * 4096 < data.length ? pfn : limit;
          }

          @Override
          public List<String> problems() {
            return List.of();
          }

          @Override
          public void close() {}
        };
    KernelMemory mem =
        new KernelMemory(
            physical,
            va -> {
              long off = va - IMAGE;
              if (off < 0 || off >= (1L << 30)) {
                throw new MissingMemoryException("0x" + Long.toHexString(va) + " not mapped");
              }
              return off;
            });
    FuzzInputs.expectOnlyUnreadable(
        () -> {
          for (Long stext : new Long[] {null, IMAGE}) {
            KallsymsTable t = KallsymsScanner.scan(mem, IMAGE, stext);
            if (t != null) {
              t.lookup(IMAGE + 0x100);
              t.addressOf("_stext");
            }
          }
        });
  }
}
