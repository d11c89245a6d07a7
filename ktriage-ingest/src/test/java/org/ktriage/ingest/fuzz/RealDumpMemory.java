package org.ktriage.ingest.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.kallsyms.KernelSymbol;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.mm.PageState;
import org.ktriage.ingest.mm.PhysicalMemory;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * The memory of the real lab kdump fixture, opened once per JVM: the fuzz targets that take a
 * hostile VMCOREINFO read real kernel memory with it, so the offsets and sizes they are given index
 * real rings and tables.
 */
final class RealDumpMemory {
  /** Symbols kept past _stext in {@link #cutKallsyms}. */
  static final int KEPT_PAST_STEXT = 1024;

  private static @Nullable Vmcore vmcore;
  private static @Nullable KernelMemory cut;

  private RealDumpMemory() {}

  static synchronized Vmcore vmcore() throws IOException {
    Vmcore v = vmcore;
    if (v == null) {
      v = Vmcore.open(FuzzInputs.shared("lab/fixtures/timer-after-unload-kdump.vmcore"));
      vmcore = v;
    }
    return v;
  }

  static KernelMemory memory() throws IOException {
    return vmcore().kernelMemory();
  }

  /**
   * The real memory with {@code kallsyms_num_syms} reading the index of {@code _stext} plus {@link
   * #KEPT_PAST_STEXT}: the kernel's own table cut to its first symbols, every byte of it the
   * kernel's (names, token table and index, offsets, relative base), the percpu symbols and {@code
   * _stext} among them, so the address encoding is still picked by it. A hostile VMCOREINFO over it
   * costs a few thousand symbols instead of the whole table (over 100 000), which the kallsyms
   * tests decode in full.
   */
  static synchronized KernelMemory cutKallsyms() throws IOException {
    KernelMemory k = cut;
    if (k != null) {
      return k;
    }
    Vmcore v = vmcore();
    KernelMemory real = v.kernelMemory();
    VmcoreInfo info = Objects.requireNonNull(v.vmcoreinfo());
    List<KernelSymbol> all = KallsymsTable.load(info, real).symbols();
    int stext = 0;
    while (stext < all.size() && !all.get(stext).name().equals("_stext")) {
      stext++;
    }
    int keep = Math.min(all.size(), stext + KEPT_PAST_STEXT);
    long numSyms =
        real.translator().toPhysical(Objects.requireNonNull(info.symbol("kallsyms_num_syms")));
    PhysicalMemory p = real.physical();
    long pfn = numSyms / p.pageSize();
    int off = (int) (numSyms % p.pageSize());
    PhysicalMemory patched =
        new PhysicalMemory() {
          @Override
          public int pageSize() {
            return p.pageSize();
          }

          @Override
          public PageState readPage(long f, byte[] dst) throws IOException {
            PageState s = p.readPage(f, dst);
            if (f == pfn) {
              ByteBuffer.wrap(dst).order(ByteOrder.LITTLE_ENDIAN).putInt(off, keep);
            }
            return s;
          }

          @Override
          public long storedBytes() {
            return p.storedBytes();
          }

          @Override
          public long nextStoredPfn(long f, long limit) {
            return p.nextStoredPfn(f, limit);
          }

          @Override
          public List<String> problems() {
            return p.problems();
          }

          @Override
          public void close() {}
        };
    k = new KernelMemory(patched, real.translator());
    cut = k;
    return k;
  }
}
