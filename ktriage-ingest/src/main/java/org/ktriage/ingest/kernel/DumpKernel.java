package org.ktriage.ingest.kernel;

import java.util.HashMap;
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

  /** The kernel of an opened dump (kallsyms and BTF must be present). */
  public static KernelView open(Vmcore vmcore) throws UnreadableInputException {
    return KernelView.open(memory(vmcore.kernelMemory()), symbols(vmcore.kallsyms()));
  }

  /** Adapts the dump reader's kernel memory. */
  public static VirtualMemory memory(KernelMemory km) {
    return new VirtualMemory() {
      @Override
      public void read(long virtAddr, byte[] dst, int off, int len)
          throws UnreadableInputException {
        byte[] b = km.readExact(virtAddr, len, String.format("kernel memory 0x%x", virtAddr));
        System.arraycopy(b, 0, dst, off, len);
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
