package org.ktriage.ingest.kernel;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.dump.Vmcore;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.mm.KernelMemory;

/**
 * Opens a {@link KernelView} on a dump read by {@link Vmcore}: its translated kernel memory and the
 * kallsyms decoded from VMCOREINFO.
 */
public final class DumpKernel {
  private DumpKernel() {}

  /**
   * The kernel of an opened dump (kallsyms and BTF must be present), its symbols joined by those of
   * the loaded modules where their tables can be read.
   */
  public static KernelView open(Vmcore vmcore) throws UnreadableInputException {
    return withModuleSymbols(
        KernelView.open(memory(vmcore.kernelMemory()), symbols(vmcore.kallsyms())));
  }

  /**
   * The view with the symbols of every loaded module added ({@link ModuleSymbols}); the view as it
   * was when the module list or {@code struct module}'s symbol members cannot be read.
   */
  public static KernelView withModuleSymbols(KernelView k) {
    try {
      ModuleSymbols m = ModuleSymbols.read(k, ModuleList.read(k));
      return m.size() == 0 ? k : k.withSymbols(ModuleSymbols.over(k.symbols(), m));
    } catch (UnreadableInputException | RuntimeException e) {
      return k;
    }
  }

  /**
   * The kernel of an opened dump whose kernel predates kallsyms in VMCOREINFO (v6.0): symbols from
   * a System.map, slid by the dump's KERNELOFFSET.
   */
  public static KernelView open(Vmcore vmcore, java.nio.file.Path systemMap)
      throws java.io.IOException {
    org.ktriage.ingest.vmcoreinfo.VmcoreInfo vi = vmcore.vmcoreinfo();
    Long offset = vi == null ? null : vi.kernelOffset();
    return withModuleSymbols(
        KernelView.open(
            memory(vmcore.kernelMemory()),
            symbols(KallsymsTable.fromSystemMap(systemMap, offset == null ? 0 : offset))));
  }

  /** Pages of translated kernel memory kept (1 MiB). */
  static final int CACHED_PAGES = 256;

  /**
   * Adapts the dump reader's kernel memory, keeping the last {@value #CACHED_PAGES} virtual pages
   * read: walking lists and stacks reads many small values from few pages, and each uncached read
   * costs a page-table walk.
   */
  public static VirtualMemory memory(KernelMemory km) {
    Map<Long, byte[]> cache =
        new LinkedHashMap<>(CACHED_PAGES * 2, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CACHED_PAGES;
          }
        };
    return new VirtualMemory() {
      @Override
      public synchronized void read(long virtAddr, byte[] dst, int off, int len)
          throws UnreadableInputException {
        int done = 0;
        while (done < len) {
          long va = virtAddr + done;
          long page = va & ~0xfffL;
          int inPage = (int) (va & 0xfff);
          int n = Math.min(4096 - inPage, len - done);
          byte[] bytes = cache.get(page);
          if (bytes == null) {
            bytes = km.readExact(page, 4096, String.format("kernel memory 0x%x", va));
            cache.put(page, bytes);
          }
          System.arraycopy(bytes, inPage, dst, off + done, n);
          done += n;
        }
      }
    };
  }

  /** Adapts the dump reader's kallsyms table. */
  public static SymbolTable symbols(KallsymsTable table) {
    Map<String, Optional<Long>> byName = new HashMap<>();
    return new SymbolTable() {
      @Override
      public synchronized @Nullable Long address(String name) {
        return byName
            .computeIfAbsent(name, n -> Optional.ofNullable(table.addressOf(n)))
            .orElse(null);
      }

      @Override
      public @Nullable KernelSymbol symbolize(long addr) {
        org.ktriage.ingest.kallsyms.KernelSymbol s = table.lookup(addr);
        return s == null ? null : new KernelSymbol(s.name(), s.address(), s.size(), s.type());
      }
    };
  }
}
