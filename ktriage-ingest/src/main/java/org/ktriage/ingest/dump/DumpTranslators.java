package org.ktriage.ingest.dump;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.elf.ElfCore;
import org.ktriage.ingest.elf.ElfNote;
import org.ktriage.ingest.kdump.KdumpHeader;
import org.ktriage.ingest.mm.Arm64Translator;
import org.ktriage.ingest.mm.PhysicalMemory;
import org.ktriage.ingest.mm.X86_64Translator;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;

/** The kernel virtual-to-physical translation of a dump, set up from its VMCOREINFO and notes. */
final class DumpTranslators {
  private DumpTranslators() {}

  /**
   * x86-64: the kernel-image map at {@code __START_KERNEL_map + phys_base}, the direct map, and a
   * table walk from {@code init_top_pgt} (or the CR3 a QEMU note holds).
   */
  static X86_64Translator x86_64(
      String path,
      PhysicalMemory physical,
      VmcoreInfo vi,
      @Nullable ElfCore elf,
      @Nullable KdumpHeader kdumpHeader,
      List<ElfNote> notes)
      throws UnreadableInputException {
    Long physBase = vi.number("phys_base");
    if (physBase == null && elf != null) {
      physBase = elf.physBaseFromKernelText();
    }
    if (physBase == null && kdumpHeader != null && !kdumpHeader.release().isEmpty()) {
      // QEMU fills only utsname.machine and writes a wrong sub-header phys_base; trust
      // makedumpfile's
      physBase = kdumpHeader.physBase();
    }
    Long pageOffsetBase = elf != null && !elf.physicalOnly() ? elf.directMapBase() : null;
    Long l5 = vi.number("pgtable_l5_enabled");
    boolean fiveLevel = l5 != null && l5 == 1;
    Long cr3 = null;
    for (ElfNote n : notes) {
      if (n.name().equals("QEMU")) {
        Long c = PrstatusLayout.qemuControlRegisters(n.desc()).get("CR3");
        Long cr4 = PrstatusLayout.qemuControlRegisters(n.desc()).get("CR4");
        if (c != null && cr3 == null) {
          cr3 = c;
          if (l5 == null && cr4 != null) {
            fiveLevel = (cr4 & (1L << 12)) != 0;
          }
        }
      }
    }
    Long root = vi.symbol("init_top_pgt");
    if (root == null) {
      root = vi.symbol("init_level4_pgt");
    }
    if (root == null) {
      root = vi.symbol("swapper_pg_dir");
    }
    long rootPhys;
    if (root != null && physBase != null) {
      rootPhys = root - X86_64Translator.START_KERNEL_MAP + physBase;
    } else if (cr3 != null) {
      rootPhys = cr3;
    } else {
      throw new UnsupportedDumpException(
          path
              + ": neither phys_base with SYMBOL(init_top_pgt) nor a CR3 is known; cannot"
              + " translate kernel addresses");
    }
    Long imageSize = vi.number("KERNEL_IMAGE_SIZE");
    Long sme = vi.number("sme_mask");
    return new X86_64Translator(
        physical,
        physBase,
        pageOffsetBase,
        imageSize != null ? imageSize : 1L << 30,
        rootPhys,
        fiveLevel,
        sme != null ? sme : 0);
  }

  /** arm64: linear map, kernel image at {@code kimage_voffset}, table walk from swapper_pg_dir. */
  static Arm64Translator arm64(String path, PhysicalMemory physical, VmcoreInfo vi)
      throws UnreadableInputException {
    Long t1sz = vi.number("TCR_EL1_T1SZ");
    if (t1sz == null) {
      t1sz = vi.number("tcr_el1_t1sz");
    }
    Long vaBits = t1sz != null ? Long.valueOf(64 - t1sz) : vi.number("VA_BITS");
    Long physOffset = vi.number("PHYS_OFFSET");
    Long kimage = vi.number("kimage_voffset");
    Long swapper = vi.symbol("swapper_pg_dir");
    Long pageSize = vi.pageSize();
    if (vaBits == null || physOffset == null || kimage == null || swapper == null) {
      throw new UnsupportedDumpException(
          path
              + ": VMCOREINFO lacks the arm64 keys (VA_BITS, PHYS_OFFSET, kimage_voffset,"
              + " swapper_pg_dir) needed to translate kernel addresses");
    }
    // probe the layout: v5.4+ kernels export TCR_EL1_T1SZ (v5.9+) or place _stext in the upper half
    Long stext = vi.symbol("_stext");
    boolean flipped =
        t1sz != null || (stext != null && ((stext >>> (vaBits - 1)) & 1) != 0 && vaBits < 64);
    return new Arm64Translator(
        physical,
        (int) (long) vaBits,
        physOffset,
        kimage,
        swapper,
        pageSize != null ? (int) (long) pageSize : 4096,
        flipped);
  }
}
