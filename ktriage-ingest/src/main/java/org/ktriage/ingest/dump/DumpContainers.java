package org.ktriage.ingest.dump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.CorruptDumpException;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.bin.FileDumpSource;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.elf.ElfCore;
import org.ktriage.ingest.elf.ElfNote;
import org.ktriage.ingest.kdump.FlattenedDumpSource;
import org.ktriage.ingest.kdump.KdumpCompressedReader;
import org.ktriage.ingest.kdump.KdumpHeader;
import org.ktriage.ingest.kdump.SplitKdumpMemory;
import org.ktriage.ingest.mm.CachedPhysicalMemory;
import org.ktriage.ingest.mm.PhysicalMemory;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;
import org.ktriage.model.InputFormat;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.MemoryLayout;

/**
 * The containers a dump comes in (ELF core, kdump-compressed, flattened, split set): which one a
 * file is, its architecture, its VMCOREINFO (from the note, the kdump header, or the kernel's own
 * page found in memory), and the physical memory behind it.
 */
final class DumpContainers {
  private DumpContainers() {}

  /**
   * Opens a dump from already opened sources (one, or the parts of a split set); the returned
   * object owns them. On failure the caller still owns them.
   */
  static Vmcore open(List<DumpSource> sources) throws IOException {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no dump sources");
    }
    List<KdumpCompressedReader> parts = new ArrayList<>();
    InputFormat format = InputFormat.UNKNOWN;
    List<String> problems = new ArrayList<>();
    for (DumpSource src : sources) {
      byte[] head = new byte[16];
      int n = src.read(0, head, 0, 16);
      if (n < 8) {
        throw CorruptDumpException.at(
            src.name(), 0, "file of " + src.size() + " bytes is too short for any dump header");
      }
      if (ElfCore.sniff(head)) {
        if (sources.size() != 1) {
          throw new UnsupportedDumpException(src.name() + ": ELF cores cannot be split parts");
        }
        return fromElf(src.name(), ElfCore.open(src));
      }
      DumpSource logical = src;
      if (FlattenedDumpSource.sniff(head)) {
        FlattenedDumpSource flat = FlattenedDumpSource.open(src);
        problems.addAll(flat.problems());
        logical = flat;
        format = InputFormat.VMCORE_FLATTENED;
      } else if (KdumpCompressedReader.sniff(head)) {
        if (format == InputFormat.UNKNOWN) {
          format = InputFormat.VMCORE_KDUMP;
        }
      } else if (((head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z')
          || ((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b)) {
        throw new UnsupportedDumpException(
            src.name()
                + ": a compressed file (xz or gzip signature at offset 0); decompress the dump"
                + " first, it is read by random access");
      } else {
        throw CorruptDumpException.at(
            src.name(),
            0,
            "unknown dump signature: \"\\x7fELF\", \"KDUMP   \" or \"makedumpfile\" expected, got "
                + org.ktriage.ingest.bin.Bytes.quote(head, 0, 8));
      }
      parts.add(KdumpCompressedReader.open(logical));
    }
    return fromKdump(sources.get(0).name(), format, parts, problems);
  }

  static void closeQuietly(List<DumpSource> sources) {
    for (DumpSource s : sources) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing after a failure; the first failure is what matters
      }
    }
  }

  private static Vmcore fromElf(String path, ElfCore elf) throws IOException {
    String arch =
        switch (elf.machine()) {
          case ElfCore.EM_X86_64 -> "x86_64";
          case ElfCore.EM_AARCH64 -> "arm64";
          default ->
              throw new UnsupportedDumpException(
                  path
                      + ": ELF e_machine "
                      + elf.machine()
                      + " at offset 18: only x86_64 and arm64");
        };
    VmcoreInfo vi = null;
    for (ElfNote n : elf.notes()) {
      if (n.name().equals("VMCOREINFO")) {
        vi = VmcoreInfo.parse(new String(n.desc(), StandardCharsets.ISO_8859_1));
      }
    }
    List<String> problems = new ArrayList<>();
    PhysicalMemory pm = new CachedPhysicalMemory(elf, 256);
    if (vi == null) {
      long end = 0;
      for (org.ktriage.ingest.elf.LoadSegment seg : elf.loads()) {
        if (seg.fileSize() > 0) {
          end = Math.max(end, seg.physAddr() + seg.fileSize());
        }
      }
      vi = scanForVmcoreinfo(path, pm, end / pm.pageSize() + 1, problems);
    }
    return new Vmcore(path, InputFormat.VMCORE_ELF, arch, pm, elf.notes(), vi, elf, null, problems);
  }

  private static Vmcore fromKdump(
      String path, InputFormat format, List<KdumpCompressedReader> parts, List<String> problems)
      throws IOException {
    KdumpCompressedReader first = parts.get(0);
    KdumpHeader h = first.header();
    PhysicalMemory pm;
    if (parts.size() > 1 || h.split()) {
      pm = new SplitKdumpMemory(parts);
      if (parts.size() == 1) {
        problems.add(
            path
                + " is one part of a split dump (pfns "
                + h.startPfn()
                + "–"
                + h.endPfn()
                + "); memory outside it is missing");
      }
    } else {
      pm = first;
    }
    List<ElfNote> notes = first.notes();
    VmcoreInfo vi = null;
    for (ElfNote n : notes) {
      if (n.name().equals("VMCOREINFO")) {
        vi = VmcoreInfo.parse(new String(n.desc(), StandardCharsets.ISO_8859_1));
      }
    }
    String raw = first.vmcoreinfo();
    if (vi == null && raw != null) {
      vi = VmcoreInfo.parse(raw);
    }
    PhysicalMemory cached = new CachedPhysicalMemory(pm, 256);
    if (vi == null) {
      vi = scanForVmcoreinfo(path, cached, h.maxMapnr(), problems);
    }
    String arch = kdumpArch(path, h.machine(), vi);
    return new Vmcore(path, format, arch, cached, notes, vi, null, h, problems);
  }

