package org.ktriage.ingest.dump;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.Bytes;
import org.ktriage.ingest.bin.CorruptDumpException;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.bin.FileDumpSource;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.elf.ElfCore;
import org.ktriage.ingest.elf.ElfNote;
import org.ktriage.ingest.kallsyms.KallsymsScanner;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.kdump.FlattenedDumpSource;
import org.ktriage.ingest.kdump.KdumpCompressedReader;
import org.ktriage.ingest.kdump.KdumpHeader;
import org.ktriage.ingest.kdump.SplitKdumpMemory;
import org.ktriage.ingest.mm.AddressTranslator;
import org.ktriage.ingest.mm.CachedPhysicalMemory;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.mm.PhysicalMemory;
import org.ktriage.ingest.printk.DmesgFormatter;
import org.ktriage.ingest.printk.KernelLog;
import org.ktriage.ingest.printk.PrintkReader;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;
import org.ktriage.model.InputFormat;
import org.ktriage.model.KernelInfo;
import org.ktriage.model.MemoryLayout;

/**
 * One opened dump of any supported container (ELF core, kdump-compressed, flattened, split set):
 * its physical memory, VMCOREINFO, kernel virtual memory, notes, and the kernel log. Everything is
 * read on demand with positional reads; nothing holds the dump in memory.
 */
public final class Vmcore implements Closeable {
  private final String path;
  private final InputFormat format;
  private final String arch;
  private final PhysicalMemory physical;
  private final List<ElfNote> notes;
  private final @Nullable VmcoreInfo vmcoreinfo;
  private final @Nullable ElfCore elf;
  private final @Nullable KdumpHeader kdumpHeader;
  private final List<String> openProblems;
  private @Nullable KernelMemory kernelMemory;
  private @Nullable String kernelMemoryError;
  private @Nullable KernelLog log;
  private @Nullable KallsymsTable kallsymsTable;
  private @Nullable UnsupportedDumpException kallsymsMissing;
  private @Nullable Path systemMap;

  private Vmcore(
      String path,
      InputFormat format,
      String arch,
      PhysicalMemory physical,
      List<ElfNote> notes,
      @Nullable VmcoreInfo vmcoreinfo,
      @Nullable ElfCore elf,
      @Nullable KdumpHeader kdumpHeader,
      List<String> openProblems) {
    this.path = path;
    this.format = format;
    this.arch = arch;
    this.physical = physical;
    this.notes = notes;
    this.vmcoreinfo = vmcoreinfo;
    this.elf = elf;
    this.kdumpHeader = kdumpHeader;
    this.openProblems = openProblems;
  }

  /** Opens one dump file. */
  public static Vmcore open(Path file) throws IOException {
    return open(List.of(file));
  }

