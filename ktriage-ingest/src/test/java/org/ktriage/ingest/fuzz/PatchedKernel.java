package org.ktriage.ingest.fuzz;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.kernel.DumpKernel;
import org.ktriage.ingest.kernel.KernelView;
import org.ktriage.ingest.kernel.VirtualMemory;

/**
 * The kernel of the real lab kdump fixture with hostile bytes laid over its memory: the fuzz input
 * is a list of patches, each {@code [anchor][offset: 2 bytes LE][length][bytes]}, where the anchor
 * picks one of the given kernel symbols and the patch lands at that symbol plus the offset. So
 * mutations hit the tables a reader walks (ORC tables, init_task, the module list, timer bases)
 * rather than random pages of a 16 MB dump.
 */
public final class PatchedKernel {
  private static @Nullable KernelView real;

  private PatchedKernel() {}

  private static synchronized KernelView real() throws IOException {
    KernelView k = real;
    if (k == null) {
      k = DumpKernel.open(RealDumpMemory.vmcore());
      real = k;
    }
    return k;
  }

  /** The real kernel with {@code data}'s patches laid at the given symbols. */
  public static KernelView open(byte[] data, String... anchors) throws IOException {
    KernelView k = real();
    List<long[]> where = new ArrayList<>();
    List<byte[]> what = new ArrayList<>();
    int i = 0;
    while (i + 4 <= data.length) {
      String anchor = anchors[(data[i] & 0xff) % anchors.length];
      int off = (data[i + 1] & 0xff) | (data[i + 2] & 0xff) << 8;
      int len = Math.min(data[i + 3] & 0xff, data.length - i - 4);
      Long base = k.findSymbol(anchor);
      if (base != null) {
        where.add(new long[] {base + off});
        byte[] b = new byte[len];
        System.arraycopy(data, i + 4, b, 0, len);
        what.add(b);
      }
      i += 4 + len;
    }
    VirtualMemory inner = k.memory();
    VirtualMemory patched =
        (long virtAddr, byte[] dst, int dstOff, int len) -> {
          inner.read(virtAddr, dst, dstOff, len);
          for (int p = 0; p < where.size(); p++) {
            long at = where.get(p)[0];
            byte[] b = what.get(p);
            // the overlap of the patch [at, at + b.length) with the read [virtAddr, virtAddr + len)
            if (Long.compareUnsigned(at - virtAddr, len) < 0) {
              int into = (int) (at - virtAddr);
              System.arraycopy(b, 0, dst, dstOff + into, Math.min(b.length, len - into));
            } else if (Long.compareUnsigned(virtAddr - at, b.length) < 0) {
              int from = (int) (virtAddr - at);
              System.arraycopy(b, from, dst, dstOff, Math.min(b.length - from, len));
            }
          }
        };
    // one view per input over the patched memory, sharing the real kernel's symbols and BTF
    // layouts (what the input cannot change) and reading the per-CPU offsets from the patches
    return k.withMemory(patched);
  }

  /** Runs the body; only the project's unreadable-input exception is accepted. */
  public static void expectOnlyUnreadable(FuzzInputs.Body body) throws Exception {
    FuzzInputs.expectOnlyUnreadable(body);
  }
}
