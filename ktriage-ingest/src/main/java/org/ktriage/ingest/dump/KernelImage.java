package org.ktriage.ingest.dump;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ktriage.ingest.mm.Arm64Translator;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/**
 * Where the kernel image starts in kernel virtual memory, for the search of its kallsyms tables by
 * structure when VMCOREINFO does not point at them (kernels before 6.0): the tables lie in the
 * image's read-only data after its text, so a scan from the image start (or from {@code _stext})
 * reaches them.
 */
public final class KernelImage {
  private KernelImage() {}

  /** x86-64 {@code __START_KERNEL}: {@code __START_KERNEL_map} + {@code CONFIG_PHYSICAL_START}. */
  static final long X86_64_START_KERNEL = 0xffffffff81000000L;

  /** How far into the image its text is mapped: {@code _stext} is 64 KiB in since v5.8. */
  private static final long ARM64_HEAD_PROBE = 2L << 20;

  /**
   * Where to scan from, best first. x86-64: {@code _stext} where VMCOREINFO names it, else {@code
   * __START_KERNEL} slid by {@code KERNELOFFSET}. arm64: {@code _stext}, else {@code KIMAGE_VADDR}
   * slid by {@code KERNELOFFSET} (the kernel's {@code kaslr_offset()}, arch/arm64/kernel/
   * crash_core.c), {@code KIMAGE_VADDR} being {@code MODULES_END} (arch/arm64/include/asm/memory.h
   * since v4.6) as VMCOREINFO exports it, or one of the values the kernel has used ({@link
   * #arm64KimageVaddrs}) whose first 2 MiB the page tables map as the kernel image is mapped, at
   * {@code va - kimage_voffset} (the Image header before {@code _stext} is freed at boot,
   * arm64_memblock_init() reserves from {@code _stext}: the mapping is what tells).
   */
  public static List<Long> scanStarts(String arch, VmcoreInfo vi, KernelMemory mem) {
    Long stext = vi.symbol("_stext");
    Long offset = vi.kernelOffset();
    long slide = offset == null ? 0 : offset;
    if (stext != null) {
      return List.of(stext);
    }
    if (!arch.equals("arm64")) {
      return List.of(X86_64_START_KERNEL + slide);
    }
    Long modulesEnd = vi.number("MODULES_END");
    if (modulesEnd != null) {
      return List.of(modulesEnd + slide);
    }
    Long vaBits = vi.number("VA_BITS");
    if (vaBits == null || vaBits < 36 || vaBits > 52) {
      return List.of();
    }
    List<Long> mapped = new ArrayList<>();
    if (!(mem.translator() instanceof Arm64Translator t)) {
      return mapped;
    }
    for (long kimage : arm64KimageVaddrs((int) (long) vaBits)) {
      long start = kimage + slide;
      for (long off = 0; off < ARM64_HEAD_PROBE; off += 64 << 10) {
        if (t.mapsKernelImage(start + off)) {
          mapped.add(start);
          break;
        }
      }
    }
    return mapped;
  }

  /**
   * arm64 {@code KIMAGE_VADDR} (= {@code MODULES_END}) for a kernel without KASAN by era,
   * arch/arm64/include/asm/memory.h: v4.6-v4.20 {@code VA_START} + 128 MiB of modules; v5.0-v5.3
   * also 128 MiB of BPF JIT region before them; v5.4-v5.12 the flipped layout, {@code
   * _PAGE_END(VA_BITS_MIN)} + BPF + modules; v5.13-v6.4 without the BPF region; v6.5+ 2 GiB of
   * modules.
   */
  static Set<Long> arm64KimageVaddrs(int vaBits) {
    long vaStart = -(1L << vaBits);
    long pageEnd = -(1L << (Math.min(vaBits, 48) - 1));
    long m128 = 128L << 20;
    Set<Long> out = new LinkedHashSet<>();
    out.add(pageEnd + m128);
    out.add(pageEnd + 2 * m128);
    out.add(pageEnd + (2L << 30));
    out.add(vaStart + m128);
    out.add(vaStart + 2 * m128);
    return out;
  }
}
