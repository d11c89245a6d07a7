package org.ktriage.ingest.dump;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ktriage.ingest.UnreadableInputException;
import org.ktriage.ingest.bin.CorruptDumpException;
import org.ktriage.ingest.bin.DumpSource;
import org.ktriage.ingest.bin.FileDumpSource;
import org.ktriage.ingest.bin.MissingMemoryException;
import org.ktriage.ingest.bin.UnsupportedDumpException;
import org.ktriage.ingest.elf.ElfCore;
import org.ktriage.ingest.elf.ElfNote;
import org.ktriage.ingest.kallsyms.KallsymsScanner;
import org.ktriage.ingest.kallsyms.KallsymsTable;
import org.ktriage.ingest.kdump.KdumpHeader;
import org.ktriage.ingest.mm.AddressTranslator;
import org.ktriage.ingest.mm.KernelMemory;
import org.ktriage.ingest.mm.PhysicalMemory;
import org.ktriage.ingest.printk.DmesgFormatter;
import org.ktriage.ingest.printk.KernelLog;
import org.ktriage.ingest.printk.PrintkReader;
import org.ktriage.ingest.vmcoreinfo.VmcoreInfo;
import org.ktriage.model.InputFormat;
import org.ktriage.model.KernelInfo;

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

  Vmcore(
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
      DumpContainers.closeQuietly(sources);
      throw e;
    }
  }

  /**
   * Opens a dump from already opened sources (one, or the parts of a split set); the returned
   * object owns them. On failure the caller still owns them.
   */
  public static Vmcore openSources(List<DumpSource> sources) throws IOException {
    return DumpContainers.open(sources);
  }

  /**
   * The kernel a kdump-compressed or flattened dump's {@code struct disk_dump_header} names, read
   * alone (see {@link DumpContainers#headerKernel}).
   */
  public static KernelInfo headerKernel(Path file) {
    return DumpContainers.headerKernel(file);
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
