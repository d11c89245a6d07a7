package org.ktriage.ingest.kernel;

import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.btf.Btf;

/**
 * Finds the vmlinux BTF in kernel memory: the bytes between the kallsyms symbols {@code
 * __start_BTF} and {@code __stop_BTF} (CONFIG_DEBUG_INFO_BTF, v5.2+), read once into the heap.
 */
public final class KernelBtf {
  /** Largest BTF accepted (distribution kernels carry 4–8 MiB). */
  public static final long MAX_BYTES = org.ktriage.ingest.bin.ReadLimits.BTF_BYTES;

  private KernelBtf() {}

  /** Reads and parses the kernel's BTF. */
  public static Btf read(VirtualMemory memory, SymbolTable symbols)
      throws UnreadableInputException {
    Long start = symbols.address("__start_BTF");
    Long stop = symbols.address("__stop_BTF");
    if (start == null || stop == null) {
      throw new MissingKernelSymbolException(
          start == null ? "__start_BTF" : "__stop_BTF",
          "BTF type information (kernel built without CONFIG_DEBUG_INFO_BTF?)");
    }
    long len = stop - start;
    if (len <= 0 || len > MAX_BYTES) {
      throw new CorruptKernelDataException(
          String.format(
              "BTF between __start_BTF 0x%x and __stop_BTF 0x%x has implausible size %d",
              start, stop, len));
    }
    byte[] blob = new byte[(int) len];
    int chunk = 1 << 16;
    for (int off = 0; off < len; off += chunk) {
      memory.read(start + off, blob, off, (int) Math.min(chunk, len - off));
    }
    return Btf.parse(blob, String.format("kernel BTF at 0x%x", start));
  }
}