  /** Opens a dump: one file, or all parts of a split kdump-compressed set. */
  public static Vmcore open(List<Path> files) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no dump files");
    }
    List<DumpSource> sources = new ArrayList<>();
    try {
      for (Path f : files) {
        sources.add(FileDumpSource.open(f));
      }
      return openSources(sources);
    } catch (IOException | RuntimeException e) {
      closeQuietly(sources);
      throw e;
    }
  }

  /**
   * Opens a dump from already opened sources (one, or the parts of a split set); the returned
   * object owns them. On failure the caller still owns them.
   */
  public static Vmcore openSources(List<DumpSource> sources) throws IOException {
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

  private static void closeQuietly(List<DumpSource> sources) {
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
  public static KernelInfo headerKernel(Path file) {
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

  /** The path given to open (the first part for split sets). */
  public String path() {
    return path;
  }

  /** The container format. */
  public InputFormat format() {
    return format;
  }

  /** {@code x86_64} or {@code arm64}. */
  public String arch() {
    return arch;
  }

  /** The VMCOREINFO view, or null when the dump carries none. */
  public @Nullable VmcoreInfo vmcoreinfo() {
    return vmcoreinfo;
  }

  /** Physical memory of the dump (cached). */
  public PhysicalMemory physicalMemory() {
    return physical;
  }

  /** All ELF notes (NT_PRSTATUS, QEMU, VMCOREINFO, …). */
  public List<ElfNote> notes() {
    return notes;
  }

  /** The kdump header, or null for ELF cores. */
  public @Nullable KdumpHeader kdumpHeader() {
    return kdumpHeader;
  }

  /** The ELF core, or null for kdump-compressed dumps. */
  public @Nullable ElfCore elf() {
    return elf;
  }

  /** Problems found while opening and reading (truncation, corrupt pages, cut streams). */
  public List<String> problems() {
    List<String> all = new ArrayList<>(openProblems);
    all.addAll(physical.problems());
    return all;
  }

  /** Kernel virtual memory, or throws when the dump does not allow translation. */
  public KernelMemory kernelMemory() throws UnreadableInputException {
    if (kernelMemory != null) {
      return kernelMemory;
    }
    if (kernelMemoryError != null) {
      throw new UnsupportedDumpException(kernelMemoryError);
    }
    try {
      kernelMemory = new KernelMemory(physical, translator());
      return kernelMemory;
    } catch (UnreadableInputException e) {
      kernelMemoryError = e.getMessage();
      throw e;
    }
  }

  private AddressTranslator translator() throws UnreadableInputException {
    VmcoreInfo vi = vmcoreinfo;
    if (vi == null) {
      throw new UnsupportedDumpException(
          path + ": the dump carries no VMCOREINFO note; kernel memory cannot be located");
    }
    return arch.equals("arm64")
        ? DumpTranslators.arm64(path, physical, vi)
        : DumpTranslators.x86_64(path, physical, vi, elf, kdumpHeader, notes);
  }

  /** The kernel log (read once). */
  public KernelLog kernelLog() throws UnreadableInputException {
    if (log == null) {
      VmcoreInfo vi = vmcoreinfo;
      if (vi == null) {
        throw new UnsupportedDumpException(
            path + ": the dump carries no VMCOREINFO note; the kernel log cannot be located");
      }
      try {
        log = new PrintkReader(vi, kernelMemory()).read();
      } catch (MissingMemoryException e) {
        throw new MissingMemoryException(path + ": kernel log: " + e.getMessage());
      } catch (UnsupportedDumpException e) {
        throw new UnsupportedDumpException(path + ": " + e.getMessage());
      } catch (CorruptDumpException e) {
        throw new CorruptDumpException(path + ": kernel log: " + e.getMessage(), e);
      }
    }
    return log;
  }

  /** Writes the log as {@code makedumpfile --dump-dmesg} does. */
  public void writeDmesg(OutputStream out) throws IOException {
    DmesgFormatter.makedumpfile().write(kernelLog().records(), out);
  }

  /**
   * The kernel's symbols: from the System.map given to {@link #useSystemMap}, else decoded from the
   * kallsyms tables VMCOREINFO points at (v6.0+), else from the tables found by their structure in
   * the kernel image ({@link KallsymsScanner}). Read once.
   */
  public KallsymsTable kallsyms() throws UnreadableInputException {
    KallsymsTable k = kallsymsTable;
    if (k != null) {
      return k;
    }
    VmcoreInfo vi = vmcoreinfo;
    if (vi == null) {
      throw new UnsupportedDumpException(path + ": no VMCOREINFO, so no kallsyms");
    }
    Path map = systemMap;
    if (map != null) {
      Long offset = vi.kernelOffset();
      try {
        k = KallsymsTable.fromSystemMap(map, offset == null ? 0 : offset);
      } catch (IOException e) {
        throw new UnreadableInputException(map + ": System.map not read: " + e.getMessage(), e);
      }
    } else if (KallsymsTable.available(vi)) {
      k = KallsymsTable.load(vi, kernelMemory());
    } else {
      UnsupportedDumpException missing = kallsymsMissing;
      if (missing != null) {
        throw missing; // the scan already came up empty; it reads up to 96 MiB
      }
      try {
        k = scanKallsyms(vi);
      } catch (UnsupportedDumpException e) {
        kallsymsMissing = e;
        throw e;
      }
    }
    kallsymsTable = k;
    return k;
  }

  private KallsymsTable scanKallsyms(VmcoreInfo vi) throws UnreadableInputException {
    KallsymsTable k = kallsymsFromImage(vi);
    if (k == null) {
      throw new UnsupportedDumpException(
          path
              + ": no kallsyms in VMCOREINFO (kernels before 6.0) and none found in the kernel"
              + " image: pass a System.map");
    }
    return k;
  }

  /**
   * The kallsyms tables found by their structure in the kernel image ({@link KallsymsScanner}),
   * whatever VMCOREINFO points at; null when none is found. Not kept: {@link #kallsyms} keeps what
   * it uses.
   */
  public @Nullable KallsymsTable kallsymsFromImage() throws UnreadableInputException {
    VmcoreInfo vi = vmcoreinfo;
    if (vi == null) {
      throw new UnsupportedDumpException(path + ": no VMCOREINFO, so no kernel image to scan");
    }
    return kallsymsFromImage(vi);
  }

  private @Nullable KallsymsTable kallsymsFromImage(VmcoreInfo vi) throws UnreadableInputException {
    KernelMemory mem = kernelMemory();
    for (long start : KernelImage.scanStarts(arch, vi, mem)) {
      KallsymsTable k = KallsymsScanner.scan(mem, start, vi.symbol("_stext"));
      if (k != null) {
        return k;
      }
    }
    return null;
  }

  /** Takes the kernel's symbols from a System.map instead of the dump. */
  public void useSystemMap(@Nullable Path systemMap) {
    this.systemMap = systemMap;
    this.kallsymsTable = null;
    this.kallsymsMissing = null;
  }

  /** Control registers from QEMU notes by note index (empty for other producers). */
  List<Map<String, Long>> qemuCpuStates() {
    List<Map<String, Long>> out = new ArrayList<>();
    for (ElfNote n : notes) {
      if (n.name().equals("QEMU")) {
        out.add(PrstatusLayout.qemuControlRegisters(n.desc()));
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    physical.close();
  }
}