  /**
   * The architecture of a kdump-compressed dump: {@code utsname.machine}, or where the producer
   * left it unset (QEMU's {@code dump-guest-memory} writes "Unknown" for arm64 guests) the
   * VMCOREINFO keys only one architecture writes: {@code kimage_voffset}
   * (arch/arm64/kernel/crash_core.c) or {@code phys_base} (arch/x86/kernel/crash_core_64.c).
   */
  private static String kdumpArch(String path, String machine, @Nullable VmcoreInfo vi)
      throws UnsupportedDumpException {
    if (machine.equals("x86_64")) {
      return "x86_64";
    }
    if (machine.equals("aarch64") || machine.equals("arm64")) {
      return "arm64";
    }
    // only where the producer named no machine: a named one (s390x, ppc64le) stays refused
    boolean unnamed = machine.isEmpty() || machine.equals("Unknown");
    if (unnamed && vi != null && vi.number("kimage_voffset") != null) {
      return "arm64";
    }
    if (unnamed && vi != null && vi.number("phys_base") != null) {
      return "x86_64";
    }
    throw new UnsupportedDumpException(
        path + ": kdump utsname.machine \"" + machine + "\" at offset 272: only x86_64 and arm64");
  }

  /** Page frames looked at for a VMCOREINFO copy when the dump has no note (first 4 GiB). */
  private static final long SCAN_PAGES = 1L << 20;

  /**
   * Finds the kernel's own VMCOREINFO page (vmcoreinfo_data: a page whose text starts with {@code
   * OSRELEASE=}) among the first {@link #SCAN_PAGES} page frames below {@code pfnLimit}; QEMU dumps
   * lack the note unless the guest had the vmcoreinfo device.
   */
  private static @Nullable VmcoreInfo scanForVmcoreinfo(
      String path, PhysicalMemory pm, long pfnLimit, List<String> problems) throws IOException {
    byte[] page = new byte[pm.pageSize()];
    byte[] magic = "OSRELEASE=".getBytes(StandardCharsets.US_ASCII);
    long limit = Math.min(pfnLimit, SCAN_PAGES);
    int unreadable = 0;
    // only the frames the dump stores are read, and no more of them than it stores: a cut file
    // (or a bitmap claiming more than the file holds) costs nothing, not SCAN_PAGES page reads
    long stored = pm.storedBytes() / pm.pageSize();
    long read = 0;
    for (long pfn = pm.nextStoredPfn(0, limit);
        pfn < limit && unreadable < 1024 && read < stored;
        pfn = pm.nextStoredPfn(pfn + 1, limit)) {
      read++;
      org.ktriage.ingest.mm.PageState st = pm.readPage(pfn, page);
      if (st != org.ktriage.ingest.mm.PageState.PRESENT) {
        if (st == org.ktriage.ingest.mm.PageState.UNREADABLE) {
          unreadable++; // a cut or corrupt file: give up soon
        }
        continue;
      }
      if (java.util.Arrays.equals(page, 0, magic.length, magic, 0, magic.length)) {
        int end = 0;
        while (end < page.length && page[end] != 0) {
          end++;
        }
        String text = new String(page, 0, end, StandardCharsets.ISO_8859_1);
        if (text.contains("\nSYMBOL(")) {
          problems.add(
              path
                  + ": no VMCOREINFO note; using the kernel's VMCOREINFO page found at physical 0x"
                  + Long.toHexString(pfn * pm.pageSize()));
          return VmcoreInfo.parse(text);
        }
      }
    }
    problems.add(path + ": no VMCOREINFO note and no VMCOREINFO page found in memory");
    return null;
  }

  /**
   * The kernel a kdump-compressed or flattened dump's {@code struct disk_dump_header} names, read
   * alone: its {@code new_utsname} (release at offset 142, version at 207, machine at 272, nodename
   * at 77; makedumpfile diskdump_mod.h, filled from the crashed kernel's init_uts_ns). What a dump
   * cut before its sub-header, notes or bitmaps still says; unknown for an ELF core (its header
   * names no kernel) and for a file whose header cannot be read.
   */
  static KernelInfo headerKernel(Path file) {
    try (DumpSource src = FileDumpSource.open(file)) {
      byte[] head = new byte[16];
      if (src.read(0, head, 0, 16) < 16) {
        return KernelInfo.unknown();
      }
      if (FlattenedDumpSource.sniff(head)) {
        try (DumpSource flat = FlattenedDumpSource.open(src)) {
          return utsname(flat);
        }
      }
      return KdumpCompressedReader.sniff(head) ? utsname(src) : KernelInfo.unknown();
    } catch (IOException | RuntimeException e) {
      return KernelInfo.unknown();
    }
  }

  private static KernelInfo utsname(DumpSource src) throws IOException {
    byte[] h = src.readFully(0, 464, "disk_dump_header");
    String release = Bytes.readCString(h, 142, 65);
    String version = Bytes.readCString(h, 207, 65);
    String machine = Bytes.readCString(h, 272, 65);
    String node = Bytes.readCString(h, 77, 65);
    String arch =
        switch (machine) {
          case "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "arm64";
          default -> null;
        };
    return new KernelInfo(
        release.isEmpty() ? null : release,
        version.isEmpty() ? null : version,
        arch,
        node.isEmpty() ? null : node,
        null,
        null,
        MemoryLayout.unknown());
  }
}
